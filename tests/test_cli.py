"""The CLI in a real subprocess: exit codes, output formats, no tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MINIMAL, ROOT, SAMPLES


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("target", ["rujukan-terpadu", "kewirausahaan-sosial", "course.yaml"])
def test_validate_samples_exit_0(target):
    result = run("validate", str(SAMPLES / target), "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid (0 error(s), 0 warning(s))" in result.stdout


def test_invalid_exit_2_with_every_problem_and_no_traceback():
    result = run("validate", "tests/fixtures/five-mistakes", cwd=ROOT)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if re.match(r"^tests/\S+:\d+:\d+: ", line)]
    assert len(lines) == 5
    assert "tests/fixtures/five-mistakes/module.yaml:21:14: post_test.pass_mark: must be at most 100" in lines
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.rstrip().endswith("invalid (5 error(s), 0 warning(s))")


def test_json_format(tmp_path):
    result = run("validate", str(ROOT / "tests/fixtures/five-mistakes"), "--format", "json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["errors"] == 5
    first = report["diagnostics"][0]
    assert set(first) == {"file", "line", "column", "field", "message", "severity", "code"}
    assert first["severity"] == "error"


def test_warnings_fail_only_with_strict(write_module):
    folder = write_module(MINIMAL.replace("iri_base: https://pelatihan.example.go.id/xapi/\n", ""))
    relaxed = run("validate", str(folder))
    assert relaxed.returncode == 0 and "warning: no iri_base" in relaxed.stdout
    strict = run("validate", str(folder), "--strict")
    assert strict.returncode == 1 and "invalid (0 error(s), 1 warning(s))" in strict.stderr  # findings, not bad input


def test_missing_path_exit_2(tmp_path):
    result = run("validate", str(tmp_path / "tidak-ada"))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_init_then_validate(tmp_path):
    created = run("init", "modul-baru", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "modul-baru" / "module.yaml").is_file()
    assert "id: modul-baru" in (tmp_path / "modul-baru" / "module.yaml").read_text(encoding="utf-8")
    checked = run("validate", "modul-baru", "--strict", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_init_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "ada").mkdir()
    (tmp_path / "ada" / "catatan.txt").write_text("jangan ditimpa", encoding="utf-8")
    result = run("init", "ada", cwd=tmp_path)
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert (tmp_path / "ada" / "catatan.txt").read_text(encoding="utf-8") == "jangan ditimpa"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ada"]  # no staging folder left behind


def test_init_with_a_bad_id(tmp_path):
    result = run("init", "x", "--id", "Bukan Slug", cwd=tmp_path)
    assert result.returncode == 2 and "not a valid id" in result.stderr
    assert not (tmp_path / "x").exists()


def test_schema_command_prints_the_committed_schema():
    result = run("schema")
    assert result.returncode == 0
    assert result.stdout == (ROOT / "schemas" / "module.schema.json").read_text(encoding="utf-8")


def test_version_and_help():
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("modpack, version ")
    helped = run("validate", "--help")
    assert helped.returncode == 0 and "Examples:" in helped.stdout


def test_usage_error_exit_2():
    result = run("validate")
    assert result.returncode == 2 and "Missing argument" in result.stderr


def test_build_course_both_formats(tmp_path):
    for fmt in ("scorm12", "scorm2004"):
        result = run("build", str(SAMPLES / "course.yaml"), "--format", fmt, "--out", str(tmp_path), "--validate")
        assert result.returncode == 0, result.stderr
        written = result.stdout.split()
        assert [Path(p).name for p in written] == [
            f"rujukan-terpadu-1.2.0-{fmt}.zip", f"kewirausahaan-sosial-2.0.1-{fmt}.zip"]
        assert all(Path(p).is_file() for p in written)


def test_build_default_format_is_scorm12(tmp_path):
    result = run("build", str(SAMPLES / "rujukan-terpadu"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dist" / "rujukan-terpadu-1.2.0-scorm12.zip").is_file()


def test_build_invalid_definition_exit_2_nothing_written(tmp_path):
    result = run("build", str(ROOT / "tests/fixtures/five-mistakes"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "not built: fix the 5 error(s) above" in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_refuses_the_source_folder(tmp_path):
    result = run("build", ".", cwd=SAMPLES / "rujukan-terpadu")
    assert result.returncode == 2 and "inside the module folder" in result.stderr
    assert not (SAMPLES / "rujukan-terpadu" / "dist").exists()


def test_build_unknown_format_is_a_usage_error():
    result = run("build", str(SAMPLES / "rujukan-terpadu"), "--format", "aicc")
    assert result.returncode == 2 and "Invalid value for --format" in result.stderr and "aicc" in result.stderr


def test_build_several_formats_at_once(tmp_path):
    result = run("build", str(SAMPLES / "kewirausahaan-sosial"), "--format", "scorm12,cmi5", "--format", "xapi",
                 "--out", str(tmp_path))
    assert result.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [  # the zips, and the record that skips an unchanged rebuild
        ".modpack-build.json", "kewirausahaan-sosial-2.0.1-cmi5.zip", "kewirausahaan-sosial-2.0.1-scorm12.zip",
        "kewirausahaan-sosial-2.0.1-xapi.zip"]
    every = run("build", str(SAMPLES / "kewirausahaan-sosial"), "--format", "all", "--out", str(tmp_path / "all"))
    assert every.returncode == 0 and len(list((tmp_path / "all").glob("*.zip"))) == 4


@pytest.mark.parametrize("args", [
    ["build", str(SAMPLES / "rujukan-terpadu"), "--out", "a", "--out", "b"],
    ["validate", str(SAMPLES / "rujukan-terpadu"), "--format", "json", "--format=text"],
    ["statements", str(SAMPLES / "records" / "rujukan-terpadu.csv"), "--module", "a", "--module", "b"],
])
def test_a_repeated_option_is_refused_never_silently_dropped(args, tmp_path):
    result = run(*args)
    assert result.returncode == 2 and "is given twice" in result.stderr


def _sections(text: str) -> dict[str, str]:
    """The text of each '## ...' section of docs/cli.md, by heading."""
    parts = re.split(r"^## ", text, flags=re.M)
    return {part.split("\n", 1)[0]: part for part in parts[1:]}


def test_every_command_and_option_is_documented():
    """docs/cli.md names every command in a heading and every option in that command's section."""
    import click

    from modpack.cli import main

    sections = _sections((ROOT / "docs" / "cli.md").read_text(encoding="utf-8"))
    global_options = sections["Global options"]
    for option in main.params:
        for name in getattr(option, "opts", []):
            assert f"`{name}" in global_options, name
    for name, command in main.commands.items():
        heading = next((h for h in sections if re.search(rf"`modpack {name}\b", h)), None)
        assert heading is not None, f"no section for modpack {name}"
        parts = command.commands.items() if isinstance(command, click.Group) else [("", command)]
        for sub, part in parts:  # a group's commands (`modpack server start`) share its section
            assert not sub or f"`modpack {name} {sub}`" in heading, f"modpack {name} {sub} is not in docs/cli.md"
            for option in part.params:
                if not isinstance(option, click.Option) or option.name == "lang":
                    continue  # --lang is a global option of every command
                for opt in option.opts:
                    assert f"`{opt}" in sections[heading] or f"{sub} {opt}" in sections[heading], \
                        f"modpack {name} {sub} {opt} is not in docs/cli.md"


