"""Each kind of bad input gives a located diagnostic: file, line, column, field and message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import modpack
from modpack import Severity
from modpack.definition.diagnostics import errors

from .conftest import MINIMAL, ROOT


def only_error(folder: Path):
    found = errors(modpack.validate(folder))
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def test_minimal_module_is_valid(write_module):
    folder = write_module()
    assert modpack.validate(folder) == []
    module = modpack.load(folder)
    assert module.id == "modul-uji"
    assert module.title == {"id-ID": "Modul uji"}
    assert module.root == folder.resolve()


def test_yaml_syntax_error_is_located(write_module):
    folder = write_module(MINIMAL.replace("title: Modul uji", "title: [Modul uji"))
    d = only_error(folder)
    assert d.code == "yaml-syntax"
    assert d.file.endswith("module.yaml")
    assert (d.line, d.column) == (3, 9)
    assert "YAML syntax" in d.message and "flow sequence" in d.message


def test_yaml_tab_indentation(write_module):
    folder = write_module(MINIMAL.replace("  self_paced_jp: 1", "\tself_paced_jp: 1"))
    d = only_error(folder)
    assert d.code == "yaml-syntax" and d.line == 5


def test_json_definition_and_json_syntax_error(write_module):
    good = '{"id": "modul-json", "title": "Modul", "iri_base": "https://a.example/", "workload": {"self_paced_jp": 1},\n' \
           ' "lessons": [{"id": "l", "title": "L", "pages": [{"id": "p", "title": "P", "text": "Halo"}]}]}\n'
    folder = write_module(good, name="module.json")
    assert modpack.load(folder).id == "modul-json"
    (folder / "module.json").write_text(good.replace('"L",', '"L"'), encoding="utf-8")
    d = only_error(folder)
    assert d.code == "json-syntax"
    assert d.line == 2 and d.column is not None
    assert d.message.startswith("JSON syntax: Expecting ',' delimiter")


def test_duplicate_yaml_key(write_module):
    folder = write_module(MINIMAL.replace("title: Modul uji\n", "title: Modul uji\ntitle: Lagi\n"))
    d = only_error(folder)
    assert (d.line, d.column, d.field, d.code) == (3, 1, "title", "duplicate-key")


def test_unknown_field_points_at_the_key(write_module):
    folder = write_module(MINIMAL.replace("        title: Halaman satu\n", "        title: Halaman satu\n        judul: x\n"))
    d = only_error(folder)
    assert d.field == "lessons[0].pages[0].judul"
    assert (d.line, d.column) == (12, 9)
    assert d.message == "unknown field 'judul' (fields here: id, title, file, text, audio, video, attachments)"


def test_missing_required_field(write_module):
    folder = write_module(MINIMAL.replace("title: Modul uji\n", ""))
    d = only_error(folder)
    assert d.field == "title"
    assert d.message == "required field 'title' is missing"
    assert d.line == 1


def test_wrong_type(write_module):
    folder = write_module(MINIMAL.replace("self_paced_jp: 1", "self_paced_jp: banyak"))
    d = only_error(folder)
    assert (d.field, d.line, d.column) == ("workload.self_paced_jp", 5, 18)
    assert "number" in d.message


def test_bad_id(write_module):
    folder = write_module(MINIMAL.replace("id: modul-uji", "id: Modul Uji"))
    d = only_error(folder)
    assert (d.field, d.line, d.column) == ("id", 1, 5)
    assert "is not a valid id" in d.message


def test_duplicate_ids(write_module):
    text = MINIMAL + """\
      - id: halaman-satu
        title: Halaman kedua
        text: Isi
