"""Rebuilds (issue 16): an unchanged module is not rebuilt, a changed one always is, `build --watch`
rebuilds on a save, and the command line starts without importing what a command does not use."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import modpack
from modpack.package.cache import CACHE_FILE

from .conftest import SAMPLES


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env={**os.environ, "MODPACK_LANG": "en"})


def test_an_unchanged_module_is_not_built_again_and_a_changed_one_always_is(tmp_path):
    folder = tmp_path / "modul"
    shutil.copytree(SAMPLES / "rujukan-terpadu", folder)
    first = run("build", str(folder), "--out", str(tmp_path / "dist"))
    assert first.returncode == 0, first.stderr
    zip_path = Path(first.stdout.strip())
    stamp = zip_path.stat().st_mtime_ns
    again = run("build", str(folder), "--out", str(tmp_path / "dist"))
    assert again.returncode == 0 and "nothing changed" in again.stderr and again.stdout.strip() == str(zip_path)
    assert zip_path.stat().st_mtime_ns == stamp  # not written again
    os.utime(folder / "module.yaml")  # saved unchanged: content decides, not times
    assert "nothing changed" in run("build", str(folder), "--out", str(tmp_path / "dist")).stderr
    page = folder / "halaman" / "01-apa-itu-slrt.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nKalimat baru.\n", encoding="utf-8")
    changed = run("build", str(folder), "--out", str(tmp_path / "dist"))
    assert changed.returncode == 0 and "nothing changed" not in changed.stderr
    assert zip_path.stat().st_mtime_ns != stamp
    # another format, --validate, or --force are other builds
    assert "nothing changed" not in run("build", str(folder), "--out", str(tmp_path / "dist"), "--force").stderr
    assert "nothing changed" not in run("build", str(folder), "--format", "cmi5", "--out", str(tmp_path / "dist")).stderr
    # a zip replaced by hand is built again
    zip_path.write_bytes(b"bukan zip")
    assert "nothing changed" not in run("build", str(folder), "--out", str(tmp_path / "dist")).stderr
    assert zip_path.stat().st_size > 1000


def test_a_course_is_rebuilt_when_one_of_its_modules_changes(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    course = tmp_path / "samples" / "course.yaml"
    out = tmp_path / "samples" / "dist"  # inside the course's folder: its zips are not inputs
    assert run("build", str(course), "--out", str(out)).returncode == 0
    assert "nothing changed" in run("build", str(course), "--out", str(out)).stderr
    definition = tmp_path / "samples" / "kewirausahaan-sosial" / "module.yaml"
    definition.write_text(definition.read_text(encoding="utf-8") + "\n# diubah\n", encoding="utf-8")
    assert "nothing changed" not in run("build", str(course), "--out", str(out)).stderr


def _states(out: Path) -> dict[str, tuple[int, int]]:
    """Each zip's (inode, change time): what writing it again, or renaming another over it, changes."""
    return {z.name: (z.stat().st_ino, z.stat().st_ctime_ns) for z in out.glob("*.zip")}


def test_a_course_build_builds_only_its_changed_modules(tmp_path):
    """Issue 16: an unchanged module with unchanged inputs is not rebuilt, in a course too. A
    save in one module of a course builds that module; the others' zips stand as written."""
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    course, out = tmp_path / "samples" / "course.yaml", tmp_path / "dist"
    formats = ["scorm12", "cmi5"]
    first = modpack.build(course, formats, out, reuse=True)
    assert len(first) == 4
    before = _states(out)
    page = tmp_path / "samples" / "kewirausahaan-sosial" / "halaman" / "01-dari-bantuan-ke-usaha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nKalimat baru.\n", encoding="utf-8")
    built: list[str] = []
    again = modpack.build(course, formats, out, reuse=True, progress=lambda m, p: built.append(p.name))
    assert again == first and sorted(built) == sorted(p.name for p in first)  # every zip said, in order
    after = _states(out)
    for name in before:
        assert (after[name] == before[name]) == name.startswith("rujukan-terpadu-"), name
    # what was kept is what a build from nothing writes
    fresh = modpack.build(course, formats, tmp_path / "fresh")
    for kept, made in zip(again, fresh):
        assert kept.read_bytes() == made.read_bytes(), kept.name
    # the record holds each module's build: the same course again is found unchanged, and a
    # module built alone into the folder is too (the same zips)
    told: list[list[Path]] = []
    modpack.build(course, formats, out, reuse=True, on_unchanged=told.append)
    assert told == [first]
    modpack.build(tmp_path / "samples" / "rujukan-terpadu", formats, out, reuse=True, on_unchanged=told.append)
    assert told[1] == first[:2] and _states(out) == after
    # a kept zip changed by hand is built again
    first[0].write_bytes(b"bukan zip")
    page.write_text(page.read_text(encoding="utf-8") + "\nLagi.\n", encoding="utf-8")
    modpack.build(course, formats, out, reuse=True)
    assert first[0].read_bytes() == fresh[0].read_bytes()


def test_a_watcher_reads_again_only_the_modules_saved_since_its_last_build(tmp_path, monkeypatch):
    """A watcher keeps the modules of a course as it read them (builder.build_recorded's memory):
    an unchanged module is not read again while its files are as they were when it was read (a
    course of 2,000 modules took 15 s a save, reading them all). What it builds, and what it says
    of each module, are those of a build that reads them all."""
    from modpack.package import builder
    from modpack.package.cache import Rebuild

    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    course, out = tmp_path / "samples" / "course.yaml", tmp_path / "dist"
    unlisted = tmp_path / "samples" / "kewirausahaan-sosial" / "module.yaml"  # a warning of its own, told each time
    unlisted.write_text(unlisted.read_text(encoding="utf-8").replace("\niri_base: ", "\n# iri_base: "), encoding="utf-8")
    memory: builder.ModuleMemory = {}
    read: list[str] = []
    real = builder.read_module
    monkeypatch.setattr(builder, "read_module", lambda folder: read.append(Path(folder).name) or real(folder))
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # every module read here, where `read` is (no worker process)

    def build_watched() -> tuple[list[Path], list[str], list[Path]]:
        said: list[str] = []
        kept: list[Path] = []
        read.clear()
        written = builder.build_recorded(Rebuild(course, ("scorm12", "cmi5"), False, out),
                                         on_warning=lambda d: said.append(d.code), on_kept=kept.extend, memory=memory)
        return written, said, kept

    first, said, kept = build_watched()
    assert said == ["no-iri-base"] and kept == [] and sorted(memory) == sorted(
        os.path.realpath(tmp_path / "samples" / name) for name in ("rujukan-terpadu", "kewirausahaan-sosial"))
    page = tmp_path / "samples" / "rujukan-terpadu" / "halaman" / "04-penjangkauan.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nKalimat baru.\n", encoding="utf-8")
    again, said, kept = build_watched()
    assert read == ["rujukan-terpadu"] and again == first and kept == first[2:] and said == ["no-iri-base"]
    fresh = modpack.build(course, ["scorm12", "cmi5"], tmp_path / "fresh")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in fresh]
    # a module saved since it was read is read again, though the record has its files (the memory's
    # module is of the files as they were)
    unlisted.write_text(unlisted.read_text(encoding="utf-8") + "\n# disimpan\n", encoding="utf-8")
    _, said, kept = build_watched()
    assert read == ["kewirausahaan-sosial"] and kept == first[:2] and said == ["no-iri-base"]
    # the memory names the module and its zips: a record changed by hand to give it another's is not believed
    record = json.loads((out / CACHE_FILE).read_text())
    key = next(k for k in record if k.startswith(os.path.realpath(tmp_path / "samples" / "kewirausahaan-sosial")))
    other = next(k for k in record if k.startswith(os.path.realpath(tmp_path / "samples" / "rujukan-terpadu")))
    record[key]["zips"] = record[other]["zips"]
    (out / CACHE_FILE).write_text(json.dumps(record))
    page.write_text(page.read_text(encoding="utf-8") + "\nLagi.\n", encoding="utf-8")
    again, _, kept = build_watched()
    assert sorted(read) == ["kewirausahaan-sosial", "rujukan-terpadu"] and kept == [] and again == first
    # a watcher that starts on a course whose last build stands reads its modules before the first save
    memory.clear()
    builder.remember(Rebuild(course, ("scorm12", "cmi5"), False, out), memory)
    assert len(memory) == 2 and sorted(p.name for p in out.iterdir()) == sorted([p.name for p in first] + [CACHE_FILE])
    page.write_text(page.read_text(encoding="utf-8") + "\nSekali lagi.\n", encoding="utf-8")
    again, said, kept = build_watched()
    assert read == ["rujukan-terpadu"] and kept == first[2:] and said == ["no-iri-base"]


