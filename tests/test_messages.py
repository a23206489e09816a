"""Messages in the authors' language: Indonesian by default, English with --lang en; every
message is ours (no pydantic text), with suggestions and the accepted form."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import modpack
from modpack import messages

from .conftest import MINIMAL, ROOT

SRC = ROOT / "src" / "modpack"


def _templates() -> list[tuple[str, int, str]]:
    """(file, line, template) of every t("...") call in the package."""
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
                for constant in ast.walk(node.args[0]):
                    if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                        found.append((str(path.relative_to(SRC)), node.lineno, constant.value))
    return found


def test_every_message_has_an_indonesian_translation():
    templates = _templates()
    assert len(templates) > 100
    missing = [f"{file}:{line}: {text!r}" for file, line, text in templates if text not in messages.INDONESIAN]
    assert missing == []


def test_translations_keep_their_placeholders():
    import string

    for english, indonesian in messages.INDONESIAN.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(english) if name}
        if english in messages.CLICK and "{filename!r}" in english:
            fields.discard("name")  # a path's kind, click's English word, is left out
        assert fields == {name for _, name, _, _ in string.Formatter().parse(indonesian) if name}, english


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("MODPACK_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True,
                          env={**clean, **env})


BAD = MINIMAL + """\
titel: typo
post_test:
  id: tes
  pass_mark: 70%
  shuffle_choices: ya
  questions:
    - id: q1
      type: pilihan-ganda
      prompt: Benar?
    - id: q2
      type: single-choice
      prompt: Benar?
      choices: [{id: ya, text: Ya}, {id: tidak, text: Tidak}]
      correct: yaa
"""


def test_indonesian_is_the_default(write_module):
    folder = write_module(BAD)
    result = run("validate", str(folder), LANG="C.UTF-8")
    out = result.stderr
    assert result.returncode == 2
    assert "kolom 'titel' tidak dikenal: maksud Anda 'title'?" in out
    assert "'70%' bukan angka: tulis seperti pass_mark: 70" in out
    assert "'ya' bukan true atau false: tulis seperti shuffle_choices: true" in out
    assert "jenis soal 'pilihan-ganda' tidak dikenal: maksud Anda 'single-choice'?" in out
    assert "jawaban benar 'yaa' tidak ada di antara pilihan (tidak, ya): maksud Anda 'ya'?" in out
    assert "tidak sah (5 kesalahan, 0 peringatan)" in out


def test_records_statements_and_check_speak_indonesian_too(tmp_path):
    records = tmp_path / "hadir.csv"
    records.write_text("kind,email,item,timestamp,score\n"
                       "attendance,bukan-email,studi-kasus-rujukan,2026-03-04T09:00:00,\n"
                       "test,siti@example.id,tes-akhir,2026-03-04T09:00:00+07:00,150\n", encoding="utf-8")
    result = run("statements", str(records), "--module", str(ROOT / "samples" / "rujukan-terpadu"), LANG="C.UTF-8")
    assert result.returncode == 1
    assert f"{records}:baris 2: email: 'bukan-email' bukan alamat email" in result.stderr
    assert f"{records}:baris 2: timestamp: '2026-03-04T09:00:00' tidak punya zona waktu" in result.stderr
    assert f"{records}:baris 3: score: 150 di luar rentang 0 sampai 100" in result.stderr
    assert "2 baris: 0 pernyataan (sudah divalidasi; pakai -o untuk menuliskannya), 2 baris ditolak" in result.stderr
    sent = run("send", str(records), "--lrs", "http://127.0.0.1:9/xAPI/", LANG="C.UTF-8")
    assert sent.returncode == 2 and "modpack send: tidak ada kredensial" in sent.stderr
    package = modpack.build(ROOT / "samples" / "rujukan-terpadu", out=tmp_path / "dist")[0]
    checked = run("check", str(package), LANG="C.UTF-8")
    assert checked.returncode == 0 and f"{package}: baik (0 kesalahan, 0 peringatan)" in checked.stdout
    assert " berkas, " in checked.stdout
    english = run("check", str(package), "--lang", "en")
    assert f"{package}: ok (0 error(s), 0 warning(s))" in english.stdout


@pytest.mark.parametrize("how", [("--lang", "en"), ("MODPACK_LANG", "en"), ("LANG", "en_US.UTF-8")])
def test_english_on_request(how, write_module):
    folder = write_module(BAD)
    if how[0] == "--lang":
        result = run("validate", str(folder), "--lang", "en")
    else:
        result = run("validate", str(folder), **{how[0]: how[1]})
    out = result.stderr
    assert "unknown field 'titel': did you mean 'title'?" in out
    assert "'70%' is not a number: write it as pass_mark: 70" in out
    assert "invalid (5 error(s), 0 warning(s))" in out


def test_no_raw_pydantic_text(write_module):
    folder = write_module(BAD + "completion: {report: lulus}\nlanguages: id-ID\n")
    messages.use("en")
    try:
        found = modpack.validate(folder)
    finally:
        messages.use(None)
    for pydantic_words in ("Input should be", "Input tag", "found using", "valid number", "Field required",
                           "Extra inputs"):
        assert not any(pydantic_words in d.message for d in found), pydantic_words
    assert any("'lulus' is not one of 'passed-failed', 'completed-incomplete'" in d.message for d in found)
    assert any("must be a list, e.g. languages: [id-ID]" in d.message for d in found)


def test_the_library_follows_the_chosen_language(write_module):
    folder = write_module(MINIMAL.replace("file: halaman/satu.md", "file: halaman/dua.md"))
    messages.use("id")
    try:
        assert "tidak ada di folder modul" in modpack.validate(folder)[0].message
        messages.use("en")
        assert "does not exist in the module folder" in modpack.validate(folder)[0].message
    finally:
        messages.use(None)


def test_the_systems_common_refusals_are_said_in_indonesian(tmp_path):
    """`import` of a missing file said 'tidak dapat dibaca: No such file or directory': the
    system's words stayed English in Indonesian output."""
    import subprocess
    import sys

    env = {**os.environ, "MODPACK_LANG": "id", "MODPACK_SERVER": "off"}
    result = subprocess.run([sys.executable, "-m", "modpack", "import", str(tmp_path / "tidak-ada.docx"), "--out",
                             str(tmp_path / "modul")], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "berkas atau folder tidak ada" in result.stderr
    assert "No such file" not in result.stderr