"""
    d = only_error(write_module(text))
    assert d.code == "duplicate-id"
    assert (d.field, d.line, d.column) == ("lessons[0].pages[1].id", 13, 13)
    assert d.message == "duplicate page id 'halaman-satu' (first used on line 10)"


def test_missing_page_file(write_module):
    d = only_error(write_module(MINIMAL.replace("halaman/satu.md", "halaman/dua.md")))
    assert d.code == "missing-file"
    assert (d.field, d.line, d.column) == ("lessons[0].pages[0].file", 12, 15)
    assert "halaman/dua.md" in d.message


def test_missing_asset_in_markdown(write_module):
    folder = write_module(files={"halaman/satu.md": "Halo.\n\n![Peta desa](../gambar/peta.svg)\n"})
    d = only_error(folder)
    assert d.code == "missing-file"
    assert d.file.endswith(os.path.join("halaman", "satu.md"))
    assert d.line == 3
    assert "../gambar/peta.svg" in d.message


def test_missing_attachment(write_module):
    text = MINIMAL + "        attachments:\n          - file: unduhan/form.pdf\n            title: Formulir\n"
    d = only_error(write_module(text))
    assert (d.field, d.line, d.code) == ("lessons[0].pages[0].attachments[0].file", 14, "missing-file")


@pytest.mark.parametrize(
    "path, words",
    [("../luar.md", "leaves the module folder"), ("/etc/passwd", "absolute path"), ("C:/data/x.md", "absolute path")],
)
def test_path_leaving_the_module(write_module, path, words):
    d = only_error(write_module(MINIMAL.replace("halaman/satu.md", path)))
    assert d.field == "lessons[0].pages[0].file" and d.line == 12
    assert words in d.message


def test_symlink_leaving_the_module(write_module, tmp_path):
    outside = tmp_path / "rahasia.md"
    outside.write_text("rahasia", encoding="utf-8")
    folder = write_module(MINIMAL.replace("halaman/satu.md", "halaman/tautan.md"))
    (folder / "halaman" / "tautan.md").symlink_to(outside)
    d = only_error(folder)
    assert d.code == "path-escape" and d.line == 12
    assert "outside the module folder" in d.message


def test_markdown_image_leaving_the_module(write_module):
    d = only_error(write_module(files={"halaman/satu.md": "![Kata sandi](../../../etc/passwd)\n"}))
    assert d.code == "path-escape" and d.line == 1


def test_correct_answer_not_among_choices(write_module):
    text = MINIMAL + """\
post_test:
  id: pasca-tes
  questions:
    - id: soal-satu
      type: single-choice
      prompt: Pilih satu
      choices:
        - {id: a, text: Satu}
        - {id: b, text: Dua}
      correct: c
completion:
  requires: [pages]
"""
    d = only_error(write_module(text))
    assert (d.field, d.line, d.column) == ("post_test.questions[0].correct", 22, 16)
    assert d.message == "the correct answer 'c' is not among the choices (a, b)"


def test_multiple_response_and_matching_references(write_module):
    text = MINIMAL + """\
post_test:
  id: pasca-tes
  questions:
    - id: banyak
      type: multiple-response
      prompt: Pilih
      choices: [{id: a, text: Satu}, {id: b, text: Dua}]
      correct: [a, x]
    - id: pasangan
      type: matching
      prompt: Pasangkan
      sources: [{id: s1, text: S1}, {id: s2, text: S2}]
      targets: [{id: t1, text: T1}, {id: t2, text: T2}]
      correct: {s1: t9}
"""
    found = errors(modpack.validate(write_module(text)))
    assert [(d.field, d.line) for d in found] == [
        ("post_test.questions[0].correct", 20),
        ("post_test.questions[1].correct", 26),
    ]
    assert "'x'" in found[0].message
    assert "'t9' is not a target" in found[1].message and "source 's2' has no match" in found[1].message


def test_pass_mark_out_of_range(write_module):
    text = MINIMAL + """\
post_test:
  id: pasca-tes
  pass_mark: 120
  questions:
    - {id: benar, type: true-false, prompt: Benar?, correct: true}
