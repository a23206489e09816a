"""Build and check speed, each as a ratio against its floor measured in the same run.

Usage: python benchmarks/build.py [--keep DIR] [--runs 3]

Makes a synthetic course of 11 modules (each 20 pages, ten 150 KB JPEGs, one 5 MB video)
and one text-heavy module of 2,000 pages of about 4 KB of Markdown, then prints, best of
--runs, each figure beside its floor (issue 16), so the ratios hold on a noisy machine (each run
of a command comes right after a run of its floor, so that a busy spell slows both):
- the media course against `zip -r -q -n .jpg:.mp4` of the same folders (target 1.2x);
- the 2,000 pages against `zip -r -q` of the pages already rendered, i.e. the package's own files
  (target 2x);
- `modpack check` of the 2,000-page package against `unzip -tq` of it (target 3x); and of the
  media course's packages in one command against `unzip -tq` of each (no target: what a CI pays);
- start-up: `modpack --version` (target under 0.2 s); an unchanged rebuild (skipped: no target);
- `build --watch` of the 2,000 pages, and of the media course: from a saved page to the new zip
  (target under a second);
- the three ratios again with a resident server (`modpack server start`), which runs `build` and
  `check` without the start-up every new process pays (docs/cli.md#server).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEDIA_MODULES = 11
PAGES = 20
JPEGS = 10
JPEG_SIZE = 150 * 1024
VIDEO_SIZE = 5 * 1024 * 1024
TEXT_PAGES = 2000

WORDS = ("pendamping keluarga penerima manfaat layanan rujukan terpadu desa kabupaten program "
         "bantuan sosial kesejahteraan data warga kebutuhan usaha modal pemasaran catatan").split()


def paragraph(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def media_module(folder: Path, index: int, rng: random.Random) -> None:
    (folder / "halaman").mkdir(parents=True)
    (folder / "gambar").mkdir()
    (folder / "video").mkdir()
    for j in range(JPEGS):
        # random bytes behind a JPEG marker: as incompressible as a real photo
        (folder / "gambar" / f"foto-{j}.jpg").write_bytes(b"\xff\xd8\xff\xe0" + rng.randbytes(JPEG_SIZE - 4))
    (folder / "video" / "materi.mp4").write_bytes(rng.randbytes(VIDEO_SIZE))
    pages = []
    for p in range(PAGES):
        image = f"\n\n![Foto kegiatan {p}](../gambar/foto-{p % JPEGS}.jpg)\n" if p < JPEGS else ""
        (folder / "halaman" / f"{p:02d}.md").write_text(f"## Bagian {p}\n\n{paragraph(rng)}{image}\n", encoding="utf-8")
        pages.append(f"      - {{id: halaman-{p}, title: Halaman {p}, file: halaman/{p:02d}.md}}")
    pages[0] = ("      - id: halaman-0\n        title: Halaman 0\n        file: halaman/00.md\n"
                "        video: {file: video/materi.mp4, title: Video materi}")
    (folder / "module.yaml").write_text(
        f"id: modul-{index}\ntitle: Modul {index}\niri_base: https://pelatihan.example.go.id/xapi/\n"
        "workload: {self_paced_jp: 5}\nlessons:\n  - id: pelajaran\n    title: Pelajaran\n    pages:\n"
        + "\n".join(pages) + "\n", encoding="utf-8")


def text_module(folder: Path, rng: random.Random) -> None:
    (folder / "halaman").mkdir(parents=True)
    lessons = []
    for lesson in range(20):
        pages = []
        for p in range(TEXT_PAGES // 20):
            n = lesson * 100 + p
            body = f"## Halaman {n}\n\n" + "\n\n".join(paragraph(rng) for _ in range(8))
            body += "\n\n| Kolom | Nilai |\n|---|---|\n| **data** | 1 |\n\n- satu\n- dua\n"
            (folder / "halaman" / f"{n:04d}.md").write_text(body, encoding="utf-8")
            pages.append(f"      - {{id: h-{n}, title: Halaman {n}, file: halaman/{n:04d}.md}}")
        lessons.append(f"  - id: pelajaran-{lesson}\n    title: Pelajaran {lesson}\n    pages:\n" + "\n".join(pages))
    (folder / "module.yaml").write_text(
        "id: modul-teks\ntitle: Modul teks\niri_base: https://pelatihan.example.go.id/xapi/\n"
        "workload: {self_paced_jp: 40}\nlessons:\n" + "\n".join(lessons) + "\n", encoding="utf-8")


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command and its children (through a server: of the client)."""
    # standard error to a file, not a pipe: a course of 2,000 modules says more than a pipe holds,
    # and a command blocked on a full pipe is never waited for
    with tempfile.TemporaryFile() as said:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=said, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            said.seek(0)
            raise SystemExit(f"failed: {' '.join(command)}\n{said.read().decode(errors='replace')}")
    return elapsed, usage.ru_maxrss / 1024


