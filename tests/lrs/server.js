// Learning Locker's statements service, bound to 127.0.0.1 only (it listens on every interface
// by itself). Configure it with MODELS_REPO=memory STORAGE_REPO=local EVENTS_REPO=test
// AUTH_REPO=test EXPRESS_PORT=<port>.
const http = require('http');
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, ...rest) {
  const callback = rest.find((argument) => typeof argument === 'function');
  return listen.call(this, port, '127.0.0.1', callback);
};
require('xapi-statements/dist/index.js');
