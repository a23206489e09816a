"""Hostile and unlucky input, at full size: time and peak memory of each class (issue 12).

Usage: python benchmarks/hostile.py [--scale 1.0] [--keep]

Each case is made by tests/worst_cases.py (zips up to 100 MB) or here (definitions), then judged in
a process of its own: `modpack check` and `modpack info` for packages, `modpack validate` for
definitions. Prints the seconds, the peak RSS and the exit code of each, against the targets:
under 10 s and under 500 MB, exit 0 to 3 (never 70, an internal error).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import worst_cases  # noqa: E402

# runs the command line in-process and reports its own peak memory, so each figure is one process's
RUNNER = """
import resource, sys
from modpack.cli import main
try:
    main(sys.argv[1:], prog_name="modpack")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
print(f"peak-kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


def definitions(folder: Path) -> dict[str, Path]:
    sample = (ROOT / "samples" / "rujukan-terpadu" / "module.yaml").read_text(encoding="utf-8")
    made: dict[str, Path] = {}

    def module(name: str, text: str, file: str = "module.yaml", pages: dict[str, str] | None = None) -> None:
        where = folder / name
        where.mkdir()
        (where / file).write_text(text, encoding="utf-8")
        for rel, content in (pages or {}).items():
            (where / rel).parent.mkdir(parents=True, exist_ok=True)
            (where / rel).write_text(content, encoding="utf-8")
        made[name] = where

    module("huge-integer", sample.replace("self_paced_jp: 4", "self_paced_jp: 1" + "0" * 1_000_000))
    module("nan-and-infinity", sample.replace("self_paced_jp: 4", "self_paced_jp: .nan")
           .replace("pass_mark: 70", "pass_mark: .inf"))
    module("deep-yaml", "id: x\nextra: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n")
    module("deep-json", '{"id": "x", "a": ' + "[" * 1_000_000 + "]" * 1_000_000 + "}", "module.json")
    module("alias-values", "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [" + ", ".join([f"*{chr(97 + n)}"] * 10) + "]\n" for n in range(8)))
    module("alias-text", "id: x\ntitle: &t '" + "a" * 1_000_000 + "'\n" + "".join(f"k{n}: *t\n" for n in range(5000)))
    module("long-line", "id: x\ndescription: '" + "a" * 60_000_000 + "'\n")
    pages = "".join(f"      - id: h{n}\n        title: H{n}\n        file: halaman/besar.md\n" for n in range(2000))
    module("markdown-repeated", "id: besar\ntitle: Besar\nworkload: {self_paced_jp: 1}\nlessons:\n  - id: satu\n"
           "    title: Satu\n    pages:\n" + pages, pages={"halaman/besar.md": "# Besar\n\n" + "kata " * 1_600_000})
    one_page = ("id: dalam\ntitle: Dalam\nworkload: {self_paced_jp: 1}\nlessons:\n  - id: satu\n    title: Satu\n"
                "    pages:\n      - {id: satu, title: Satu, file: halaman/satu.md}\n")
    module("nested-div", one_page, pages={"halaman/satu.md": "<div>" * 1_600_000 + "\n"})  # 8 MB: the page limit
    module("nested-quote", one_page, pages={"halaman/satu.md": "> " * 2_000_000 + "<b>x</b>\n"})
    # an end tag the parser ignores (a table between): counted as closing, it hid the nesting
    module("nested-past-tables", one_page, pages={"halaman/satu.md": "<div><table></div></table>" * 300_000 + "\n"})
    # each link's line was counted from the page's start: 125,000 links took 165 s
    module("many-links", one_page, pages={"halaman/satu.md": "".join(f"[t](https://example.org/{n})\n"
                                                                      for n in range(280_000))})
    # pictures whose end is not their picture's are walked part by part (modpack/pictures.py):
    # 64 MB of JPEG fill bytes, of empty PNG chunks, of one-byte GIF sub-blocks; and 64 MB of empty
    # JPEG segments that ends in FF D9 (its header is looked at segment by segment)
    crafted = {"jpg": b"\xff\xd8" + b"\xff" * (64 * 2 ** 20 - 2),
               "jpeg": b"\xff\xd8" + b"\xff\xe0\x00\x02" * (16 * 2 ** 20 - 1) + b"\xff\xd9",
               "png": b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x00abcd\x00\x00\x00\x00" * 5_500_000,
               "gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x2c" + b"\x00" * 9 + b"\x02" + b"\x01\x00" * 32_000_000}
    for suffix, data in crafted.items():
        module(f"picture-walk-{suffix}", one_page, pages={"halaman/satu.md": f"![Gambar](gambar.{suffix})\n"})
        (made[f"picture-walk-{suffix}"] / "halaman" / f"gambar.{suffix}").write_bytes(data)
    return made


def measure(*args: str) -> tuple[float, float, int, bool]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", RUNNER, *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak = next((int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("peak-kb")), 0)
    crashed = "internal error" in result.stdout + result.stderr or "Traceback" in result.stderr
    return elapsed, peak / 1024, result.returncode, crashed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true", help="keep the generated cases (printed folder)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="modpack-hostile-"))
    rows = []
    try:
        for name, make in worst_cases.ZIP_CASES.items():
            path = make(folder, args.scale)
            for command in ("check", "info"):
                rows.append((f"{name} ({path.stat().st_size / 1e6:.1f} MB zip)", command, *measure(command, str(path))))
        special = worst_cases.special_files(folder)
        rows.append(("folder with FIFO, socket, links, bad name", "check", *measure("check", str(special))))
        for name, path in definitions(folder).items():
            rows.append((f"definition: {name}", "validate", *measure("validate", str(path))))
    finally:
        if args.keep:
            print(f"cases kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{'case':48s} {'command':9s} {'seconds':>8s} {'peak MB':>8s} {'exit':>5s}")
    worst_time = worst_memory = 0.0
    failed = False
    for case, command, seconds, peak, code, crashed in rows:
        worst_time, worst_memory = max(worst_time, seconds), max(worst_memory, peak)
        bad = seconds >= 10 or peak >= 500 or crashed or code not in (0, 1, 2, 3)
        failed |= bad
        print(f"{case:48s} {command:9s} {seconds:8.2f} {peak:8.0f} {code:5d}{'  <- over target' if bad else ''}")
    print(f"slowest {worst_time:.2f} s, most memory {worst_memory:.0f} MB; targets: under 10 s and 500 MB, no "
          f"internal error -> {'NOT met' if failed else 'met'}")


if __name__ == "__main__":
    main()
