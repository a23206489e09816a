"""Minify the player for packages: src/modpack/player/*.js and player.css into
src/modpack/player/min/, with terser (npm, pinned in this folder's lock file) and rcssmin.

    python tests/browser/minify.py          # after editing the player; the tests check it was run

Packages ship the minified files (a learner on a slow link downloads less); modpack keeps the
readable sources beside them, and needs neither tool at run time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import rcssmin

HERE = Path(__file__).resolve().parent
PLAYER = HERE.parent.parent / "src" / "modpack" / "player"
OUT = PLAYER / "min"
TERSER = HERE / "node_modules" / ".bin" / "terser"
SCRIPTS = ("player.js", "blocks.js", "scorm.js", "xapi.js")


def minified(name: str) -> bytes:
    source = PLAYER / name
    if name.endswith(".css"):
        return (rcssmin.cssmin(source.read_text(encoding="utf-8")) + "\n").encode()
    result = subprocess.run([str(TERSER), str(source), "--compress", "--mangle", "--ecma", "5", "--comments", "false"],
                            capture_output=True, check=True)
    return result.stdout.rstrip(b"\n") + b"\n"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name in (*SCRIPTS, "player.css"):
        (OUT / name).write_bytes(minified(name))
        print(OUT / name, (OUT / name).stat().st_size)


if __name__ == "__main__":
    sys.exit(main())