def test_a_watcher_remembers_a_linked_module_by_the_name_the_course_gives_it(tmp_path):
    """What a watcher reads before it watches (builder.remember) says each module's problems
    where the course names it, as a build does: not where a link to its folder leads."""
    from modpack.package import builder
    from modpack.package.cache import Rebuild

    elsewhere = tmp_path / "elsewhere" / "k"
    shutil.copytree(SAMPLES / "kewirausahaan-sosial", elsewhere)
    definition = elsewhere / "module.yaml"
    definition.write_text(definition.read_text(encoding="utf-8").replace("\niri_base: ", "\n# iri_base: "),
                          encoding="utf-8")
    (tmp_path / "kursus").mkdir()
    (tmp_path / "kursus" / "ks").symlink_to(elsewhere)
    course = tmp_path / "kursus" / "course.yaml"
    course.write_text("id: kursus\ntitle: Kursus\nmodules:\n  - ks\n", encoding="utf-8")
    out = tmp_path / "dist"
    said: list[str] = []
    modpack.build(course, "scorm12", out, reuse=True, on_warning=lambda d: said.append(d.file))
    memory: builder.ModuleMemory = {}
    builder.remember(Rebuild(course, ("scorm12",), False, out), memory)
    [(_, _, found)] = memory.values()
    assert [d.file for d in found] == said and "ks" in said[0] and "elsewhere" not in said[0]


def test_a_course_build_says_which_packages_it_kept_and_what_the_others_weigh(tmp_path):
    """The command line lists every package of a course, and says how many stand as they were;
    what learners download is said of the packages built, not again of those kept."""
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    course, out = tmp_path / "samples" / "course.yaml", tmp_path / "dist"
    assert run("build", str(course), "--out", str(out)).returncode == 0
    page = tmp_path / "samples" / "rujukan-terpadu" / "halaman" / "04-penjangkauan.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nKalimat baru.\n", encoding="utf-8")
    done = run("build", str(course), "--out", str(out))
    assert done.returncode == 0 and len(done.stdout.split()) == 2
    assert "1 of 2 packages kept as they were" in done.stderr
    assert "rujukan-terpadu-1.2.0-scorm12.zip: download" in done.stderr
    assert "kewirausahaan-sosial-2.0.1-scorm12.zip: download" not in done.stderr
    # the course file alone saved: every zip kept, nothing built (a watcher says no "built in")
    course.write_text(course.read_text(encoding="utf-8") + "\n# disimpan\n", encoding="utf-8")
    done = run("build", str(course), "--out", str(out))
    assert "2 of 2 packages kept as they were" in done.stderr and "download" not in done.stderr
    from modpack import cli

    course.write_text(course.read_text(encoding="utf-8") + "\n# lagi\n", encoding="utf-8")
    assert cli._build_once(str(course), ("scorm12",), str(out), False, False) == (0, False)


def test_a_module_listed_by_a_course_through_dot_dot_is_keyed_and_hashed_as_built_alone(tmp_path):
    """A course lists its modules' files as it names them ('../modul/x' stays so in the record's
    hash); a build of the module alone lists '/abs/modul/x'. Each has its own listing, so that the
    two builds find each other's zips, as for a module listed plainly."""
    shutil.copytree(SAMPLES / "rujukan-terpadu", tmp_path / "modul" / "rujukan-terpadu")
    (tmp_path / "kursus").mkdir()
    course = tmp_path / "kursus" / "course.yaml"
    course.write_text("id: kursus\ntitle: Kursus\nmodules:\n  - ../modul/rujukan-terpadu\n", encoding="utf-8")
    out = tmp_path / "dist"
    first = modpack.build(course, "scorm12", out, reuse=True)
    told: list[list[Path]] = []
    assert modpack.build(tmp_path / "modul" / "rujukan-terpadu", "scorm12", out, reuse=True,
                         on_unchanged=told.append) == first
    assert told == [first]


def test_a_module_saved_after_its_check_and_before_its_read_is_built_not_kept(tmp_path, monkeypatch):
    """A course build decides which modules are unchanged, then reads every module: one saved in
    between is read as saved, so its earlier zip is not what was read, and it is built."""
    from modpack.package import builder

    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    course, out = tmp_path / "samples" / "course.yaml", tmp_path / "dist"
    modpack.build(course, "scorm12", out, reuse=True)
    other = tmp_path / "samples" / "kewirausahaan-sosial" / "module.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "\n# diubah\n", encoding="utf-8")  # the course is stale
    definition = tmp_path / "samples" / "rujukan-terpadu" / "module.yaml"
    text = definition.read_text(encoding="utf-8")
    assert "\nversion: 1.2.0\n" in text
    real_read = builder.read_module

    def saved_first(folder):
        if Path(folder).name == "rujukan-terpadu":
            definition.write_text(text.replace("\nversion: 1.2.0\n", "\nversion: 1.3.0\n"), encoding="utf-8")
        return real_read(folder)

    monkeypatch.setattr(builder, "read_module", saved_first)
    written = modpack.build(course, "scorm12", out, reuse=True)
    assert sorted(p.name for p in written) == ["kewirausahaan-sosial-2.0.1-scorm12.zip", "rujukan-terpadu-1.3.0-scorm12.zip"]
    assert all(p.is_file() for p in written)


def test_a_record_naming_another_module_s_zips_builds_the_module(tmp_path):
    """The record is a file of the output folder: one that gives a module another module's zips
    (written by hand, or by anyone) makes the course build that module, never list the other's."""
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    course, out = tmp_path / "samples" / "course.yaml", tmp_path / "dist"
    modpack.build(course, "scorm12", out, reuse=True)
    record = json.loads((out / CACHE_FILE).read_text())
    mine = next(k for k in record if k.split("|")[0].endswith("rujukan-terpadu"))
    theirs = next(k for k in record if k.split("|")[0].endswith("kewirausahaan-sosial"))
    record[mine]["zips"] = record[theirs]["zips"]
    (out / CACHE_FILE).write_text(json.dumps(record))
    other = tmp_path / "samples" / "kewirausahaan-sosial" / "module.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "\n# diubah\n", encoding="utf-8")
    written = modpack.build(course, "scorm12", out, reuse=True)
    assert [p.name for p in written] == ["rujukan-terpadu-1.2.0-scorm12.zip", "kewirausahaan-sosial-2.0.1-scorm12.zip"]


