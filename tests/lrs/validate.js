// Reads statements, one JSON object per line, on standard input and prints, as JSON Lines,
// the line number and the warnings of Learning Locker's validator for every invalid one.
const readline = require('readline');
const validate = require('@learninglocker/xapi-validation').default;
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let number = 0;
lines.on('line', (line) => {
  number += 1;
  if (!line.trim()) return;
  let warnings;
  try {
    warnings = validate(JSON.parse(line)).map((w) => `${(w.path || []).join('.')}: ${w.name}${w.typeName ? ' (' + w.typeName + ')' : ''}`);
  } catch (error) {
    warnings = [String(error)];
  }
  if (warnings.length) process.stdout.write(JSON.stringify({ line: number, warnings }) + '\n');
});