def test_an_internal_error_exits_70_with_one_line_and_no_traceback(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from modpack import cli

    def broken(path):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli.loader, "read", broken)
    result = CliRunner().invoke(cli.main, ["validate", str(tmp_path)])
    assert result.exit_code == 70
    assert "internal error: RuntimeError: a bug" in result.output and "Traceback" not in result.output


def test_a_command_collects_its_young_objects_seldom():
    """The command line raises the young generation's threshold (a build allocates a few hundred
    thousand objects it keeps): the collections of a 2,000-page build go from some 190 to none."""
    code = ("import gc, sys; from modpack.cli import main\n"
            "try:\n    main(['schema'], prog_name='modpack', standalone_mode=False)\n"
            "finally:\n    print(gc.get_threshold(), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr.strip() == "(100000, 10, 10)"


def test_a_command_line_click_cannot_read_is_said_in_the_users_language():
    """click's usage errors were English whatever --lang said: 'Error: No such option'."""
    def said(*args: str, lang: str = "id") -> str:
        done = subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True,
                              env={**__import__("os").environ, "MODPACK_LANG": lang}, timeout=60)
        assert done.returncode == 2, done
        return done.stderr

    assert said("build", "--bogus") == ("Penggunaan: modpack build [OPSI] PATH\n"
                                        "Coba 'modpack build --help' untuk bantuan.\n\n"
                                        "Kesalahan: Tidak ada opsi '--bogus'. Maksud Anda '--out'?\n")
    assert "Kesalahan: Tidak ada perintah 'buidl'. Maksud Anda 'build'?" in said("buidl")
    assert "Kesalahan: Opsi '--out' memerlukan nilai." in said("build", "--out")
    assert "Kesalahan: Nilai tidak sah untuk 'RECORDS': '/tidak/ada.csv' tidak ada." in said(
        "statements", "/tidak/ada.csv", "--module", "x")
    assert "Error: No such option '--bogus'. Did you mean '--out'?" in said("build", "--bogus", lang="en")
    assert "Error: No such option '--bogus'." in said("--lang", "en", "build", "--bogus")