def test_a_course_refused_after_a_save_leaves_its_unchanged_modules_zips(tmp_path):
    """A changed module that now clashes with an unchanged one (its id): nothing is published, and
    the unchanged module's zip, kept for this build, is not taken for a temporary one and removed."""
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    course, out = tmp_path / "samples" / "course.yaml", tmp_path / "dist"
    first = modpack.build(course, "scorm12", out, reuse=True)
    before = _states(out)
    definition = tmp_path / "samples" / "kewirausahaan-sosial" / "module.yaml"
    text = definition.read_text(encoding="utf-8")
    assert "\nid: kewirausahaan-sosial\n" in text
    definition.write_text(text.replace("\nid: kewirausahaan-sosial\n", "\nid: rujukan-terpadu\n"), encoding="utf-8")
    with pytest.raises(modpack.InvalidDefinition, match="also the id"):
        modpack.build(course, "scorm12", out, reuse=True)
    assert _states(out) == before and all(p.is_file() for p in first)
    assert sorted(p.name for p in out.iterdir()) == sorted([p.name for p in first] + [CACHE_FILE])


def test_the_library_builds_every_time_unless_asked_to_reuse(tmp_path):
    out = tmp_path / "dist"
    first = modpack.build(SAMPLES / "rujukan-terpadu", "scorm12", out)
    assert not (out / CACHE_FILE).exists()  # build() as before: no record, no skipping
    told: list[list[Path]] = []
    assert modpack.build(SAMPLES / "rujukan-terpadu", "scorm12", out, reuse=True) == first
    assert modpack.build(SAMPLES / "rujukan-terpadu", "scorm12", out, reuse=True, on_unchanged=told.append) == first
    assert told == [first]


def test_build_watch_rebuilds_within_a_second_of_a_save(tmp_path):
    folder = tmp_path / "modul"
    shutil.copytree(SAMPLES / "kewirausahaan-sosial", folder)
    process = subprocess.Popen([sys.executable, "-m", "modpack", "build", str(folder), "--out", str(tmp_path / "dist"),
                                "--watch"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "MODPACK_LANG": "en"})
    try:
        assert process.stdout.readline().strip().endswith("-scorm12.zip")
        assert "watching" in process.stderr.readline()
        zip_path = next((tmp_path / "dist").glob("*.zip"))
        stamp = zip_path.stat().st_mtime_ns
        page = next((folder / "halaman").glob("*.md"))
        saved = time.monotonic()
        page.write_text(page.read_text(encoding="utf-8") + "\nSatu kalimat lagi.\n", encoding="utf-8")
        assert process.stdout.readline().strip() == str(zip_path)
        assert "built in" in process.stderr.readline()
        assert zip_path.stat().st_mtime_ns != stamp
        # a correctness bound (a hung watcher), not a speed figure: benchmarks/build.py measures
        assert time.monotonic() - saved < 30
    finally:
        process.terminate()
        process.wait(10)


def test_build_watch_of_a_course_builds_the_module_saved(tmp_path):
    """A watcher started on a course whose last build stands builds, on a save, the module saved;
    the other's zip stands, and it says so."""
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    course, out = tmp_path / "samples" / "course.yaml", tmp_path / "dist"
    assert run("build", str(course), "--out", str(out)).returncode == 0
    before = _states(out)
    process = subprocess.Popen([sys.executable, "-m", "modpack", "build", str(course), "--out", str(out), "--watch"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "MODPACK_LANG": "en"})
    try:
        assert "nothing changed" in process.stderr.readline()
        assert "watching" in process.stderr.readline()
        page = tmp_path / "samples" / "kewirausahaan-sosial" / "halaman" / "01-dari-bantuan-ke-usaha.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nSatu kalimat lagi.\n", encoding="utf-8")
        said = [process.stderr.readline()]
        while "built in" not in said[-1] and said[-1]:
            said.append(process.stderr.readline())
        assert "1 of 2 packages kept as they were" in said[-2] and "built in" in said[-1]
        after = _states(out)
        assert {name: after[name] == before[name] for name in before} == {
            "rujukan-terpadu-1.2.0-scorm12.zip": True, "kewirausahaan-sosial-2.0.1-scorm12.zip": False}
    finally:
        process.terminate()
        process.wait(10)


