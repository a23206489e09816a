"""The samples are realistic, complete and valid: they are what new users copy."""

from __future__ import annotations

import pytest

import modpack
from modpack.model import QUESTION_TYPES, Course

from .conftest import SAMPLE_MODULES, SAMPLES


def test_there_are_at_least_two_samples():
    assert len(SAMPLE_MODULES) >= 2


@pytest.mark.parametrize("folder", SAMPLE_MODULES, ids=lambda p: p.name)
def test_sample_is_valid_without_warnings(folder):
    assert modpack.validate(folder) == []


@pytest.mark.parametrize("folder", SAMPLE_MODULES, ids=lambda p: p.name)
def test_sample_is_complete(folder):
    module = modpack.load(folder)
    assert module.language == "id-ID"
    assert len(module.lessons) >= 3
    assert module.pre_test is not None and module.post_test is not None
    tested = {q.type for a in (module.pre_test, module.post_test) for q in a.all_questions()}
    assert tested == set(QUESTION_TYPES)
    assert module.facilitated_sessions
    assert any(pool.draw < len(pool.questions) for pool in module.post_test.pools)
    images = [p for p in module.root.rglob("*.svg")]
    assert images, "samples carry images of their own making"
    assert module.workload.facilitated_jp == sum(s.jp for s in module.facilitated_sessions)


def test_course_groups_the_samples():
    course = modpack.load(SAMPLES / "course.yaml")
    assert isinstance(course, Course)
    assert [m.id for m in course.loaded_modules] == ["rujukan-terpadu", "kewirausahaan-sosial"]
    assert course.total_jp == sum(m.workload.total_jp for m in course.loaded_modules) == 11


def test_course_reports_problems_of_its_modules(tmp_path, sample_copy):
    module = sample_copy("rujukan-terpadu")
    (module / "halaman" / "02-peran-puskesos.md").unlink()
    (tmp_path / "course.yaml").write_text(
        "id: kursus\ntitle: Kursus\nmodules: [rujukan-terpadu, tidak-ada]\n", encoding="utf-8"
    )
    found = modpack.validate(tmp_path / "course.yaml")
    assert [(d.code, d.field) for d in found] == [
        ("missing-file", "modules[1]"),
        ("missing-file", "lessons[0].pages[1].file"),
    ]