def test_each_click_message_modpack_translates_is_one_click_says():
    """A click release that rewords a message would leave its translation unused, in silence."""
    import click

    from modpack.messages import CLICK

    source = "".join(path.read_text(encoding="utf-8") for path in Path(click.__file__).parent.glob("*.py"))
    missing = [message for message in CLICK if f'"{message}"' not in source]
    assert missing == []


def test_help_is_in_the_users_language():
    said = subprocess.run([sys.executable, "-m", "modpack", "build", "--help"], capture_output=True, text=True,
                          env={**os.environ, "MODPACK_LANG": "id"}, timeout=60).stdout
    assert "Penggunaan:" in said and "Opsi:" in said and "[bawaan: dist]" in said and "Options:" not in said
    assert "Bangun sebuah modul" in said and "Folder untuk zip" in said and "Tampilkan pesan ini" in said
    assert "Contoh:\n    modpack build samples/rujukan-terpadu" in said  # the examples kept as a block
    said = subprocess.run([sys.executable, "-m", "modpack", "--help"], capture_output=True, text=True,
                          env={**os.environ, "MODPACK_LANG": "id"}, timeout=60).stdout
    assert "Perintah:" in said and "Periksa folder modul, module.yaml" in said  # a command's line in the list
    assert said.startswith("Penggunaan: modpack [OPSI] PERINTAH [ARGUMEN]...\n")
    said = subprocess.run([sys.executable, "-m", "modpack", "--help"], capture_output=True, text=True,
                          env={**os.environ, "MODPACK_LANG": "en"}, timeout=60).stdout
    assert "Usage:" in said and "Options:" in said and "Commands:" in said and "Opsi:" not in said
    assert said.startswith("Usage: modpack [OPTIONS] COMMAND [ARGS]...\n")
    assert "Check a module folder" in said and "Periksa" not in said