def test_the_command_line_starts_without_the_model_or_the_renderer():
    code = ("import sys, modpack.cli; heavy = [m for m in ('pydantic', 'pyromark', 'docx', 'httpx', 'lxml') "
            "if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
    from modpack.definition.schema import SCHEMAS
    from modpack.cli import main

    kind = next(p for p in main.commands["schema"].params if p.name == "kind")
    assert sorted(kind.type.choices) == sorted(SCHEMAS)


def test_check_imports_nothing_of_the_build(tmp_path):
    """`check` judges others' packages: it needs neither the model, the renderer, nor the file rule
    a build approves its files with (xsd imports that only to ship schema files)."""
    package = modpack.build_package(modpack.load(SAMPLES / "rujukan-terpadu"), "scorm12", tmp_path)
    code = ("import sys; from modpack import checker; checker.check(sys.argv[1]); print(sorted(m for m in sys.modules "
            "if m.startswith(('modpack.definition', 'modpack.package', 'modpack.model', 'pydantic', 'pyromark'))))")
    result = subprocess.run([sys.executable, "-c", code, str(package)], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_an_unchanged_build_is_answered_without_the_model_or_the_builder(tmp_path):
    """The record decides before the builder is imported: `build` of nothing changed pays for
    neither pydantic nor the renderer (0.1 s, not 0.3 s, for 2,000 pages: benchmarks/build.py)."""
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    code = ("import sys, runpy\nsys.argv = ['modpack', *sys.argv[1:]]\ntry:\n"
            "    runpy.run_module('modpack', run_name='__main__')\nfinally:\n"
            "    print('LOADED', [m for m in ('pydantic', 'pyromark', 'modpack.package.builder', 'modpack.model') "
            "if m in sys.modules], file=sys.stderr)\n")
    env = {**os.environ, "MODPACK_LANG": "en", "MODPACK_SERVER": "off"}
    for source in (tmp_path / "samples" / "rujukan-terpadu", tmp_path / "samples" / "course.yaml"):
        args = [sys.executable, "-c", code, "build", str(source), "--out", str(tmp_path / "dist")]
        first = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
        assert first.returncode == 0, first.stderr
        assert "'modpack.package.builder'" in first.stderr  # built: the builder was needed
        again = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
        assert again.returncode == 0 and "nothing changed" in again.stderr, again.stderr
        assert sorted(again.stdout.split()) == sorted(line for line in first.stdout.split() if line.endswith(".zip"))
        assert "LOADED []" in again.stderr, again.stderr


def test_the_parts_of_modpack_are_there_when_first_used():
    code = ("import modpack; print(modpack.package.builder.FORMATS[0], modpack.definition.loader.__name__, "
            "modpack.checker.check.__name__, modpack.Module.__name__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["scorm12", "modpack.definition.loader", "check", "Module"], result.stderr
    result = subprocess.run([sys.executable, "-c", "import modpack; modpack.nothing"], capture_output=True, text=True)
    assert "AttributeError: module 'modpack' has no attribute 'nothing'" in result.stderr


def test_a_file_hash_is_trusted_only_while_the_file_is_as_it_was_hashed(tmp_path, monkeypatch):
    """The zip writer hashes what it copies and the record keeps those hashes (no second read of the
    media); a file rewritten to the same size with its old modification time restored is read again
    (its change time moved), so no edit is ever missed."""
    from modpack import filehash
    from modpack.package import cache

    monkeypatch.setattr(filehash, "RACY_NS", 0)  # the files were written a moment ago
    monkeypatch.setattr(filehash, "known", {})
    folder = tmp_path / "modul"
    shutil.copytree(SAMPLES / "rujukan-terpadu", folder)
    picture = folder / "media" / "salam-pembuka.mp3"
    out = tmp_path / "dist"
    modpack.build(folder, "scorm12", out, reuse=True)
    import hashlib
    content = picture.read_bytes()
    assert filehash.known[filehash.state(os.lstat(picture))] == hashlib.sha256(content).hexdigest()
    record = (out / CACHE_FILE).read_text(encoding="utf-8")
    assert hashlib.sha256(content).hexdigest() in record  # kept for the next process

    monkeypatch.setattr(filehash, "known", {})
    cache.BuildCache(out)  # a new process learns the hashes from the record
    assert filehash.known[filehash.state(os.lstat(picture))] == hashlib.sha256(content).hexdigest()

    told: list[list[Path]] = []
    modpack.build(folder, "scorm12", out, reuse=True, on_unchanged=told.append)
    assert told  # unchanged
    before = os.stat(picture)
    picture.write_bytes(bytes(255 - b for b in content))  # same size, other bytes
    os.utime(picture, ns=(before.st_atime_ns, before.st_mtime_ns))  # the old time put back
    told.clear()
    modpack.build(folder, "scorm12", out, reuse=True, on_unchanged=told.append)
    assert not told  # built again: the change time tells the file was written


def test_a_course_built_on_several_cores_hands_its_file_hashes_back(tmp_path, monkeypatch):
    """A course's modules are read and written by forked workers (builder._ParallelReader); the
    hashes a worker made as it copied files come back with its results, so the rebuild record the
    parent writes does not read those files a second time."""
    from modpack import filehash

    monkeypatch.setattr(filehash, "RACY_NS", 0)  # the files were written a moment ago
    monkeypatch.setattr(filehash, "known", {})
    shutil.copytree(SAMPLES, tmp_path / "kursus")
    modpack.build(tmp_path / "kursus" / "course.yaml", "scorm12", tmp_path / "dist")
    import hashlib
    for module in ("rujukan-terpadu", "kewirausahaan-sosial"):
        for path in sorted((tmp_path / "kursus" / module / "unduhan").iterdir()):
            assert filehash.known[filehash.state(os.lstat(path))] == hashlib.sha256(path.read_bytes()).hexdigest(), path


def test_a_record_naming_a_file_outside_its_folder_or_not_a_zip_stands_for_no_build(tmp_path):
    """The record lies in the output folder, which others may write: a zip it names is one of that
    folder's zips, never a file elsewhere (which the build would then list, and hand on as its own)."""
    from modpack.package.cache import BuildCache, _zip_state

    out = tmp_path / "dist"
    out.mkdir()
    (out / "m.zip").write_bytes(b"PK")
    (tmp_path / "rahasia.zip").write_bytes(b"PK")
    (out / "catatan.txt").write_text("x")
    record = BuildCache(out)
    for name, target in (("m.zip", out / "m.zip"), ("../rahasia.zip", tmp_path / "rahasia.zip"),
                         (str(tmp_path / "rahasia.zip"), tmp_path / "rahasia.zip"), ("catatan.txt", out / "catatan.txt"),
                         ("m\0.zip", out / "m.zip")):  # (a NUL: the system refuses the name, a ValueError)
        record.entries["key"] = {"inputs": "d", "zips": [[name, *_zip_state(target.stat())]], "files": []}
        assert (record.fresh("key", "d") is not None) == (name == "m.zip"), name


def test_a_record_with_a_number_past_64_bits_is_written_and_read(tmp_path):
    """orjson writes the record; one holding a number orjson cannot write (an inode past 64 bits)
    is written by json, and read back (orjson reads that number as a float: such a file's hash is
    not believed, and is taken again)."""
    from modpack.package.cache import CACHE_FILE, BuildCache

    zip_path = tmp_path / "m.zip"
    zip_path.write_bytes(b"PK")
    record = BuildCache(tmp_path)
    record.entries["other"] = {"inputs": "x", "zips": [], "files": [[1, 2**70, 3, 4, 5, "0" * 64]]}
    record.record("key", "digest", [zip_path])
    assert json.loads((tmp_path / CACHE_FILE).read_text())["other"]["files"][0][1] == 2**70
    again = BuildCache(tmp_path)
    assert again.entries["other"]["files"] == [] and again.fresh("key", "digest") == [zip_path]


def test_a_large_record_is_still_read(tmp_path):
    """A course of 2,000 modules of 14 files records 28,000 files: 4.2 MB, and 6.4 MB as the record
    was once written (indented), over the 4 MB it was read up to. Such a course then built every
    module again, each time, even with nothing changed (25 s)."""
    folder = tmp_path / "modul"
    shutil.copytree(SAMPLES / "rujukan-terpadu", folder)
    out = tmp_path / "dist"
    modpack.build(folder, out=out, reuse=True)
    record = json.loads((out / CACHE_FILE).read_text())
    # as many files as such a course has, under another build's key (one output folder, many builds)
    record["/kursus/besar/course.yaml|scorm12|False|None|None"] = {
        "inputs": "0" * 64, "zips": [],
        "files": [[2049, 10_000_000 + i, 3_456, 1_765_000_000_123_456_789, 1_765_000_000_123_456_789, f"{i:064x}"]
                  for i in range(40_000)]}
    (out / CACHE_FILE).write_text(json.dumps(record, indent=2))
    assert (out / CACHE_FILE).stat().st_size > 4 * 1024 * 1024
    told: list[list[Path]] = []
    modpack.build(folder, out=out, reuse=True, on_unchanged=told.append)
    assert len(told) == 1


def test_a_record_too_large_or_of_too_many_values_is_not_parsed(tmp_path, monkeypatch):
    """The record lies in the output folder: one of more bytes, or more values, than any build
    writes is a record of nothing (the next build builds), answered without parsing it."""
    from modpack.package import cache

    parsed: list[int] = []
    real = cache.orjson.loads
    monkeypatch.setattr(cache.orjson, "loads", lambda raw: parsed.append(len(raw)) or real(raw))
    (tmp_path / CACHE_FILE).write_bytes(b'{"k":[' + b"[]," * (cache.MAX_RECORD_VALUES // 2) + b"[]]}")
    assert cache.BuildCache(tmp_path).entries == {} and parsed == []
    (tmp_path / CACHE_FILE).write_bytes(b'{"k":"' + b"x" * cache.MAX_RECORD_BYTES + b'"}')
    assert cache.BuildCache(tmp_path).entries == {} and parsed == []
    (tmp_path / CACHE_FILE).unlink()
    os.mkfifo(tmp_path / CACHE_FILE)  # never waited on
    assert cache.BuildCache(tmp_path).entries == {} and parsed == []
    (tmp_path / CACHE_FILE).unlink()
    entry = {"inputs": "x", "zips": [], "files": [[1, 2, 3, 4, 5, "0" * 64]] * 1000}
    (tmp_path / CACHE_FILE).write_text(json.dumps({"k": entry}))
    assert cache.BuildCache(tmp_path).entries == {"k": entry} and len(parsed) == 1


def test_a_page_saved_during_a_build_leaves_no_record_so_the_next_build_builds(tmp_path, monkeypatch):
    """The inputs are looked at before and after a build: a page saved in between (here: while the
    pages render) means the zip may hold the old text, so nothing is recorded and the next build
    builds, although the page is then unchanged."""
    from modpack.package import builder

    folder = tmp_path / "modul"
    shutil.copytree(SAMPLES / "rujukan-terpadu", folder)
    page = folder / "halaman" / "01-apa-itu-slrt.md"
    real = builder.prepare_content

    def saved_meanwhile(*args, **kwargs):
        made = real(*args, **kwargs)
        page.write_text(page.read_text(encoding="utf-8") + "\nDisimpan saat membangun.\n", encoding="utf-8")
        return made

    monkeypatch.setattr(builder, "prepare_content", saved_meanwhile)
    modpack.build(folder, out=tmp_path / "dist", reuse=True)
    monkeypatch.undo()
    assert not (tmp_path / "dist" / CACHE_FILE).exists()
    unchanged: list[list[Path]] = []
    modpack.build(folder, out=tmp_path / "dist", reuse=True, on_unchanged=unchanged.append)
    assert unchanged == [] and (tmp_path / "dist" / CACHE_FILE).exists()
    modpack.build(folder, out=tmp_path / "dist", reuse=True, on_unchanged=unchanged.append)
    assert len(unchanged) == 1  # now recorded: unchanged since


def test_a_file_added_during_a_build_is_built_with_the_next_build(tmp_path, monkeypatch):
    """A file that appears while a build runs was not among the inputs it hashed: whatever the
    build kept, the next one, which lists the file, builds again."""
    from modpack.package import builder

    folder = tmp_path / "modul"
    shutil.copytree(SAMPLES / "rujukan-terpadu", folder)
    real = builder.prepare_content

    def added_meanwhile(*args, **kwargs):
        made = real(*args, **kwargs)
        (folder / "halaman" / "baru.md").write_text("Halaman baru.\n", encoding="utf-8")
        return made

    monkeypatch.setattr(builder, "prepare_content", added_meanwhile)
    modpack.build(folder, out=tmp_path / "dist", reuse=True)
    monkeypatch.undo()
    unchanged: list[list[Path]] = []
    modpack.build(folder, out=tmp_path / "dist", reuse=True, on_unchanged=unchanged.append)
    assert unchanged == []
    modpack.build(folder, out=tmp_path / "dist", reuse=True, on_unchanged=unchanged.append)
    assert len(unchanged) == 1  # recorded now, with the file among its inputs


def _env_run(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env={**os.environ, "MODPACK_LANG": "en", "MODPACK_SERVER": "off", **env})


def _packed_text(zip_path: Path) -> str:
    """Every page of a package, as one text."""
    import zipfile

    with zipfile.ZipFile(zip_path) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                       if name.endswith((".html", ".js")))


def _module(tmp_path: Path) -> Path:
    folder = tmp_path / "modul"
    shutil.copytree(SAMPLES / "rujukan-terpadu", folder)
    return folder


def _rebuilt(folder: Path | str, out: Path, cwd: Path | None = None, **env: str) -> tuple[bool, Path]:
    """Whether the build built (not 'nothing changed'), and its zip."""
    result = _env_run("build", str(folder), "--out", str(out), cwd=cwd, **env)
    assert result.returncode == 0, result.stderr
    return "nothing changed" not in result.stderr, Path(cwd or ".", result.stdout.split()[0])


def test_a_module_built_by_naming_its_file_is_rebuilt_when_a_page_changes(tmp_path):
    folder, out = _module(tmp_path), tmp_path / "dist"
    assert _rebuilt(folder / "module.yaml", out)[0]
    assert not _rebuilt(folder / "module.yaml", out)[0]
    page = folder / "halaman" / "02-peran-puskesos.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nPenanda suntingan QX7.\n", encoding="utf-8")
    built, zip_path = _rebuilt(folder / "module.yaml", out)
    assert built and "QX7" in _packed_text(zip_path)


def test_where_a_link_points_is_an_input(tmp_path):
    """A page that is a link, and a folder that is a link, turned to another target of a name as
    long: the package follows."""
    folder, out = _module(tmp_path), tmp_path / "dist"
    pages = folder / "halaman"
    page = pages / "02-peran-puskesos.md"
    for version in "ab":
        (pages / f"versi-{version}.md").write_text(f"# Peran\n\nVersi halaman {version.upper()}ZQ.\n", encoding="utf-8")
    page.unlink()
    page.symlink_to("versi-a.md")
    assert _rebuilt(folder, out)[0]
    page.unlink()
    page.symlink_to("versi-b.md")
    built, zip_path = _rebuilt(folder, out)
    assert built and "Versi halaman BZQ" in _packed_text(zip_path)
    # the whole folder of pages, as a link
    for version in "cd":
        shutil.copytree(pages, folder / f"halaman-{version}", symlinks=True)
        (folder / f"halaman-{version}" / "versi-b.md").write_text(f"# Peran\n\nFolder {version.upper()}ZQ.\n",
                                                                  encoding="utf-8")
    shutil.rmtree(pages)
    pages.symlink_to("halaman-c")
    built, zip_path = _rebuilt(folder, out)
    assert built and "Folder CZQ" in _packed_text(zip_path)
    assert not _rebuilt(folder, out)[0]
    pages.unlink()
    pages.symlink_to("halaman-d")
    built, zip_path = _rebuilt(folder, out)
    assert built and "Folder DZQ" in _packed_text(zip_path)


def test_a_file_in_a_folder_of_tools_is_refused(tmp_path):
    """A rebuild does not read .git or node_modules (a module in git would hash its history): a
    module that takes a file from there, directly or through a link, is told so."""
    folder = _module(tmp_path)
    (folder / "node_modules").mkdir()
    shutil.copy(folder / "halaman" / "02-peran-puskesos.md", folder / "node_modules" / "peran.md")
    (folder / "teks").symlink_to("node_modules")
    definition = folder / "module.yaml"
    original = definition.read_text(encoding="utf-8")
    for named in ("node_modules/peran.md", "teks/peran.md"):
        definition.write_text(original.replace("file: halaman/02-peran-puskesos.md", f"file: {named}"), encoding="utf-8")
        result = _env_run("validate", str(folder))
        assert result.returncode == 2
        assert f"'{named}' lies in 'node_modules', a folder of tools" in result.stdout + result.stderr


def test_the_time_in_every_entry_is_an_input(tmp_path):
    import zipfile

    folder, out = _module(tmp_path), tmp_path / "dist"
    assert _rebuilt(folder, out)[0]
    built, zip_path = _rebuilt(folder, out, SOURCE_DATE_EPOCH="1700000000")
    assert built
    with zipfile.ZipFile(zip_path) as archive:
        assert archive.infolist()[0].date_time[:3] == (2023, 11, 14)
    assert not _rebuilt(folder, out, SOURCE_DATE_EPOCH="1700000000")[0]


def test_a_zip_written_over_with_its_time_put_back_is_built_again(tmp_path):
    folder, out = _module(tmp_path), tmp_path / "dist"
    _built, zip_path = _rebuilt(folder, out)
    before = zip_path.stat()
    data = bytearray(zip_path.read_bytes())
    data[100:110] = bytes(10)
    zip_path.write_bytes(bytes(data))
    os.utime(zip_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _rebuilt(folder, out)[0]
    assert _env_run("check", str(zip_path)).returncode == 0


def test_the_same_module_named_three_ways_is_one_build(tmp_path):
    folder, out = _module(tmp_path), tmp_path / "dist"
    assert _rebuilt("modul", out, cwd=tmp_path)[0]
    assert not _rebuilt("./modul", out, cwd=tmp_path)[0]
    assert not _rebuilt(folder, out)[0]
    assert not _rebuilt(".", out, cwd=folder)[0]
    assert not _rebuilt("modul/module.yaml", out, cwd=tmp_path)[0]  # (as a course names it: by its folder)


def test_the_same_formats_asked_in_another_order_are_one_build_listed_alike(tmp_path):
    """In FORMATS' order, however asked; also when a module is split (--max-size), whose parts were
    listed by where the earlier build had put them."""
    folder, out = _module(tmp_path), tmp_path / "dist"
    first = _env_run("build", str(folder), "--format", "cmi5,scorm12", "--out", str(out))
    assert first.returncode == 0 and "nothing changed" not in first.stderr, first.stderr
    assert [Path(line).name.rsplit("-", 1)[1] for line in first.stdout.split()] == ["scorm12.zip", "cmi5.zip"]
    again = _env_run("build", str(folder), "--format", "scorm12,cmi5", "--out", str(out))
    assert again.returncode == 0 and "nothing changed" in again.stderr, again.stderr
    assert again.stdout.split() == first.stdout.split()
    split = [_env_run("build", str(folder), "--format", formats, "--max-size", "0.076", "--out", str(tmp_path / "split"),
                      *force) for formats, force in (("cmi5,scorm12", ()), ("scorm12,cmi5", ()),
                                                     ("scorm12,cmi5", ("--force",)))]
    assert [result.returncode for result in split] == [0, 0, 0], split[0].stderr
    assert "nothing changed" in split[1].stderr
    assert split[0].stdout == split[1].stdout == split[2].stdout
    assert len(split[0].stdout.split()) > 2  # (split indeed)


def test_a_record_that_cannot_be_written_is_a_warning_and_a_place_for_it_is_never_trusted(tmp_path):
    """What stands where the record goes (a folder, a FIFO or a link where its temporary file was
    written) neither fails the build that wrote its zips, nor blocks it, nor is written through."""
    folder, out = _module(tmp_path), tmp_path / "dist"
    out.mkdir()
    (out / CACHE_FILE).mkdir()
    result = _env_run("build", str(folder), "--out", str(out))
    assert result.returncode == 0 and "the rebuild record cannot be written" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(list(out.glob("*.zip"))) == 1
    assert "nothing changed" not in _env_run("build", str(folder), "--out", str(out)).stderr
    (out / CACHE_FILE).rmdir()
    os.mkfifo(out / f"{CACHE_FILE}.part")
    victim = tmp_path / "victim.txt"
    victim.write_text("tetap")
    (out / f".{CACHE_FILE}.part").symlink_to(victim)
    result = _env_run("build", str(folder), "--out", str(out))  # (run's timeout: a wait on the FIFO fails it)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    assert victim.read_text() == "tetap" and (out / CACHE_FILE).is_file() and not (out / CACHE_FILE).is_symlink()
    assert "nothing changed" in _env_run("build", str(folder), "--out", str(out)).stderr


class Watcher:
    """`modpack build --watch`, its standard error read on a thread: each expected line is waited
    for with a deadline (a watcher that stays silent fails the test, never hangs it)."""

    def __init__(self, source: Path, out: Path, *options: str, modpack: tuple[str, ...] = ("-m", "modpack")):
        import queue
        import threading

        self.process = subprocess.Popen([sys.executable, *modpack, "build", str(source), "--out", str(out),
                                         "--watch", *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True, env={**os.environ, "MODPACK_LANG": "en", "MODPACK_SERVER": "off"})
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, seconds: float = 60) -> None:
        import queue

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.said.append(line)
            if text in line:
                return
        raise AssertionError(f"{text!r} never came; the watcher said: {''.join(self.said)}")

    def stop(self, number: int = 15) -> int:
        """Its exit status, once ``number`` is sent; all it said is in ``said`` then."""
        self.process.send_signal(number)
        code = self.process.wait(30)
        self.reader.join(30)
        while not self.lines.empty():
            self.said.append(self.lines.get_nowait())
        return code


# the watcher's own process, with a spy put in once it has made ready: every pydantic validator made
# after that is said on standard error
_SPIED_WATCHER = """
import sys
import pydantic, pydantic.main
from modpack.package import builder

made_ready = builder.make_ready

def ready_then_spy():
    made_ready()
    rebuild = pydantic.main.BaseModel.model_rebuild.__func__
    def spy(cls, *args, **kwargs):
        print("validator made:", cls.__qualname__, file=sys.stderr, flush=True)
        return rebuild(cls, *args, **kwargs)
    pydantic.main.BaseModel.model_rebuild = classmethod(spy)
    adapter = pydantic.TypeAdapter.__init__
    def spy_adapter(self, *args, **kwargs):
        print("validator made:", repr(args[0]), file=sys.stderr, flush=True)
        adapter(self, *args, **kwargs)
    pydantic.TypeAdapter.__init__ = spy_adapter
    print("ready", file=sys.stderr, flush=True)

builder.make_ready = ready_then_spy
from modpack.cli import main
main(args=sys.argv[1:], prog_name="modpack")
"""


def test_a_watcher_whose_first_build_found_nothing_changed_is_ready_before_the_first_save(tmp_path):
    """The first build of a watcher may find nothing changed and so make nothing: the save after it
    would wait for the imports and validators on top of its build. The watcher makes them while it
    waits, and the build after a save makes none."""
    folder = _module(tmp_path)
    out = tmp_path / "dist"
    assert run("build", str(folder), "--out", str(out)).returncode == 0
    watcher = Watcher(folder, out, modpack=("-c", _SPIED_WATCHER))
    try:
        watcher.wait_for("watching")
        watcher.wait_for("ready")
        page = folder / "halaman" / "02-peran-puskesos.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nSatu kalimat lagi.\n", encoding="utf-8")
        watcher.wait_for("built in")
    finally:
        assert watcher.stop() == 0
    assert not [line for line in watcher.said if "validator made" in line], watcher.said


def test_a_watched_course_follows_its_modules_wherever_they_are(tmp_path):
    """A module listed from outside the course's folder, and one that is a link: a save in either
    rebuilds."""
    (tmp_path / "kursus").mkdir()
    shutil.copytree(SAMPLES / "rujukan-terpadu", tmp_path / "bersama" / "rujukan")
    shutil.copytree(SAMPLES / "kewirausahaan-sosial", tmp_path / "bersama" / "kewirausahaan")
    (tmp_path / "kursus" / "kewirausahaan").symlink_to(tmp_path / "bersama" / "kewirausahaan")
    course = tmp_path / "kursus" / "course.yaml"
    course.write_text("id: kursus-uji\ntitle: Kursus uji\nmodules:\n  - ../bersama/rujukan\n  - kewirausahaan\n",
                      encoding="utf-8")
    watcher = Watcher(course, tmp_path / "dist")
    try:
        watcher.wait_for("watching")
        for module in ("rujukan", "kewirausahaan"):
            page = next((tmp_path / "bersama" / module / "halaman").glob("*.md"))
            page.write_text(page.read_text(encoding="utf-8") + "\nSatu kalimat lagi.\n", encoding="utf-8")
            watcher.wait_for("built in")
    finally:
        assert watcher.stop() == 0


def test_a_watcher_says_when_a_broken_definition_is_mended_and_ends_cleanly_on_sigterm(tmp_path):
    folder = _module(tmp_path)
    definition = folder / "module.yaml"
    original = definition.read_text(encoding="utf-8")
    watcher = Watcher(folder, tmp_path / "dist")
    try:
        watcher.wait_for("watching")
        definition.write_text(original.replace("title:", "titel:", 1), encoding="utf-8")
        watcher.wait_for("not built")
        definition.write_text(original, encoding="utf-8")  # mended back: the zips were right all along
        watcher.wait_for("valid again")
    finally:
        assert watcher.stop(signal.SIGTERM) == 0  # as Ctrl+C: a watcher's normal end
    assert not list((tmp_path / "dist").glob(".*.part"))


def test_a_watcher_does_not_build_for_an_editor_s_swap_lock_or_backup_files(tmp_path):
    folder = _module(tmp_path)
    page = folder / "halaman" / "02-peran-puskesos.md"
    watcher = Watcher(folder, tmp_path / "dist")
    try:
        watcher.wait_for("watching")
        # what vim, Emacs, LibreOffice and Word leave beside an open file, and take away again
        for name in (".02-peran-puskesos.md.swp", "4913", "02-peran-puskesos.md~", ".~lock.modul.docx#", "~$modul.docx"):
            (page.parent / name).write_text("x", encoding="utf-8")
        (page.parent / ".#02-peran-puskesos.md").symlink_to("tim@laptop.1234")  # Emacs's lock: a dangling link
        time.sleep(1.2)  # six polls
        (page.parent / "4913").unlink()
        time.sleep(0.6)
        page.write_text(page.read_text(encoding="utf-8") + "\nSatu kalimat lagi.\n", encoding="utf-8")  # a save
        watcher.wait_for("built in")
        time.sleep(0.6)
    finally:
        assert watcher.stop() == 0
    assert sum("built in" in line for line in watcher.said) == 1, "".join(watcher.said)


def test_a_watcher_looks_less_often_when_looking_takes_long(tmp_path, monkeypatch):
    """A watcher looks at its files every fifth of a second, or, when a look takes long (a course of
    2,000 modules of 14 files: 0.35 s), three times that look's time after it (it never spends more than a
    quarter of a core looking), and never more than two seconds after it (a look that took long,
    a save is still seen and a `kill` acted on soon). A look is timed in its thread's CPU time:
    a watcher stopped by Ctrl+Z in the middle of a look does not then wait three times as long.
    The looks here take the times of a clock the test moves."""
    from modpack import cli
    from modpack.package import cache

    folder = _module(tmp_path)
    clock = [1000.0]
    looks = iter([0.0, 0.5, 10.0])  # (the first: the look the watcher starts with, not timed)
    slept: list[float] = []
    real_signature = cache.signature

    def slow_signature(*args):
        clock[0] += next(looks)
        return real_signature(*args)

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 3:
            raise KeyboardInterrupt  # Ctrl+C: the watcher's normal end

    monkeypatch.setattr(cache, "signature", slow_signature)
    monkeypatch.setattr(time, "thread_time", lambda: clock[0])
    monkeypatch.setattr(time, "sleep", sleep)
    handler = signal.getsignal(signal.SIGINT)
    cli._build_watching(str(folder), ("scorm12",), str(tmp_path / "dist"), False, {})
    assert slept == [cache.WATCH_INTERVAL, 1.5, cache.WATCH_WAIT_MAX]
    assert signal.getsignal(signal.SIGINT) is handler  # (the watcher ran in this process: left as it was)


def test_a_watcher_stopped_by_ctrl_c_pressed_twice_ends_with_exit_0(tmp_path):
    """The second Ctrl+C came as the first was being acted on: it killed the watcher (-SIGINT)."""
    folder = _module(tmp_path)
    for gap in (0.0, 0.005, 0.012, 0.02):
        watcher = Watcher(folder, tmp_path / "dist")
        watcher.wait_for("watching")
        watcher.process.send_signal(signal.SIGINT)
        time.sleep(gap)
        assert watcher.stop(signal.SIGINT) == 0, (gap, "".join(watcher.said))


def test_a_file_name_that_is_not_utf8_is_an_input_like_any_other(tmp_path):
    folder, out = _module(tmp_path), tmp_path / "dist"
    odd = os.path.join(os.fsencode(folder / "unduhan"), b"catatan-caf\xe9.txt")
    with open(odd, "wb") as file:
        file.write(b"catatan")
    result = _env_run("build", str(folder), "--out", str(out))
    assert result.returncode == 0 and "internal error" not in result.stderr and "warning" not in result.stderr
    assert not _rebuilt(folder, out)[0]
    with open(odd, "ab") as file:
        file.write(b" lagi")
    assert _rebuilt(folder, out)[0]


def _long_module(tmp_path: Path) -> Path:
    """The sample with 3,000 pages more: long enough to be interrupted while its zips are written."""
    folder = _module(tmp_path)
    pages = folder / "halaman"
    text = "Pendamping PKH mencatat kunjungan rumah dan rujukan keluarga penerima manfaat. " * 40
    for i in range(3000):
        (pages / f"tambahan-{i}.md").write_text(f"# Tambahan {i}\n\n{text}\n", encoding="utf-8")
    definition = folder / "module.yaml"
    extra = "".join(f"      - id: tambahan-{i}\n        title: Tambahan {i}\n        file: halaman/tambahan-{i}.md\n"
                    for i in range(3000))
    source = definition.read_text(encoding="utf-8")
    at = source.index("        file: halaman/02-peran-puskesos.md\n") + len("        file: halaman/02-peran-puskesos.md\n")
    definition.write_text(source[:at] + extra + source[at:], encoding="utf-8")
    return folder


def _build_process(source: Path, out: Path, *options: str, session: bool = False) -> subprocess.Popen[str]:
    """`modpack build` in a process of its own (``session``: in a session of its own too, so that
    a Ctrl+C sent to its process group reaches the build and its workers, as a terminal's does)."""
    return subprocess.Popen([sys.executable, "-m", "modpack", "build", str(source), "--out", str(out), *options],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=session,
                            env={**os.environ, "MODPACK_LANG": "en", "MODPACK_SERVER": "off"})


def _until_staged(process: subprocess.Popen[str], out: Path, count: int) -> None:
    """Wait until ``count`` temporary zips are in ``out``, or the build has ended (at most 120 s)."""
    deadline = time.monotonic() + 120
    while len(list(out.glob(".*.part"))) < count and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)


def _press_ctrl_c(process: subprocess.Popen[str], presses: int, apart: float) -> None:
    """Ctrl+C as a terminal sends it (to the build's whole process group: _build_process's session),
    ``presses`` times, ``apart`` seconds apart (none once the build has ended)."""
    for _ in range(presses):
        try:
            os.killpg(process.pid, signal.SIGINT)
        except ProcessLookupError:
            break
        time.sleep(apart)


def _interrupted(folder: Path, out: Path, number: int, staged: int, *options: str) -> tuple[int, str]:
    """The build's exit status and standard error, ``number`` sent once ``staged`` temporary zips
    are there."""
    process = _build_process(folder, out, *options)
    _until_staged(process, out, staged)
    assert process.poll() is None, "the build ended before it could be interrupted: " + process.stderr.read()
    process.send_signal(number)
    _out, err = process.communicate(timeout=60)
    return process.returncode, err


def test_ctrl_c_during_a_build_of_several_formats_leaves_no_temporary_zip(tmp_path):
    out = tmp_path / "dist"
    code, err = _interrupted(_long_module(tmp_path), out, signal.SIGINT, 2, "--format", "all")  # one staged whole
    assert code == 130 and "Aborted!" in err
    assert not list(out.glob(".*.part")) and not list(out.glob("*.zip"))


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="when the build has begun is read from /proc (Linux)")
@pytest.mark.parametrize("presses", [1, 2], ids=["once", "twice"])
def test_ctrl_c_at_any_moment_of_a_course_build_ends_it_cleanly(tmp_path, presses):
    """Ctrl+C (SIGINT to the terminal's whole process group: the build and its workers), once or
    twice 30 ms apart, from the moment the build loads the model to its end: "Aborted!" (130) and
    nothing published, or the whole course built (it came too late, even as the process was
    ending: -SIGINT); never a traceback, an internal error or a temporary zip. (Raised where
    Python was, it once broke the process pool's start: "cannot join thread before it is
    started", and a worker's traceback; a second one made idle workers print tracebacks, and
    said "Aborted!" after the zips were published.)"""
    course = tmp_path / "samples" / "course.yaml"
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    if presses == 2:  # a module long enough for its workers to wait for work while the other builds
        shutil.rmtree(tmp_path / "samples" / "rujukan-terpadu")
        shutil.copytree(_long_module(tmp_path / "long"), tmp_path / "samples" / "rujukan-terpadu")
    interrupted = 0
    for n in range(24):
        out = tmp_path / f"dist-{n}"
        process = _build_process(course, out, "--format", "all", session=True)
        deadline = time.monotonic() + 60  # the build has begun once pydantic's core is loaded
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if "_pydantic_core" in Path(f"/proc/{process.pid}/maps").read_text():
                    break
            except OSError:
                pass
            time.sleep(0.002)
        time.sleep((0.025 if presses == 1 else 0.04) * n)
        _press_ctrl_c(process, presses, 0.03)
        _out, err = process.communicate(timeout=120)
        assert "Traceback" not in err and "internal error" not in err, err
        assert not list(out.glob(".*.part")) if out.exists() else True
        zips = sorted(out.glob("*.zip")) if out.exists() else []
        if "Aborted!" in err:
            interrupted += 1
            assert process.returncode in (130, -signal.SIGINT) and zips == [], (process.returncode, err)
        else:
            assert process.returncode in (0, -signal.SIGINT) and len(zips) == 8, (process.returncode, err)
    assert interrupted  # the build was interrupted at least once, not only after it ended


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a course is read by one process per core: one core, no worker")
def test_a_course_build_killed_outright_leaves_no_worker_behind(tmp_path):
    """A course's modules are read by worker processes, which share the command's standard streams.
    A worker ends with its chunk of modules: if the command is killed outright (SIGKILL, the OOM
    killer), whoever ran it still sees its streams end. (A pool's worker waited for more work for
    ever, and the caller of a build killed so waited with it: once, a test's Ctrl+C did that.)"""
    course = tmp_path / "samples" / "course.yaml"
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("dist"))
    long = _long_module(tmp_path / "long")  # the worker's module (the second): long
    definition = long / "module.yaml"
    definition.write_text(definition.read_text(encoding="utf-8").replace("\nid: rujukan-terpadu\n", "\nid: panjang\n"),
                          encoding="utf-8")
    shutil.rmtree(tmp_path / "samples" / "kewirausahaan-sosial")
    shutil.copytree(long, tmp_path / "samples" / "kewirausahaan-sosial")
    out = tmp_path / "dist"
    process = _build_process(course, out, session=True)
    deadline = time.monotonic() + 120
    children: list[str] = []
    while process.poll() is None and time.monotonic() < deadline and not children:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        time.sleep(0.01)
    assert children, "the build forked no worker"
    time.sleep(0.5)  # the worker well into its module
    process.kill()
    try:
        process.communicate(timeout=60)  # both streams ended: no process holds them
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # (a worker left behind: not left to the next tests)
        except ProcessLookupError:
            pass
    assert process.returncode == -signal.SIGKILL
    # the worker, its parent gone, removed what it had staged (the parent's own, killed, it cannot)
    assert not list(out.glob(".panjang-*.part"))


