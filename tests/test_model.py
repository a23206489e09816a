"""The model as a library user meets it: defaults, language maps, rules, helpers."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from modpack.model import Module, SingleChoice

BASE = {
    "id": "modul-uji",
    "title": "Modul uji",
    "workload": {"self_paced_jp": 2, "facilitated_jp": 1},
    "lessons": [{"id": "satu", "title": "Satu", "pages": [{"id": "p1", "title": "P1", "text": "Halo"}]}],
}


def test_plain_strings_are_in_the_default_language():
    module = Module.model_validate({**BASE, "languages": ["en-US", "id-ID"], "keywords": ["a", "b"]})
    assert module.title == {"en-US": "Modul uji"}
    assert module.keywords == {"en-US": ["a", "b"]}
    assert module.language == "en-US"


def test_defaults_nobody_has_to_touch():
    module = Module.model_validate(BASE)
    assert module.languages == ["id-ID"]
    assert module.version == "1.0.0"
    assert module.completion.requires == ["pages"]
    assert module.completion.report == "completed-incomplete"
    assert module.delivery.scorm12.structure == "single-sco"
    assert module.workload.minutes_per_jp == 45
    assert module.workload.total_jp == 3
    assert module.workload.self_paced_minutes == 90


def test_completion_defaults_follow_the_post_test():
    post = {"id": "pasca", "questions": [{"id": "q", "type": "true-false", "prompt": "?", "correct": True}]}
    module = Module.model_validate({**BASE, "post_test": post})
    assert module.completion.requires == ["pages", "post-test"]
    assert module.completion.report == "passed-failed"
    assert module.post_test.pass_mark == 70 and module.post_test.attempts == 0


def test_passed_failed_needs_the_post_test():
    with pytest.raises(ValidationError, match="needs 'post-test'"):
        Module.model_validate({**BASE, "completion": {"requires": ["pages"], "report": "passed-failed"}})


def test_version_numbers_may_be_written_bare():
    assert Module.model_validate({**BASE, "version": 2}).version == "2"
    with pytest.raises(ValidationError, match="not a version"):
        Module.model_validate({**BASE, "version": "v2-beta"})


def test_iri_derives_from_the_stable_id():
    module = Module.model_validate({**BASE, "iri_base": "https://pelatihan.example.go.id/xapi"})
    assert module.iri == "https://pelatihan.example.go.id/xapi/modules/modul-uji"


def test_text_falls_back_to_the_default_language():
    module = Module.model_validate({**BASE, "languages": ["id-ID", "en-US"], "title": {"id-ID": "Judul", "en-US": "Title"},
                                    "description": "Hanya Indonesia"})
    assert module.text(module.title, "en-US") == "Title"
    assert module.text(module.description, "en-US") == "Hanya Indonesia"


def test_question_rules():
    with pytest.raises(ValidationError, match="duplicate choice id 'a'"):
        SingleChoice.model_validate({"id": "q", "type": "single-choice", "prompt": "?", "correct": "a",
                                     "choices": [{"id": "a", "text": "1"}, {"id": "a", "text": "2"}]})
    numeric = {"id": "n", "type": "numeric", "prompt": "?"}
    post = lambda q: {**BASE, "post_test": {"id": "t", "questions": [q]}}  # noqa: E731
    with pytest.raises(ValidationError, match="needs 'correct', or both"):
        Module.model_validate(post(numeric))
    with pytest.raises(ValidationError, match="greater than 'max'"):
        Module.model_validate(post({**numeric, "min": 5, "max": 1}))
    assert Module.model_validate(post({**numeric, "min": 1, "max": 5})).post_test.questions[0].max == 5


def test_pool_cannot_draw_more_than_it_holds():
    q = {"id": "q", "type": "true-false", "prompt": "?", "correct": True}
    with pytest.raises(ValidationError, match="draws 2 questions but holds only 1"):
        Module.model_validate({**BASE, "post_test": {"id": "t", "pools": [{"id": "b", "draw": 2, "questions": [q]}]}})


def test_a_page_needs_one_body_and_a_video_one_source():
    page = {"id": "p1", "title": "P1"}
    lesson = lambda p: {**BASE, "lessons": [{"id": "l", "title": "L", "pages": [p]}]}  # noqa: E731
    with pytest.raises(ValidationError, match="exactly one of 'file'"):
        Module.model_validate(lesson(page))
    with pytest.raises(ValidationError, match="exactly one of 'file' \\(in the module\\) or 'url'"):
        Module.model_validate(lesson({**page, "text": "x", "video": {"file": "a.mp4", "url": "https://a.b/c.mp4"}}))


def test_helpers_walk_the_assessments_in_order():
    q = lambda i: {"id": i, "type": "true-false", "prompt": "?", "correct": True}  # noqa: E731
    data = {
        **BASE,
        "pre_test": {"id": "pra", "questions": [q("a")]},
        "lessons": [{"id": "l", "title": "L", "pages": [{"id": "p", "title": "P", "text": "x"}],
                     "quiz": {"id": "kuis", "questions": [q("b")]}}],
        "post_test": {"id": "pasca", "questions": [q("c")], "pools": [{"id": "bank", "draw": 1, "questions": [q("d"), q("e")]}]},
    }
    module = Module.model_validate(data)
    assert [a.id for a in module.assessments()] == ["pra", "kuis", "pasca"]
    assert [x.id for x in module.questions()] == ["a", "b", "c", "d", "e"]
    assert module.post_test.asked_count() == 2
    assert module.page_count() == 1


def test_check_model_finds_what_the_schema_cannot():
    import modpack

    data = {**BASE, "objectives": [{"id": "tujuan", "text": "T"}],
            "lessons": [BASE["lessons"][0], {**BASE["lessons"][0], "objectives": ["tidak-ada"]}]}
    found = modpack.check_model(Module.model_validate(data))
    assert [(d.code, d.field) for d in found] == [
        ("duplicate-id", "lessons[1].id"),
        ("duplicate-id", "lessons[1].pages[0].id"),
        ("unknown-reference", "lessons[1].objectives[0]"),
        ("unused-objective", "objectives[0].id"),
    ]
    assert all(d.line is None for d in found)
