"""Property-based: any valid definition hypothesis can generate loads, and round-trips."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import modpack
from modpack.model import Module

slugs = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}\Z")
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFG éñ0123456789.,;?'\"-", min_size=1, max_size=30).filter(str.strip)
languages = st.sampled_from([["id-ID"], ["id-ID", "en-US"], ["en-US"], ["id-ID", "jv-ID"]])


def lang_text(langs):
    return st.one_of(words, st.fixed_dictionaries({langs[0]: words}, optional={l: words for l in langs[1:]}))


@st.composite
def questions(draw, langs, ident):
    kind = draw(st.sampled_from(["single-choice", "multiple-response", "true-false", "fill-in", "matching", "ordering", "numeric"]))
    q = {"id": ident, "type": kind, "prompt": draw(lang_text(langs)), "points": draw(st.integers(1, 5))}
    ids = draw(st.lists(slugs, min_size=2, max_size=5, unique=True))
    items = [{"id": i, "text": draw(lang_text(langs))} for i in ids]
    if kind == "single-choice":
        q |= {"choices": items, "correct": draw(st.sampled_from(ids))}
    elif kind == "multiple-response":
        q |= {"choices": items, "correct": draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))}
    elif kind == "true-false":
        q |= {"correct": draw(st.booleans())}
    elif kind == "fill-in":
        q |= {"accepted": draw(st.lists(lang_text(langs), min_size=1, max_size=3)), "case_sensitive": draw(st.booleans())}
    elif kind == "matching":
        q |= {"sources": items, "targets": items, "correct": {i: draw(st.sampled_from(ids)) for i in ids}}
    elif kind == "ordering":
        q |= {"items": items}
    else:
        low = draw(st.integers(-1000, 1000))
        q |= draw(st.sampled_from([{"correct": low}, {"min": low, "max": low + draw(st.integers(0, 50))}]))
    return q


@st.composite
def modules(draw):
    langs = draw(languages)
    lesson_ids = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    page_ids = iter(draw(st.lists(slugs, min_size=len(lesson_ids) * 2, max_size=len(lesson_ids) * 2, unique=True)))
    data = {
        "id": draw(slugs),
        "version": draw(st.from_regex(r"\A[0-9]{1,2}\.[0-9]{1,2}\.[0-9]\Z")),
        "languages": langs,
        "title": draw(lang_text(langs)),
        "iri_base": "https://pelatihan.example.go.id/xapi/",
        "workload": {"self_paced_jp": draw(st.integers(1, 20)), "facilitated_jp": 0},
        "lessons": [
            {"id": lid, "title": draw(lang_text(langs)),
             "pages": [{"id": next(page_ids), "title": draw(lang_text(langs)), "text": draw(lang_text(langs))}
                       for _ in range(2)]}
            for lid in lesson_ids
        ],
    }
    if draw(st.booleans()):
        qids = draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
        data["post_test"] = {
            "id": "pasca-tes",
            "pass_mark": draw(st.integers(0, 100)),
            "attempts": draw(st.integers(0, 5)),
            "questions": [draw(questions(langs, q)) for q in qids],
        }
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=modules())
def test_generated_definitions_load_and_round_trip(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("gen")
    (folder / "module.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = modpack.validate(folder)
    assert found == [], "\n".join(map(str, found))
    module = modpack.load(folder)
    # The model dumped and read back, through YAML, is the same model.
    dumped = module.model_dump(mode="json", by_alias=True, exclude_none=True)
    (folder / "module.yaml").write_text(yaml.safe_dump(dumped, allow_unicode=True), encoding="utf-8")
    assert modpack.load(folder) == module
    rebuilt = Module.model_validate(dumped)
    assert rebuilt.root is None  # built in code, not loaded from a folder
    assert rebuilt.model_dump() == module.model_dump()
