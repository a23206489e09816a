"""Rebuilds of a large course: what a save in one module costs when the course has thousands.

Usage: python benchmarks/large_course.py [--modules 2000] [--keep DIR] [--runs 3]

Makes a course of --modules copies of samples/rujukan-terpadu (7 pages, pictures, a video, a
download: 14 files each), builds it (SCORM 1.2), then prints:
- the whole build, from nothing;
- a build with nothing changed (answered from the record: issue 16, "an unchanged module with
  unchanged inputs is not rebuilt");
- a build after a save in one module: that module is built, the others' zips kept, though each
  is still read and checked with the course;
- `build --watch`: from a save in one module to its zip written, slowest of --runs (the watcher
  keeps the modules it read: only the saved one is read again). Target: under a second for the
  programme's 11 modules (benchmarks/build.py); here, what thousands cost.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import measure, watch_rebuilds  # noqa: E402  (the same measures as the main benchmark)

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "rujukan-terpadu"


def make_course(folder: Path, modules: int) -> None:
    text = (SAMPLE / "module.yaml").read_text(encoding="utf-8")
    for i in range(modules):
        module = folder / f"m{i:04d}"
        shutil.copytree(SAMPLE, module)
        (module / "module.yaml").write_text(re.sub(r"^id: .*$", f"id: modul-{i:04d}", text, count=1, flags=re.M),
                                            encoding="utf-8")
    (folder / "course.yaml").write_text("id: kursus-besar\ntitle: Kursus besar\nmodules:\n"
                                        + "".join(f"  - m{i:04d}\n" for i in range(modules)), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=2000, help="modules in the course")
    parser.add_argument("--keep", type=Path, help="make the course here and keep it")
    parser.add_argument("--runs", type=int, default=3, help="saves watched; the slowest is shown")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="modpack-large-"))
    course = work / "kursus"
    if not (course / "course.yaml").exists():
        make_course(course, args.modules)
    modules = len(list(course.glob("m[0-9]*")))
    files = sum(1 for f in course.rglob("*") if f.is_file())
    modpack = [sys.executable, "-m", "modpack"]
    os.environ["MODPACK_SERVER"] = "off"
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    build = [*modpack, "build", "course.yaml", "--out", str(out)]
    whole, whole_rss = measure(build, course)
    unchanged, _ = measure(build, course)
    page = course / f"m{modules // 2:04d}" / "halaman" / "04-penjangkauan.md"
    original = page.read_bytes()
    page.write_bytes(original + b"\nSuntingan.\n")
    one, one_rss = measure(build, course)
    page.write_bytes(original)
    subprocess.run(build, cwd=course, check=True, capture_output=True)
    watched = watch_rebuilds(modpack, course, "course.yaml", course / "m0001" / "halaman" / "04-penjangkauan.md", out,
                             args.runs)
    record = (out / ".modpack-build.json").stat().st_size / 1e6
    print(f"course of {modules:,} modules ({files:,} files), SCORM 1.2")
    print(f"  whole build                     {whole:6.2f} s   peak RSS {whole_rss:6.1f} MB")
    print(f"  nothing changed                 {unchanged:6.2f} s   (the record: {record:.1f} MB)")
    print(f"  one module saved                {one:6.2f} s   peak RSS {one_rss:6.1f} MB   (every module read)")
    print(f"  build --watch: a save in one module to its zip written, slowest of {len(watched)}: {max(watched):5.2f} s")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
