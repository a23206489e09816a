"""--max-size splits a module over an LMS's upload limit into one package per lesson (issue 19,
item 3), and refuses, writing nothing, what one lesson alone makes too big."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

import modpack
from modpack import checker
from modpack.package import builder, split

from .conftest import MINIMAL, SAMPLES
from .test_cli import run

MODULE = SAMPLES / "rujukan-terpadu"


def sizes_of(module, tmp_path) -> tuple[int, int]:
    """(the whole package's size, the biggest per-lesson package's size), in bytes."""
    whole = builder.build(module, "scorm12", tmp_path / "whole")[0].stat().st_size
    parts = [builder.build(part, "scorm12", tmp_path / "parts")[0] for part in split.by_lesson(module)]
    return whole, max(path.stat().st_size for path in parts)


def pages_of(path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return sorted(name for name in archive.namelist() if re.match(r"content/pages/.+\.js$", name))


def test_a_module_over_the_limit_is_built_as_one_valid_package_per_lesson(tmp_path):
    module = modpack.load(MODULE)
    whole, biggest = sizes_of(module, tmp_path)
    assert biggest < whole
    limit = (whole + biggest) / 2 / 1_000_000
    told = []
    written = builder.build(MODULE, "scorm12", tmp_path / "dist", validate=True, max_size_mb=limit,
                            on_warning=told.append)
    assert [path.name for path in written] == [f"rujukan-terpadu-{lesson.id}-1.2.0-scorm12.zip"
                                               for lesson in module.lessons]
    assert all(path.stat().st_size <= limit * 1_000_000 for path in written)
    assert sorted(p for path in written for p in pages_of(path)) == pages_of(tmp_path / "whole" / written[0].name
                                                                            .replace("-mengenal-slrt", ""))
    for path in written:
        report = checker.check(path)
        assert report.standard == "scorm12" and not report.errors, report.findings
    [warning] = told
    assert warning.code == "split" and "3" in warning.message and warning.file.endswith("module.yaml")
    assert sorted(path.name for path in (tmp_path / "dist").iterdir() if path.suffix == ".zip") == \
        sorted(path.name for path in written)


def test_each_part_carries_its_lesson_and_the_tests_in_the_order_a_learner_meets_them():
    module = modpack.load(MODULE)
    parts = split.by_lesson(module)
    assert [part.lessons[0].id for part in parts] == [lesson.id for lesson in module.lessons]
    assert [part.pre_test is not None for part in parts] == [True, False, False]
    assert [part.post_test is not None for part in parts] == [False, False, True]
    # only the part with the post-test reports passed/failed; the others are complete when read
    assert [part.completion.requires for part in parts] == [["pages"], ["pages"], ["pages", "post-test"]]
    assert [part.completion.report for part in parts] == ["completed-incomplete"] * 2 + ["passed-failed"]
    assert sum(part.workload.self_paced_jp for part in parts) == pytest.approx(module.workload.self_paced_jp, abs=0.02)
    assert [len(part.facilitated_sessions) for part in parts] == [len(module.facilitated_sessions), 0, 0]
    for part in parts:  # each part names only the objectives it serves
        served = set(part.lessons[0].objectives) | {o for q in part.questions() for o in q.objectives}
        served |= {o for session in part.facilitated_sessions for o in session.objectives}
        assert {o.id for o in part.objectives} == served
        assert part.root == module.root


def test_ids_of_parts_stay_ids_however_long():
    long_module, long_lesson = "m" * 60, "pelajaran-" + "x" * 50
    ids = {split.part_id(long_module, f"{long_lesson}-{n}") for n in range(20)}
    assert len(ids) == 20
    assert all(len(one) <= 64 and re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", one) for one in ids)
    assert split.part_id("rujukan-terpadu", "mengenal-slrt") == "rujukan-terpadu-mengenal-slrt"


def test_a_lesson_alone_over_the_limit_is_refused_by_name_and_nothing_is_written(tmp_path):
    module = modpack.load(MODULE)
    _, biggest = sizes_of(module, tmp_path)
    limit = (biggest - 2000) / 1_000_000
    out = tmp_path / "dist"
    result = run("build", str(SAMPLES / "course.yaml"), "--format", "scorm12,cmi5", "--max-size", f"{limit:.4f}",
                 "--out", str(out))
    assert result.returncode == 2, result.stderr
    refused = [line for line in result.stderr.splitlines() if "over --max-size" in line]
    assert any(line.startswith("modpack build: rujukan-terpadu-mengenal-slrt-1.2.0-scorm12.zip is ") for line in refused)
    assert all("cannot be split further" in line and "heaviest: " in line for line in refused), refused
    assert not out.exists() or not list(out.iterdir())  # no zip, whole or part, and no temporary file


def test_a_module_of_one_lesson_is_refused_as_it_cannot_be_split(tmp_path, write_module):
    from .conftest import MINIMAL

    folder = write_module(MINIMAL)
    module = modpack.load(folder)
    assert len(module.lessons) == 1
    with pytest.raises(builder.TooLarge, match="it has one lesson, so it cannot be split"):
        builder.build(folder, "scorm12", tmp_path / "dist", max_size_mb=0.01)
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())


def test_json_of_a_split_build_is_the_cli_s_list_of_packages(tmp_path):
    module = modpack.load(MODULE)
    whole, biggest = sizes_of(module, tmp_path)
    limit = (whole + biggest) / 2 / 1_000_000
    result = run("build", str(MODULE), "--max-size", f"{limit:.4f}", "--out", str(tmp_path / "dist"))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split()) == 3 and "one per lesson" in result.stderr
    # built again, nothing changed: the same three packages, and nothing rewritten
    again = run("build", str(MODULE), "--max-size", f"{limit:.4f}", "--out", str(tmp_path / "dist"))
    assert again.stdout.split() == result.stdout.split() and "nothing changed" in again.stderr


def test_a_part_the_model_refuses_is_a_build_error_and_nothing_is_written(tmp_path, monkeypatch):
    """Not expected of a valid module; if it happens, the build says so and writes nothing."""
    def refuse(module):
        raise ValueError("lessons: too few")

    monkeypatch.setattr(split, "by_lesson", refuse)
    with pytest.raises(builder.BuildError, match="rujukan-terpadu: cannot be split per lesson: lessons: too few"):
        builder.build(MODULE, "scorm12", tmp_path / "dist", max_size_mb=0.01)
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())


def test_a_part_with_the_id_of_another_module_of_the_course_is_refused_and_nothing_is_written(tmp_path):
    """A part is '<module>-<lesson>': a module of the course with that id validated (the parts were
    not made yet), then its zip replaced the part's, lesson 1 and its pre-test lost, exit 0."""
    import shutil

    module = modpack.load(MODULE)
    shutil.copytree(MODULE, tmp_path / "rt")
    other = tmp_path / "other"
    (other / "halaman").mkdir(parents=True)
    part_id = f"{module.id}-{module.lessons[0].id}"
    (other / "module.yaml").write_text(MINIMAL.replace("id: modul-uji", f"id: {part_id}"), encoding="utf-8")
    (other / "halaman" / "satu.md").write_text("Halo.\n", encoding="utf-8")
    course = tmp_path / "course.yaml"
    course.write_text("id: kursus-uji\ntitle: Kursus uji\nmodules: [rt, other]\n", encoding="utf-8")
    assert modpack.validate(course) == [] or not [d for d in modpack.validate(course) if d.severity.name == "ERROR"]
    whole, biggest = sizes_of(module, tmp_path)
    limit = (whole + biggest) / 2 / 1_000_000
    result = run("build", str(course), "--max-size", f"{limit:.4f}", "--out", str(tmp_path / "dist"))
    assert result.returncode == 2, result.stderr
    assert f"two packages of this build would be '{part_id}'" in result.stderr
    assert f"lesson '{module.lessons[0].id}' of {module.id}, split per lesson" in result.stderr
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())