def _many_modules(folder: Path, count: int) -> Path:
    """A course of ``count`` copies of a sample module; its file."""
    text = (SAMPLES / "rujukan-terpadu" / "module.yaml").read_text(encoding="utf-8")
    for i in range(count):
        shutil.copytree(SAMPLES / "rujukan-terpadu", folder / f"m{i:03d}")
        (folder / f"m{i:03d}" / "module.yaml").write_text(
            text.replace("\nid: rujukan-terpadu\n", f"\nid: modul-{i:03d}\n"), encoding="utf-8")
    course = folder / "course.yaml"
    course.write_text("id: kursus\ntitle: Kursus\nmodules:\n" + "".join(f"  - m{i:03d}\n" for i in range(count)),
                      encoding="utf-8")
    return course


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a course is read by one process per core: one core, no worker")
def test_a_course_build_killed_tells_its_workers_to_stop(tmp_path):
    """A `kill` reaches the build's own process, not its workers: the build stops at its next
    module, and tells each worker to stop at its own, rather than wait for the worker's whole
    share of the course (of 400 modules: 4.4 s). Nothing published, nothing left."""
    course = _many_modules(tmp_path / "kursus", 400)
    out = tmp_path / "dist"
    process = _build_process(course, out)
    _until_staged(process, out, 2)
    assert process.poll() is None, "the build ended before it could be killed"
    process.send_signal(signal.SIGTERM)
    killed = time.monotonic()
    _, err = process.communicate(timeout=120)
    # a correctness bound, far from both (0.05 s; 4.4 s when the workers were not told, each its whole share)
    assert time.monotonic() - killed < 2, err
    assert process.returncode == -signal.SIGTERM and "Traceback" not in err
    assert not list(out.glob(".*.part")) and not list(out.glob("*.zip"))