"""
    d = only_error(write_module(text))
    assert (d.field, d.line, d.column) == ("post_test.pass_mark", 15, 14)
    assert d.message == "must be at most 100"


def test_empty_lesson(write_module):
    text = MINIMAL + "  - id: kosong\n    title: Kosong\n    pages: []\n"
    d = only_error(write_module(text))
    assert (d.field, d.line, d.column) == ("lessons[1].pages", 15, 12)
    assert d.message == "must not be empty"


def test_image_without_alt_text(write_module):
    d = only_error(write_module(files={"halaman/satu.md": "Halo.\n\n![](gambar.svg)\n", "halaman/gambar.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}))
    assert d.code == "missing-alt-text"
    assert d.line == 3
    assert "no alt text" in d.message


def test_image_without_alt_text_in_inline_markdown(write_module):
    text = MINIMAL.replace("file: halaman/satu.md", "text: |\n          Halo\n\n          ![](gambar.svg)")
    d = only_error(write_module(text, files={"gambar.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}))
    assert d.code == "missing-alt-text"
    assert d.file.endswith("module.yaml") and d.line == 15


@pytest.mark.parametrize("tag, hint", [("xx-YY", "BCP 47"), ("id_ID", "'id-ID'"), ("indonesia", "BCP 47")])
def test_unknown_language_tag(write_module, tag, hint):
    d = only_error(write_module(MINIMAL.replace("id: modul-uji\n", f"id: modul-uji\nlanguages: [id-ID, {tag}]\n")))
    assert (d.field, d.line, d.column) == ("languages[1]", 2, 20)
    assert f"unknown language tag '{tag}'" in d.message and hint in d.message


def test_text_in_an_undeclared_language_and_missing_default(write_module):
    d = only_error(write_module(MINIMAL.replace("title: Modul uji", "title: {en-US: Test module}")))
    assert d.field == "title" and d.line == 2
    assert "default language 'id-ID'" in d.message


def test_unknown_objective_reference(write_module):
    text = MINIMAL.replace("    title: Pelajaran satu\n", "    title: Pelajaran satu\n    objectives: [tidak-ada]\n")
    d = only_error(write_module(text))
    assert (d.field, d.line, d.code) == ("lessons[0].objectives[0]", 9, "unknown-reference")


def test_post_test_required_but_missing(write_module):
    d = only_error(write_module(MINIMAL + "completion:\n  requires: [pages, post-test]\n"))
    assert "no post_test" in d.message


def test_not_utf8(write_module):
    folder = write_module()
    (folder / "module.yaml").write_bytes(MINIMAL.encode("utf-8").replace(b"Modul uji", b"Modul \xff uji"))
    d = only_error(folder)
    assert d.code == "encoding" and d.line == 2


def test_empty_file_and_not_a_mapping(write_module):
    assert only_error(write_module("")).code == "empty"
    assert "mapping" in only_error(write_module("- satu\n- dua\n")).message


def test_no_definition_in_folder(tmp_path):
    d = only_error(tmp_path)
    assert d.code == "not-found" and "module.yaml" in d.message


def test_python_tags_are_refused(write_module):
    d = only_error(write_module(MINIMAL.replace("title: Modul uji", "title: !!python/object/apply:os.system ['true']")))
    assert d.code == "yaml-syntax" and d.line == 2


def test_warnings_do_not_make_a_module_invalid(write_module):
    found = modpack.validate(write_module(MINIMAL.replace("iri_base: https://pelatihan.example.go.id/xapi/\n", "")))
    assert [d.severity for d in found] == [Severity.WARNING]
    assert found[0].code == "no-iri-base"


def test_five_mistakes_at_once():
    """The fixture holds five different mistakes; each is reported with its place."""
    folder = ROOT / "tests" / "fixtures" / "five-mistakes"
    found = modpack.validate(folder)
    assert [(os.path.basename(d.file), d.line, d.column, d.field, d.code) for d in found] == [
        ("satu.md", 5, 1, "lessons[0].pages[0].file", "missing-alt-text"),
        ("module.yaml", 3, 20, "languages[1]", "schema"),
        ("module.yaml", 16, 15, "lessons[0].pages[1].file", "missing-file"),
        ("module.yaml", 21, 14, "post_test.pass_mark", "schema"),
        ("module.yaml", 29, 16, "post_test.questions[0].correct", "schema"),
    ]
    with pytest.raises(modpack.InvalidDefinition) as raised:
        modpack.load(folder)
    assert len(raised.value.diagnostics) == 5
    assert "5 error(s)" in str(raised.value)


def test_recursive_and_exploding_aliases(write_module):
    d = only_error(write_module(MINIMAL + "keywords: &a [*a]\n"))
    assert d.code == "yaml-syntax" and "contains it" in d.message
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for n in range(1, 8):
        bomb += f"{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 10) + "]\n"
    d = only_error(write_module(bomb))
    assert d.code == "yaml-syntax" and "expands to more than" in d.message


def test_a_course_files_mistakes_are_told_in_a_courses_terms(tmp_path):
    """A course's unknown fields were checked against the module's fields ('did you mean
    lessons?', a list of module fields), and a course whose 'modules' was misspelt was read as a
    module (asking for workload and lessons)."""
    first = tmp_path / "kursus.yaml"
    first.write_text("id: k\ntitle: K\nannual_target: 20\nlessons_x: 1\nmodules: []\n", encoding="utf-8")
    found = {d.field: d.message for d in modpack.validate(first)}
    assert "did you mean 'annual_target_jp'" in found["annual_target"]
    assert "annual_target_jp, modules" in found["lessons_x"] and "workload" not in found["lessons_x"]
    second = tmp_path / "kursus2.yaml"
    second.write_text("id: k\ntitle: K\nmodul:\n  - modul-a\nannual_target_jp: 20 JP\n", encoding="utf-8")
    found = {d.field: d.message for d in modpack.validate(second)}
    assert "did you mean 'modules'" in found["modul"]
    assert "annual_target_jp: 20" in found["annual_target_jp"]
    assert "workload" not in found and "lessons" not in found


@pytest.mark.parametrize("text, english, indonesian", [
    ("id: x\ntitle: Bab 1: Menemukan Potensi\n", "put quotes around text that holds ': '", "beri tanda kutip"),
    ("id: x\nlessons:\n\t- id: a\n", "indent with spaces", "gunakan spasi"),
    ("id: x\nlessons:\n  - id: a\n    title: b\n   pages: []\n", "uneven indentation", "tanda '-' yang diharapkan"),
], ids=["colon", "tab", "indentation"])
def test_the_commonest_yaml_mistakes_get_their_hint_in_both_languages(write_module, monkeypatch, text, english,
                                                                     indonesian):
    """The hints were written for PyYAML's words, but modpack reads with libyaml, whose words differ:
    no hint ever showed, and Indonesian output was half English."""
    folder = write_module(text)
    found = [d for d in modpack.validate(folder) if d.code == "yaml-syntax"]
    assert len(found) == 1 and english in found[0].message
    monkeypatch.setenv("MODPACK_LANG", "id")
    found = [d for d in modpack.validate(folder) if d.code == "yaml-syntax"]
    assert indonesian in found[0].message and "not allowed" not in found[0].message
    assert "did not find" not in found[0].message and "cannot start" not in found[0].message


def test_a_page_that_is_not_utf8_is_told_at_its_first_bad_byte(write_module):
    """A page saved by Word as Windows-1252 was reported at line 1, column 1, without advice."""
    page = "# Judul\n\nTeks biasa.\nKata \u201ckutipan\u201d Word.\n".encode("cp1252")
    found = [d for d in modpack.validate(write_module(files={"halaman/satu.md": page})) if d.code == "encoding"]
    assert [(d.line, d.column) for d in found] == [(4, 6)]
    assert "save it as UTF-8" in found[0].message


def test_a_fraction_for_a_pass_mark_and_an_empty_page_are_warned(write_module):
    """pass_mark: 0.75 (meant as 75%) passed everyone silently; an empty page was built as a blank
    screen without a word."""
    text = MINIMAL + "post_test:\n  id: pasca\n  pass_mark: 0.75\n  questions:\n    - {id: s1, prompt: Benar?, type: true-false, correct: true}\n"
    found = {d.code: d for d in modpack.validate(write_module(text, files={"halaman/satu.md": " \n\n"}))}
    assert found["pass-mark"].severity is Severity.WARNING and "write 75 for 75%" in found["pass-mark"].message
    assert found["pass-mark"].field == "post_test.pass_mark"
    assert found["empty-page"].severity is Severity.WARNING and found["empty-page"].file.endswith("satu.md")


def test_a_number_grouped_with_dots_is_told_how_yaml_read_it(write_module):
    """'correct: 2.000' (rupiah, as Indonesian writes two thousand) was read as 2 without a word:
    a learner who typed 2.000 was marked wrong. And '10.000.000' was told to write 'max: 10'."""
    text = MINIMAL + ("post_test:\n  id: pasca\n  questions:\n"
                      "    - {id: modal, prompt: Berapa rupiah?, type: numeric, correct: 2.000}\n"
                      "    - {id: rentang, prompt: Berapa?, type: numeric, min: 1.5, max: 10.000.000}\n"
                      "    - {id: bagian, prompt: Berapa?, type: numeric, correct: 1.25}\n"
                      "    - {id: pecahan, prompt: Berapa?, type: numeric, correct: 0.125}\n"  # a decimal, not grouping
                      "  pass_mark: 70.000\n")  # not a numeric answer: no rupiah there
    found = modpack.validate(write_module(text))
    dotted = [d for d in found if d.code == "dotted-number"]
    assert [(d.field, d.severity) for d in dotted] == [("post_test.questions[0].correct", Severity.WARNING)]
    assert "'2.000' is read as 2" in dotted[0].message and "write 2000" in dotted[0].message
    assert (dotted[0].line, dotted[0].column) == (MINIMAL.count("\n") + 4, 67)
    wrong = [d for d in found if d.field == "post_test.questions[1].max"]
    assert len(wrong) == 1 and wrong[0].message.endswith("write it as max: 10000000")


def test_an_id_written_with_a_capital_is_told_the_id_it_means(write_module):
    """'correct: Mulut-ke-mulut' (a word processor's capital) was told the rules of an id, not
    the id it means."""
    text = MINIMAL + ("post_test:\n  id: pasca\n  questions:\n    - id: promosi\n      type: single-choice\n"
                      "      prompt: Mana?\n      choices: [{id: mulut-ke-mulut, text: A}, {id: baliho, text: B}]\n"
                      "      correct: Mulut-ke-Mulut\n")
    found = [d for d in modpack.validate(write_module(text)) if d.field.endswith("correct")]
    assert found and "write 'mulut-ke-mulut'" in found[0].message


def test_a_course_entry_naming_a_definition_file_is_told_to_name_its_folder(tmp_path, sample_copy):
    sample_copy("kewirausahaan-sosial")
    course = tmp_path / "course.yaml"
    course.write_text("id: k\ntitle: K\nmodules:\n  - kewirausahaan-sosial/module.yaml\n", encoding="utf-8")
    found = [d for d in modpack.validate(course) if d.field == "modules[0]"]
    assert found and "list its folder, 'kewirausahaan-sosial'" in found[0].message


def test_a_module_listed_many_times_is_read_once_and_each_other_spelling_is_said(tmp_path, sample_copy):
    """A course listing one folder 2,000 times read it 2,000 times (20 s, 300 MB); './m' and 'm/'
    for 'm' were each read again and said only as a twin module id."""
    from modpack.definition.loader import read_course, read_modules

    sample_copy("kewirausahaan-sosial")
    course = tmp_path / "course.yaml"
    course.write_text("id: k\ntitle: K\nmodules:\n" + "  - kewirausahaan-sosial\n" * 2000
                      + "  - ./kewirausahaan-sosial\n  - kewirausahaan-sosial/\n", encoding="utf-8")
    asked: list[list[Path]] = []

    def reader(folders: list[Path]):
        asked.append(folders)
        return read_modules(folders)

    _, found = read_course(course, reader=reader)
    assert [len(folders) for folders in asked] == [1]
    said = [(d.field, d.message) for d in found if d.severity == Severity.ERROR]
    assert said == [("modules", "module 'kewirausahaan-sosial' is listed twice"),
                    ("modules[2000]", "'./kewirausahaan-sosial' is the module folder of modules[0] "
                                      "('kewirausahaan-sosial') again"),
                    ("modules[2001]", "'kewirausahaan-sosial/' is the module folder of modules[0] "
                                      "('kewirausahaan-sosial') again")], said
