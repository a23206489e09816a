"""Interactive blocks in definitions: read into the model, every mistake located in the Markdown
file, every file they name under the one file rule; themes checked for WCAG AA contrast."""

from __future__ import annotations

import pytest

import modpack
from modpack.model.blocks import BLOCK_TYPES, Block
from modpack.model.fields import marked_fields
from modpack.package.builder import UnsafeFile

from .conftest import MINIMAL, plant_canary


def _errors(folder):
    return [d for d in modpack.validate(folder) if d.severity == "error"]


def page(block: str) -> dict[str, str]:
    return {"halaman/satu.md": f"# Judul\n\nTeks.\n\n{block}\n"}


@pytest.mark.parametrize("block, line, words", [
    ("```accordion\n- {title: A}\n```", 6, "required field 'text' is missing"),
    ("```tabs\n- {title: A, text: a}\n```", 5, "needs at least 2 items"),
    ("```flip-cards\n- {front: A, bak: b}\n```", 6, "did you mean 'back'"),
    ("```steps\n- {title: A, text: a}\n- {title: B}\n```", 7, "required field 'text'"),
    ("```hotspots\nimage: peta.svg\nalt: Peta\nitems:\n  - {x: 120, y: 3, label: A, text: a}\n```", 10, "at most 100"),
    ("```timeline\n- {when: 2016, title: A}\n- {when: 2020}\n```", 7, "required field 'title'"),
    ("```callout\nkind: fun-fact\ntext: a\n```", 6, "'fun-fact' is not one of"),
    ("```check\nquestion:\n  id: c\n  type: fill-in\n  prompt: P\n  accepted: [a]\n```", 8, "'fill-in'"),
    ("```scenario\nid: s\ntitle: S\nitems:\n  - {id: a, text: A, choices: [{text: go, next: b}]}\n"
     "  - {id: c, text: C, outcome: good}\n```", 6, "leads to 'b', which is no scene here"),
    ("```scenario\nid: s\ntitle: S\nitems:\n  - {id: a, text: A, choices: [{text: go, next: b}]}\n"
     "  - {id: b, text: B}\n```", 6, "give it an outcome"),
    ("```scenario\nid: s\ntitle: S\nitems:\n  - {id: a, text: A, choices: [{text: go, next: b}, {text: out, next: e}]}\n"
     "  - {id: b, text: B, choices: [{text: on, next: c}]}\n  - {id: c, text: C, choices: [{text: back, next: b}]}\n"
     "  - {id: e, text: E, outcome: good}\n```", 6, "from scene(s) b, c no path leads to an ending"),
    ("```accordion\n- [not, a, mapping]\n```", 6, "must be a mapping of fields"),
    ("```accordion\n```", 6, "the accordion block is empty"),
    ("```accordion\n- title: [a\n```", 6, "YAML syntax"),
])
def test_each_mistake_is_located_in_the_markdown_file(block, line, words, write_module):
    folder = write_module(files=page(block))
    found = _errors(folder)
    assert found, block
    assert all(d.file.endswith("halaman/satu.md") for d in found)
    assert any(words in d.message and d.line is not None and d.line >= line - 1 for d in found), [str(d) for d in found]


def test_every_problem_of_a_block_at_once_each_once_and_named_in_the_block(write_module):
    """A hotspots block whose image leads outside and whose point is .nan and 101: the image was
    told only once the numbers were mended; '.nan' was said twice (the second as "'null' is not a
    number"), the first without its 'hotspots.' prefix."""
    folder = write_module(files=page("```hotspots\nimage: ../../../../etc/hostname\nalt: Peta\nitems:\n"
                                     "  - {x: .nan, y: 101, label: B, text: b}\n```"))
    assert [(d.line, d.field, d.code) for d in _errors(folder)] == [
        (6, "hotspots.image", "path-escape"), (9, "hotspots.items[0].x", "yaml-number"),
        (9, "hotspots.items[0].y", "schema")]


def test_a_block_in_inline_page_text_is_located_in_module_yaml(write_module):
    folder = write_module(MINIMAL.replace("        file: halaman/satu.md", "        text: |\n          Teks.\n\n"
                                          "          ```tabs\n          - {title: A}\n          ```"))
    found = _errors(folder)
    assert [(d.file.endswith("module.yaml"), d.line) for d in found][:1] == [(True, 16)], [str(d) for d in found]