def size_mb(paths: list[Path]) -> float:
    return sum(f.stat().st_size for p in paths for f in p.rglob("*") if f.is_file()) / 1e6


def watch_rebuilds(modpack: list[str], work: Path, source: str, page: Path, out: Path, runs: int) -> list[float]:
    """Seconds from saving ``page`` of ``source`` (a module or a course) to `build --watch`
    printing its new zip."""
    original = page.read_bytes()
    # (its zips' paths not kept: a course of 2,000 modules lists more than a pipe holds at each build)
    process = subprocess.Popen([*modpack, "build", source, "--out", str(out), "--watch"], cwd=work,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "MODPACK_LANG": "en"})
    times = []
    try:
        assert process.stderr is not None
        while "watching" not in process.stderr.readline():  # after the first build (or its unchanged zips)
            pass
        for n in range(runs):
            time.sleep(0.5)  # apart from the last save, as an author's are
            saved = time.perf_counter()
            page.write_bytes(original + f"\nSuntingan {n}.\n".encode())
            while "built in" not in (line := process.stderr.readline()):
                if not line or "error" in line:
                    raise SystemExit(f"build --watch said {line!r}: {process.stderr.read()}")
            times.append(time.perf_counter() - saved)
    finally:
        process.terminate()
        process.wait(10)
        page.write_bytes(original)  # the data is kept between runs (--keep): leave it as made
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, help="make the data here and keep it")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; the best is shown")
    args = parser.parse_args()
    if shutil.which("zip") is None:
        raise SystemExit("needs the zip command (apt-get install zip)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="modpack-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261122)
    modules = [work / "kursus" / f"modul-{i}" for i in range(MEDIA_MODULES)]
    if not (work / "kursus" / "course.yaml").exists():
        for i, folder in enumerate(modules):
            media_module(folder, i, rng)
        (work / "kursus" / "course.yaml").write_text(
            "id: kursus-media\ntitle: Kursus media\nmodules:\n" + "".join(f"  - modul-{i}\n" for i in range(MEDIA_MODULES)),
            encoding="utf-8")
        text_module(work / "modul-teks", rng)
    modpack = [sys.executable, "-m", "modpack"]
    os.environ["MODPACK_SERVER"] = "off"  # each command in its own process, even if the user runs a server
    # byte code compiled first, as pip does when it installs a wheel (PYTHONDONTWRITEBYTECODE, set
    # on some machines, would otherwise have every run compile modpack again)
    import importlib.util
    spec = importlib.util.find_spec("modpack")
    assert spec is not None and spec.submodule_search_locations
    subprocess.run([sys.executable, "-m", "compileall", "-q", *spec.submodule_search_locations], check=True,
                   capture_output=True)

    def best(command: list[str], cwd: Path, clean: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
        results = []
        for _ in range(args.runs):
            shutil.rmtree(clean, ignore_errors=True)
            clean.mkdir(parents=True)
            results.append(measure(command, cwd, env))
        return min(r[0] for r in results), max(r[1] for r in results)

    floors: dict[str, list[float]] = {}

    def paired(name: str, floor: tuple[list[str], Path, Path], command: tuple[list[str], Path, Path],
               env: dict[str, str] | None = None) -> tuple[float, float]:
        """(seconds, peak MB) of ``command``, best of --runs, each run right after one of its floor's,
        so that both meet the machine in the same state (a noisy neighbour slows both, not one);
        the floor's runs are kept under ``name``, its figure the best of all of them."""
        results = []
        for _ in range(args.runs):
            for (cmd, cwd, clean), kept in ((floor, True), (command, False)):
                shutil.rmtree(clean, ignore_errors=True)
                clean.mkdir(parents=True)
                result = measure(cmd, cwd, env if not kept else None)
                if kept:
                    floors.setdefault(name, []).append(result[0])
                else:
                    results.append(result)
        return min(r[0] for r in results), max(r[1] for r in results)

    media_mb = size_mb(modules)
    out = work / "out"
    floor_out = work / "floor"
    zip_cmd = (["sh", "-c", "for m in modul-*; do zip -r -q -n .jpg:.mp4 ../floor/$m.zip $m; done"], work / "kursus",
               floor_out)
    floor_out.mkdir(parents=True, exist_ok=True)
    _, zip_rss = measure(zip_cmd[0], zip_cmd[1])
    build_time, build_rss = paired("zip", zip_cmd, ([*modpack, "build", "course.yaml", "--out", str(out)],
                                                    work / "kursus", out))
    text_mb = size_mb([work / "modul-teks"])
    text_zip_time, _ = best(["zip", "-r", "-q", "-n", ".jpg:.mp4", str(floor_out / "teks.zip"), "modul-teks"], work,
                            floor_out)
    # the floors of the text module: its own files zipped, and unzip -t of its package
    subprocess.run([*modpack, "build", "modul-teks", "--out", str(out)], cwd=work, check=True, capture_output=True)
    text_zip = next(out.glob("modul-teks-*.zip"))
    packed = work / "paket.zip"  # a copy: the builds below write over the one in out/
    shutil.copyfile(text_zip, packed)
    rendered = work / "rendered"
    shutil.rmtree(rendered, ignore_errors=True)
    subprocess.run(["unzip", "-q", str(packed), "-d", str(rendered)], check=True)
    rendered_cmd = (["zip", "-r", "-q", "-X", str(floor_out / "r.zip"), "."], rendered, floor_out)
    text_build = ([*modpack, "build", "modul-teks", "--out", str(out)], work, out)
    text_time, text_rss = paired("rendered", rendered_cmd, text_build)
    unzip_cmd = (["unzip", "-tq", str(packed)], work, work / "scratch")
    check_cmd = ([*modpack, "check", str(packed)], work, work / "scratch")
    check_time, check_rss = paired("unzip", unzip_cmd, check_cmd)
    # a CI checking a whole build: the media course's packages in one command, against unzip -t of each
    course_packages = work / "course-packages"
    shutil.rmtree(course_packages, ignore_errors=True)
    subprocess.run([*modpack, "build", "course.yaml", "--out", str(course_packages)], cwd=work / "kursus", check=True,
                   capture_output=True)
    zips = sorted(str(z) for z in course_packages.glob("*.zip"))
    unzip_each = (["sh", "-c", 'for z in "$@"; do unzip -tq "$z" >/dev/null || exit 1; done', "sh", *zips], work,
                  work / "scratch")
    check_all_time, _ = paired("unzip each", unzip_each, ([*modpack, "check", *zips], work, work / "scratch"))
    start_time, _ = best([*modpack, "--version"], work, work / "scratch")
    # what every build pays before it reads a byte: Python, the imports, the model's validator
    fixed = ("import modpack.package.builder, modpack.model as m; "
             "m.Module.model_rebuild(); m.Course.model_rebuild()")
    fixed_time, _ = best([sys.executable, "-c", fixed], work, work / "scratch")
    # of which the interpreter's own: Python and its site hooks (.pth files), before any import of modpack's
    python_time, _ = best([sys.executable, "-c", "pass"], work, work / "scratch")
    subprocess.run([*modpack, "build", "modul-teks", "--out", str(out)], cwd=work, check=True, capture_output=True)
    unchanged_time, _ = measure([*modpack, "build", "modul-teks", "--out", str(out)], work)

    watch_times = watch_rebuilds(modpack, work, "modul-teks", work / "modul-teks" / "halaman" / "1000.md", out,
                                 args.runs)
    # a course: a save in one of its 11 modules (the others unchanged)
    course_watch_times = watch_rebuilds(modpack, work / "kursus", "course.yaml",
                                        work / "kursus" / "modul-5" / "halaman" / "10.md", out, args.runs)

    # the same commands run by a resident server (modpack server start), in a folder of this run
    runtime = Path(tempfile.mkdtemp(prefix="mpb", dir="/tmp"))
    (runtime / "modpack").mkdir(mode=0o700)
    served = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    del served["MODPACK_SERVER"]
    subprocess.run([*modpack, "server", "start", "--idle", "600"], env=served, check=True, capture_output=True)
    try:
        served_build, _ = paired("zip, served", zip_cmd, ([*modpack, "build", "course.yaml", "--out", str(out)],
                                                  work / "kursus", out), served)
        served_text, _ = paired("rendered, served", rendered_cmd, text_build, served)
        served_check, _ = paired("unzip, served", unzip_cmd, check_cmd, served)
        state = subprocess.run([*modpack, "server", "status", "--format", "json"], env=served, capture_output=True,
                               text=True, check=True)
        if json.loads(state.stdout)["served"] != 3 * args.runs:
            raise SystemExit(f"the server did not run every command: {state.stdout}")
    finally:
        subprocess.run([*modpack, "server", "stop"], env=served, capture_output=True)
        shutil.rmtree(runtime, ignore_errors=True)

    # each ratio against the floor's runs paired with its own: a slow spell in one phase is not set
    # against a floor measured in another
    zip_time, rendered_time, unzip_time = min(floors["zip"]), min(floors["rendered"]), min(floors["unzip"])
    served_zip, served_rendered, served_unzip = (min(floors[f"{name}, served"]) for name in ("zip", "rendered", "unzip"))

    def verdict(ratio: float, target: float) -> str:
        return "met" if ratio <= target else "NOT met"

    print(f"media course: {MEDIA_MODULES} modules, {media_mb:.1f} MB of sources")
    print(f"  zip -r -q -n .jpg:.mp4   {zip_time:6.2f} s  {media_mb / zip_time:7.1f} MB/s  peak RSS {zip_rss:6.1f} MB")
    print(f"  modpack build (scorm12)  {build_time:6.2f} s  {media_mb / build_time:7.1f} MB/s  peak RSS {build_rss:6.1f} MB")
    ratio = build_time / zip_time
    print(f"  ratio modpack / zip      {ratio:6.2f}x   (target <= 1.2x: {verdict(ratio, 1.2)})")
    print(f"  fixed cost of a build process (Python, imports, validator) {fixed_time:5.2f} s; "
          f"the rest / zip {(build_time - fixed_time) / zip_time:5.2f}x")
    print(f"    of which Python's own start-up (python -c pass, site hooks included) {python_time:5.2f} s")
    print(f"text module: {TEXT_PAGES} pages, {text_mb:.1f} MB of Markdown")
    print(f"  zip -r -q of the Markdown {text_zip_time:5.2f} s")
    print(f"  zip -r -q of the pages rendered (the floor) {rendered_time:5.2f} s")
    print(f"  modpack build (scorm12)  {text_time:6.2f} s  peak RSS {text_rss:6.1f} MB")
    ratio = text_time / rendered_time
    print(f"  ratio build / floor      {ratio:6.2f}x   (target <= 2x: {verdict(ratio, 2)})")
    print(f"  without the fixed cost   {(text_time - fixed_time) / rendered_time:6.2f}x")
    print(f"check of the 2,000-page package ({packed.stat().st_size / 1e6:.1f} MB)")
    print(f"  unzip -tq (the floor)    {unzip_time:6.2f} s")
    print(f"  modpack check            {check_time:6.2f} s  peak RSS {check_rss:6.1f} MB")
    ratio = check_time / unzip_time
    print(f"  ratio check / unzip -t   {ratio:6.2f}x   (target <= 3x: {verdict(ratio, 3)})")
    unzip_each_time = min(floors["unzip each"])
    print(f"check of the media course's {len(zips)} packages in one command ({size_mb([course_packages]):.1f} MB)")
    print(f"  unzip -tq of each        {unzip_each_time:6.2f} s")
    print(f"  modpack check *.zip      {check_all_time:6.2f} s   ratio {check_all_time / unzip_each_time:5.2f}x   "
          "(the start-up paid once)")
    print(f"start-up: modpack --version {start_time:5.2f} s   (target < 0.2 s: {verdict(start_time, 0.2)})")
    print(f"unchanged rebuild of the 2,000 pages (skipped) {unchanged_time:5.2f} s")
    watched = max(watch_times)
    print(f"build --watch of the 2,000 pages: a save to its zip written, slowest of {len(watch_times)}: "
          f"{watched:5.2f} s   (target < 1 s: {verdict(watched, 1.0)})")
    watched = max(course_watch_times)
    print(f"build --watch of the media course: a save in one module to its zip written, slowest of "
          f"{len(course_watch_times)}: {watched:5.2f} s   (target < 1 s: {verdict(watched, 1.0)})")
    print("with a resident server (modpack server start): the same commands, without a process's start-up")
    ratio = served_build / served_zip
    print(f"  media course build       {served_build:6.2f} s   zip {served_zip:4.2f} s          ratio {ratio:5.2f}x   "
          f"(target <= 1.2x: {verdict(ratio, 1.2)})")
    ratio = served_text / served_rendered
    print(f"  2,000 pages build        {served_text:6.2f} s   floor {served_rendered:4.2f} s        ratio {ratio:5.2f}x   "
          f"(target <= 2x: {verdict(ratio, 2)})")
    ratio = served_check / served_unzip
    print(f"  check                    {served_check:6.2f} s   unzip -t {served_unzip:4.2f} s     ratio {ratio:5.2f}x   "
          f"(target <= 3x: {verdict(ratio, 3)})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