def test_lang_anywhere_on_the_line_decides_the_help_and_every_group_takes_it():
    """`--help --lang en` was Indonesian (click acts on --help as it meets it), and `modpack server`
    refused --lang, which docs/cli.md says every command takes."""
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True,
                              env={**os.environ, "MODPACK_LANG": "id"}, timeout=60)

    for args in (["validate", "--help", "--lang", "en"], ["--help", "--lang", "en"], ["check", "--help", "--lang=en"],
                 ["server", "--help", "--lang", "en"], ["server", "status", "--help", "--lang", "en"]):
        said = run(*args)
        assert said.returncode == 0 and said.stdout.startswith("Usage: modpack") and "Opsi" not in said.stdout, args
    assert run("validate", "--help").stdout.startswith("Penggunaan: modpack validate [OPSI] PATH")
    status = run("server", "--lang", "en", "status")
    assert status.returncode in (0, 1) and "Kesalahan" not in status.stderr and "server" in status.stdout
    assert "--lang" in run("server", "--help").stdout


def test_every_help_has_its_indonesian_and_every_indonesian_a_help():
    """Keyed by the SHA-1 of the English: a help rewritten in English without its Indonesian shows
    here (and the stale Indonesian with it)."""
    import hashlib

    import click
    from click.testing import CliRunner

    from modpack import cli
    from modpack.cli_help import INDONESIAN_HELP

    helps: dict[str, str] = {}

    def walk(command: click.Command, path: str) -> None:
        ctx = click.Context(command, info_name=path)
        for item in [command, *command.params, command.get_help_option(ctx)]:
            if getattr(item, "help", None):
                helps[hashlib.sha1(item.help.encode()).hexdigest()[:8]] = f"{path}: {item.help[:40]}"
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(cli.main, "modpack")
    assert sorted(v for k, v in helps.items() if k not in INDONESIAN_HELP) == []
    assert sorted(set(INDONESIAN_HELP) - set(helps)) == []
    english = cli.main.commands["build"].help
    result = CliRunner().invoke(cli.main, ["--lang", "id", "build", "--help"])
    assert result.exit_code == 0 and "Bangun sebuah modul" in result.output
    assert cli.main.commands["build"].help == english  # put back once written


def test_a_number_option_is_a_finite_number_in_its_range(tmp_path):
    """click's FloatRange lets 'nan' through (a build then said it was 'over --max-size nan MB'),
    'inf' past a range with no top, and report --year 99999 --lrs ended as an internal error."""
    import os

    import modpack

    def said(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True,
                              env={**os.environ, "MODPACK_LANG": "en", "MODPACK_LRS_AUTH": "Basic eDp5"}, timeout=60)
        assert done.returncode == 2 and "internal error" not in done.stderr, done
        return done.stderr

    module = str(SAMPLES / "rujukan-terpadu")
    for value in ("nan", "inf", "-inf"):  # (-inf: below the range, said so)
        assert "Invalid value for '--max-size': " in said("build", module, "--out", str(tmp_path), "--max-size", value)
    for value in ("nan", "inf"):
        assert f"Invalid value for '--max-size': '{value}' is not a finite number" in said(
            "build", module, "--out", str(tmp_path), "--max-size", value)
        assert "Invalid value for '--target': " in said("report", "--module", module, "--target", value)
    assert "Invalid value for '--target': 'nan' is not a finite number" in said("report", "--module", module,
                                                                                "--target", "nan")
    assert "'--year': 99999 is not in the range 1970<=x<=9998" in said(
        "report", "--module", module, "--year", "99999", "--lrs", "http://127.0.0.1:9/xAPI/")
    assert list(tmp_path.iterdir()) == []
    for value in (float("nan"), float("inf"), 0.0):
        with pytest.raises(modpack.BuildError, match="max_size_mb must be a number of megabytes above 0"):
            modpack.build(module, out=tmp_path / "dist", max_size_mb=value)


def test_init_of_a_name_too_long_for_the_disk_is_a_message(tmp_path):
    import os

    done = subprocess.run([sys.executable, "-m", "modpack", "init", "m" * 300], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "MODPACK_LANG": "en"}, timeout=60)
    assert done.returncode == 2 and "modpack init: cannot make the folder 'mmm" in done.stderr, done.stderr
    assert "internal error" not in done.stderr and list(tmp_path.iterdir()) == []