def test_fences_of_other_languages_stay_code(write_module):
    folder = write_module(files=page("```python\nprint('halo')\n```"))
    assert _errors(folder) == []


def test_every_block_kind_is_in_the_model():
    import typing

    members = typing.get_args(typing.get_args(Block)[0])
    assert sorted(typing.get_args(m.model_fields["type"].annotation)[0] for m in members) == sorted(BLOCK_TYPES)


BLOCK_FIELDS = [(kind, ".".join(path), how) for kind in BLOCK_TYPES
                for member in __import__("typing").get_args(__import__("typing").get_args(Block)[0])
                if __import__("typing").get_args(member.model_fields["type"].annotation)[0] == kind
                for path, how in marked_fields(member)]


@pytest.mark.parametrize("kind, field, how", BLOCK_FIELDS, ids=[f"{k}.{f}" for k, f, _ in BLOCK_FIELDS])
def test_every_field_of_every_block_is_under_the_file_rule(kind, field, how, tmp_path, write_module, monkeypatch):
    """The block fields that can name a file, found by walking the model: each attacked."""
    canary = tmp_path / "rahasia.txt"
    plant_canary(canary)
    attack = f"![peta](../../{canary.name})" if how == "markdown" else f"../../{canary.name}"
    bodies = {
        "accordion": "- {{title: A, text: '{t}'}}", "tabs": "- {{title: A, text: '{t}'}}\n- {{title: B, text: b}}",
        "flip-cards": "- {{front: '{t}', back: '{t}'}}", "steps": "- {{title: A, text: '{t}'}}\n- {{title: B, text: b}}",
        "hotspots": "image: '{p}'\nalt: Peta\nitems:\n  - {{x: 1, y: 1, label: A, text: '{t}'}}",
        "timeline": "- {{when: '1', title: A, text: '{t}'}}\n- {{when: '2', title: B}}",
        "callout": "text: '{t}'",
        "check": "question:\n  id: c\n  type: single-choice\n  prompt: '{t}'\n  feedback: {{correct: '{t}', incorrect: '{t}'}}\n"
                 "  choices: [{{id: a, text: '{t}', feedback: '{t}'}}, {{id: b, text: b}}]\n  correct: a",
        "scenario": "id: s\ntitle: S\nitems:\n  - {{id: a, text: '{t}', choices: [{{text: '{t}', next: b, feedback: '{t}'}}]}}\n"
                    "  - {{id: b, text: '{t}', outcome: good}}",
    }
    body = bodies[kind].format(t=attack if how == "markdown" else "aman", p=attack if how == "file" else "peta.svg")
    folder = write_module(files={**page(f"```{kind}\n{body}\n```"), "halaman/peta.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    found = _errors(folder)
    assert any(d.code == "path-escape" for d in found), (field, [str(d) for d in found])
    with pytest.raises(modpack.InvalidDefinition):
        modpack.build(folder, out=tmp_path / "dist")
    from modpack.definition import checks

    with monkeypatch.context() as patched:
        patched.setattr(checks, "files", lambda *args, **kwargs: iter(()))
        loaded = modpack.load(folder)
        with pytest.raises(UnsafeFile):
            modpack.build_package(loaded, out=tmp_path / "dist")


@pytest.mark.parametrize("colour, ok", [("#1b6e5a", True), ("#0b5394", True), ("#88c0a0", False), ("#ffcc00", False),
                                        ("hijau", False)])
def test_theme_colours_must_reach_wcag_aa(colour, ok, write_module):
    folder = write_module(MINIMAL + f'theme: {{primary: "{colour}"}}\n')
    found = _errors(folder)
    assert (found == []) == ok, [str(d) for d in found]
    if not ok and colour.startswith("#"):
        assert "below WCAG AA's 4.5:1" in found[0].message and "e.g. #" in found[0].message
        assert found[0].field == "theme.primary" and found[0].line


def test_a_font_stack_cannot_carry_css(write_module):
    folder = write_module(MINIMAL + 'theme: {font: "x; } body { display: none"}\n')
    assert [d.field for d in _errors(folder)] == ["theme.font"]


def test_two_checks_or_scenarios_of_a_page_with_one_id_are_refused(write_module):
    """Two knowledge checks with one id on a page passed validation, and their answers were
    recorded under one interaction id (one of them typed wrongly)."""
    check = ("```check\nquestion:\n  id: cek-1\n  type: {kind}\n  prompt: Benar?\n{answer}\n```\n\n")
    page = ("# Halaman\n\n" + check.format(kind="true-false", answer="  correct: true")
            + check.format(kind="single-choice", answer="  choices: [{id: a, text: A}, {id: b, text: B}]\n  correct: a"))
    found = [d for d in modpack.validate(write_module(files={"halaman/satu.md": page})) if d.code == "duplicate-id"]
    assert len(found) == 1 and found[0].line == 11 and "line 3" in found[0].message and "cek-1" in found[0].message


def test_a_scenarios_mistakes_come_in_one_run(write_module):
    """A bad outcome hid a choice leading nowhere, which hid an unreachable scene: three runs to
    see three mistakes. The scenes' connections are now judged even when a field is wrong."""
    page = ("```scenario\nid: kasus\ntitle: Kasus\nitems:\n"
            "  - id: awal\n    text: Mulai\n    choices:\n      - {text: Ke dua, next: tidak-ada}\n"
            "  - id: yatim\n    text: Tak terjangkau\n    outcome: luar-biasa\n```\n")
    found = [d.message for d in modpack.validate(write_module(files={"halaman/satu.md": page}))]
    assert any("luar-biasa" in m or "outcome" in m for m in found)
    assert any("leads to 'tidak-ada'" in m for m in found)
    assert any("no choice leads to scene(s) yatim" in m for m in found)


def test_a_connected_scenarios_problems_are_told_once_and_all_together(write_module):
    page = ("```scenario\nid: kasus\ntitle: Kasus\nitems:\n"
            "  - id: awal\n    text: Mulai\n    choices:\n      - {text: Ke dua, next: tidak-ada}\n"
            "  - id: yatim\n    text: Tak terjangkau\n    outcome: good\n```\n")
    found = [d.message for d in modpack.validate(write_module(files={"halaman/satu.md": page}))]
    assert sum("leads to 'tidak-ada'" in m for m in found) == 1
    assert any("leads to 'tidak-ada'" in m and "no choice leads to scene(s) yatim" in m for m in found)


def test_a_wrong_scene_id_is_told_alone_and_scenarios_are_unique_in_the_module(write_module):
    """A scene id with a capital ('Akhir') was told, and three made-up connection errors with it;
    two pages' scenarios with one id passed, though an LMS records both under 'scenario.<id>'."""
    scenario = ("```scenario\nid: kasus\ntitle: Kasus\nitems:\n"
                "  - id: awal\n    text: Mulai\n    choices:\n      - {{text: Lanjut, next: akhir}}\n"
                "  - id: {end}\n    text: Selesai\n    outcome: good\n```\n")
    found = [d for d in modpack.validate(write_module(files={"halaman/satu.md": scenario.format(end="Akhir")}))
             if d.severity.value == "error"]
    assert len(found) == 1 and "write 'akhir'" in found[0].message
    wrong_next = scenario.format(end="akhir").replace("next: akhir", "next: Akhir")
    found = [d for d in modpack.validate(write_module(files={"halaman/satu.md": wrong_next}))
             if d.severity.value == "error"]
    assert len(found) == 1 and "write 'akhir'" in found[0].message
    from .conftest import MINIMAL
    two = MINIMAL + "      - id: halaman-dua\n        title: Halaman dua\n        file: halaman/dua.md\n"
    folder = write_module(two, files={"halaman/satu.md": scenario.format(end="akhir"),
                                      "halaman/dua.md": "Teks.\n\n" + scenario.format(end="akhir")})
    found = [d for d in modpack.validate(folder) if d.code == "duplicate-id"]
    assert len(found) == 1 and found[0].file.endswith("dua.md") and found[0].line == 3 and "satu.md" in found[0].message
