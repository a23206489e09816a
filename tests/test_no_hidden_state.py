"""A build checks the model it is given, as it is now: no flag set at load time is trusted.

docs/python-api.md invites changing a loaded model and rebuilding it; each way of doing so is
either built as changed or refused, never built from what the model used to be.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import modpack
from modpack.model import Page
from modpack.package.builder import BuildError, plan

from .conftest import SAMPLES


def _module_js(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        text = archive.read("content/module.js").decode()
    return json.loads(text[len("modpack.module("):-3])


def _names(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as archive:
        return set(archive.namelist())


def test_a_changed_model_is_built_as_changed(tmp_path):
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    module.title["id-ID"] = "Judul yang diubah"
    module.delivery.scorm12.structure = "sco-per-lesson"
    module.lessons[0].pages.append(Page.model_validate({"id": "halaman-baru", "title": "Baru", "text": "Isi **baru**."}))
    built = modpack.build_package(module, "scorm12", tmp_path)
    data = _module_js(built)
    assert data["title"]["id-ID"] == "Judul yang diubah"
    assert "halaman-baru" in [p["id"] for p in data["lessons"][0]["pages"]]
    assert "content/pages/halaman-baru.js" in _names(built)
    with zipfile.ZipFile(built) as archive:
        assert archive.read("imsmanifest.xml").count(b"<item ") == len(module.lessons) + 2  # + pre- and post-test


def test_a_page_given_another_pages_id_is_refused_not_silently_merged(tmp_path):
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    first, second = module.lessons[0].pages[:2]
    second.id = first.id
    with pytest.raises(modpack.InvalidDefinition) as raised:
        modpack.build_package(module, "scorm12", tmp_path)
    assert [(d.code, d.field) for d in raised.value.diagnostics if d.severity == "error"] == [
        ("duplicate-id", "lessons[0].pages[1].id")]
    assert list(tmp_path.iterdir()) == []
    # and the packer itself refuses to write two pages to one file, even if asked directly
    with pytest.raises(BuildError, match="two pages have the id"):
        plan(module, "scorm12")


@pytest.mark.parametrize("change, code", [
    (lambda m: setattr(m.post_test, "pass_mark", 150), "schema"),
    (lambda m: m.lessons[0].pages.clear(), "schema"),
    (lambda m: setattr(next(q for q in m.questions() if q.type == "single-choice"), "correct", "tidak-ada"), "schema"),
    (lambda m: setattr(m.lessons[0], "objectives", ["tidak-ada"]), "unknown-reference"),
    (lambda m: m.lessons[0].pages.append(Page.model_validate(
        {"id": "bocor", "title": "Bocor", "text": "![rahasia](../../rahasia.txt)"})), "path-escape"),
    (lambda m: setattr(m.lessons[0].pages[0], "file", {"id-ID": "halaman/tidak-ada.md"}), "missing-file"),
], ids=["pass-mark", "no-pages", "correct-answer", "objective", "file-outside", "missing-file"])
def test_a_model_changed_into_an_invalid_one_is_refused(change, code, tmp_path):
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    change(module)
    with pytest.raises(modpack.InvalidDefinition) as raised:
        modpack.build(module, "scorm12", tmp_path)
    assert code in {d.code for d in raised.value.diagnostics if d.severity == "error"}
    assert list(tmp_path.iterdir()) == []


def test_a_course_member_changed_after_loading_is_checked_again(tmp_path):
    course = modpack.load(SAMPLES / "course.yaml")
    course.loaded_modules[1].post_test.pass_mark = -5
    with pytest.raises(modpack.InvalidDefinition):
        modpack.build(course, "scorm12", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_module_built_in_code_builds(tmp_path):
    module = modpack.Module.model_validate({
        "id": "modul-kode", "title": "Modul dari kode", "workload": {"self_paced_jp": 1},
        "lessons": [{"id": "satu", "title": "Satu", "pages": [{"id": "a", "title": "A", "text": "Halo."}]}],
    })
    assert module.root is None
    built = modpack.build_package(module, "cmi5", tmp_path)
    assert "content/pages/a.js" in _names(built)