def test_a_module_split_in_several_formats_is_one_set_of_parts(tmp_path):
    """Each format splits the module again: the same part in two formats is one activity, not two
    packages of one id (the check of ids refused such a build)."""
    import os

    folder = tmp_path / "besar"
    (folder / "halaman").mkdir(parents=True)
    (folder / "module.yaml").write_text(
        "id: modul-besar\ntitle: Modul besar\niri_base: https://pelatihan.example.go.id/xapi/\n"
        "workload: {self_paced_jp: 1}\nlessons:\n"
        + "".join(f"  - id: {n}\n    title: Pelajaran {n}\n    pages:\n      - id: h-{n}\n        title: Halaman {n}\n"
                  f"        file: halaman/{n}.md\n" for n in ("satu", "dua")), encoding="utf-8")
    for n in ("satu", "dua"):
        (folder / "halaman" / f"{n}.md").write_text(f"Isi.\n\n[Unduh bahan](bahan-{n}.pdf)\n", encoding="utf-8")
        (folder / "halaman" / f"bahan-{n}.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(300_000))
    written = builder.build(folder, "scorm12,cmi5", tmp_path / "dist", max_size_mb=0.5)
    assert sorted(path.name for path in written) == sorted(
        f"modul-besar-{n}-1.0.0-{f}.zip" for n in ("satu", "dua") for f in ("scorm12", "cmi5"))