def test_ctrl_c_pressed_again_and_again_does_not_cut_the_clean_up_short(tmp_path):
    """Ctrl+C pressed 60 times, 1 ms apart, during a course build: the build's clean-up (its
    workers' zips collected, every temporary zip removed) runs to its end, each press after the
    first only noted. (A third press raised inside the clean-up, and a build so stopped left dozens
    of temporary zips.)"""
    course = _many_modules(tmp_path / "kursus", 40)
    for attempt in range(3):  # the presses fall at a different point of the build each time
        out = tmp_path / f"dist-{attempt}"
        process = _build_process(course, out, "--format", "all", session=True)
        _until_staged(process, out, 24 + 16 * attempt)
        _press_ctrl_c(process, 60, 0.001)
        _, err = process.communicate(timeout=120)
        assert "Traceback" not in err and "internal error" not in err, err
        assert not list(out.glob(".*.part")), (attempt, process.returncode, sorted(p.name for p in out.iterdir()))
        if process.returncode == 130:
            assert not list(out.glob("*.zip"))


def test_a_record_of_other_shapes_is_not_believed_nor_written_back(tmp_path):
    """The record lies in the output folder: an entry not as a build writes it (here, a list nested
    1,000 deep: orjson reads it, json cannot write it, and every build that changed something
    ended in an internal error) is dropped, and the record is written without it."""
    folder = _module(tmp_path)
    out = tmp_path / "dist"
    assert run("build", str(folder), "--out", str(out)).returncode == 0
    record = json.loads((out / CACHE_FILE).read_text())
    deep = "[" * 1000 + "]" * 1000
    text = json.dumps(record)[:-1] + f', "hostile": {deep}, "other": {{"inputs": 1, "zips": [], "files": []}}}}'
    (out / CACHE_FILE).write_text(text)
    page = folder / "halaman" / "04-penjangkauan.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nKalimat baru.\n", encoding="utf-8")
    done = run("build", str(folder), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert sorted(json.loads((out / CACHE_FILE).read_text())) == sorted(record)
    assert "nothing changed" in run("build", str(folder), "--out", str(out)).stderr


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_build_killed_or_hung_up_removes_its_temporary_zip_and_ends_by_the_signal(tmp_path, number):
    out = tmp_path / "dist"
    code, err = _interrupted(_long_module(tmp_path), out, number, 1)
    assert code == -number and "Traceback" not in err
    assert not list(out.glob(".*.part")) and not list(out.glob("*.zip"))


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_watcher_killed_during_its_build_ends_as_on_ctrl_c_and_leaves_no_temporary_zip(tmp_path, number):
    out = tmp_path / "dist"
    watcher = Watcher(_long_module(tmp_path), out)
    deadline = time.monotonic() + 120
    while not list(out.glob(".*.part")) and watcher.process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert watcher.process.poll() is None, "the build ended before it could be interrupted"
    assert watcher.stop(number) == 0
    assert not list(out.glob(".*.part")) and not list(out.glob("*.zip"))
    assert not any("Traceback" in line for line in watcher.said)
