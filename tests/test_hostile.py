"""Bounded time and memory for every input, and no crash on any input (issue 12): one test per
class of hostile or unlucky input, on the worst cases tests/worst_cases.py makes (small here;
benchmarks/hostile.py runs them at full size and prints time and memory)."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import modpack
from modpack.checker import check, info
from modpack.checker.reader import LIMITS
from modpack.xapi.send import CheckpointLock, SendError, send_file

from . import worst_cases
from .conftest import MINIMAL, SAMPLES
from .fixtures.hostile.make import INDEX, MANIFEST, entry

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


# -- 1. check and info: budgets on what is inflated, and rules linear in what they read ---------------

def test_overlapping_entries_count_each_time_against_the_inflation_budget(tmp_path):
    bomb = worst_cases.overlapping_bomb(tmp_path, 0.05)  # 24 entries of ~4 MB, one shared kernel
    with zipfile.ZipFile(bomb) as archive:
        declared = sum(i.file_size for i in archive.infolist())
    assert bomb.stat().st_size < 100_000 and declared > 90_000_000
    report = check(bomb, replace(LIMITS, max_inflated=50_000_000))
    assert report.exit_code == 2
    assert "inflate more than 50000000 bytes in all" in report.errors[-1].message
    assert check(bomb).readable  # within the real budget it is judged (it is no package: exit 1)
    assert run("check", str(bomb)).returncode == 1


def test_every_entry_is_inflated_once_however_many_rules_read_it(tmp_path):
    package = worst_cases.credential_matches(tmp_path, 0.2)  # text files the credential scan reads
    from modpack.checker import run as checker_run
    from modpack.checker.reader import Package
    from modpack.checker.report import Report

    seen: list[int] = []
    original = Package.verify

    def counting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        seen.append(self.inflated)

    try:
        Package.verify = counting  # type: ignore[method-assign]
        report = checker_run.check(package)
    finally:
        Package.verify = original  # type: ignore[method-assign]
    with zipfile.ZipFile(package) as archive:
        total = sum(i.file_size for i in archive.infolist())
    assert seen == [total]  # one pass: every byte once, scanned as it went
    assert "credential" in codes(report)
    assert isinstance(Report, type)


def test_the_credential_scan_is_linear_and_capped(tmp_path):
    package = worst_cases.credential_matches(tmp_path, 0.08)  # 2 files, each ~80,000 matches
    report = check(package)
    per_file = {}
    for finding in report.findings:
        if finding.code == "credential":
            per_file[finding.file] = per_file.get(finding.file, 0) + 1
    assert per_file == {"cfg0.js": 10, "cfg1.js": 10}
    assert [f.line for f in report.findings if f.code == "credential" and f.file == "cfg0.js"] == list(range(1, 11))
    assert codes(report).count("credential-more") == 2
    small = check(package, replace(LIMITS, max_scanned_total=1_000_000))
    assert any(f.code == "not-scanned" and "budget" in f.message for f in small.findings)


def test_a_finding_made_a_thousand_times_is_kept_five_hundred_times(tmp_path):
    buffer = io.BytesIO()
    resources = "".join(f'<resource identifier="R{n}" type="webcontent" adlcp:scormtype="asset" href="x{n}.html">'
                        f'<file href="x{n}.html"/></resource>' for n in range(1200))
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(entry("imsmanifest.xml"), MANIFEST.replace(b"<resources>", b"<resources>" + resources.encode()))
        archive.writestr(entry("index.html"), INDEX)
    (tmp_path / "p.zip").write_bytes(buffer.getvalue())
    report = check(tmp_path / "p.zip")
    assert codes(report).count("missing-file") == 500
    assert any(f.code == "more-findings" and "700 more 'missing-file'" in f.message for f in report.findings)


@pytest.mark.parametrize("name", sorted(worst_cases.ZIP_CASES))
def test_each_generated_worst_case_is_judged_without_a_crash(name, tmp_path):
    path = worst_cases.ZIP_CASES[name](tmp_path, 0.02)
    for command in ("check", "info"):
        result = run(command, str(path), "--format", "json")
        assert result.returncode in (0, 1, 2, 3), result.stderr
        assert "internal error" not in result.stdout + result.stderr
        json.loads(result.stdout)


# -- 2. folders: special files, unreadable parts, links ------------------------------------------------

def test_special_files_links_and_undecodable_names_in_a_folder_are_findings(tmp_path):
    root = worst_cases.special_files(tmp_path)
    report = check(root)
    found = {(f.code, f.file) for f in report.findings}
    assert ("special-file", "fifo.html") in found and ("special-file", "socket.js") in found
    assert ("symlink", "loop") in found and ("symlink", "d/up") in found
    assert ("hard-link", "hardlink.html") in found
    assert ("name-not-utf8", "bad-\\xff-name.html") in found
    assert report.readable and report.standard == "scorm12"
    result = run("check", str(root))  # in a process of its own: a FIFO opened would block it forever
    assert result.returncode == 1 and "internal error" not in result.stderr


def _check_as_nobody(path: str, queue) -> None:
    if os.geteuid() == 0:  # root reads everything: become nobody to meet a folder one cannot read
        os.setgid(65534)
        os.setuid(65534)
    queue.put([(f.code, f.file, f.message) for f in check(path).findings])


def _nested_folders(root: Path, depth: int) -> Path:
    """Folders ``d/d/...`` ``depth`` deep under ``root``; the deepest."""
    root.mkdir(exist_ok=True)
    here = root
    for _ in range(depth):  # made one level at a time: a path of 3,000 characters is too long to make at once
        here = here / "d"
        os.mkdir(here)
    return here


def _remove_nested_folders(deepest: Path, root: Path) -> None:
    """From the deepest up: shutil.rmtree (and pytest's own clean-up) recurses too."""
    for child in deepest.iterdir():
        child.unlink()
    while deepest != root:
        deepest.rmdir()
        deepest = deepest.parent


def test_folders_nested_a_thousand_deep_are_walked_without_recursion(tmp_path):
    """Python 3.11's os.walk recurses once per level: `check` of such a package folder, and `build`
    of such a module folder, ended as internal errors (RecursionError)."""
    package = tmp_path / "paket"
    package.mkdir()
    (package / "imsmanifest.xml").write_bytes(MANIFEST)
    (package / "index.html").write_bytes(INDEX)
    module = tmp_path / "modul"
    shutil.copytree(SAMPLES / "rujukan-terpadu", module)
    deep_package = _nested_folders(package, 1_200)
    deep_module = _nested_folders(module / "arsip", 1_200)
    try:
        (deep_package / "catatan.txt").write_text("x", encoding="utf-8")
        result = run("check", str(package), "--format", "json", env={"MODPACK_LANG": "en"})
        assert result.returncode in (0, 1, 2), result.stderr
        files = [f["file"] for f in json.loads(result.stdout)["findings"] if f.get("file")]
        assert any(name.endswith("/d/catatan.txt") and name.count("/") == 1_200 for name in files), files
        built = run("build", str(module), "--out", str(tmp_path / "dist"), env={"MODPACK_LANG": "en"})
        assert built.returncode == 0, built.stderr
        again = run("build", str(module), "--out", str(tmp_path / "dist"), env={"MODPACK_LANG": "en"})
        assert again.returncode == 0 and "nothing changed since the last build" in again.stderr, again.stderr
    finally:
        _remove_nested_folders(deep_package, package)
        _remove_nested_folders(deep_module, module / "arsip")


def test_the_walk_without_recursion_lists_what_os_walk_lists(tmp_path):
    from modpack.folders import walk

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "c").mkdir()
    (tmp_path / "a" / "satu.txt").write_text("1")
    (tmp_path / "a" / "b" / "dua.txt").write_text("2")
    (tmp_path / "tiga.txt").write_text("3")
    (tmp_path / "ke-a").symlink_to(tmp_path / "a")  # a link to a folder: listed among folders, not entered
    (tmp_path / "ke-tiga").symlink_to(tmp_path / "tiga.txt")
    (tmp_path / "putus").symlink_to(tmp_path / "tidak-ada")

    def listed(walker) -> list[tuple[str, list[str], list[str]]]:
        found = []
        for here, dirs, files in walker:
            dirs[:] = sorted(d for d in dirs if d != "c")  # pruned by the caller, as os.walk allows
            found.append((here, dirs, sorted(files)))
        return found

    assert listed(walk(tmp_path)) == listed(os.walk(tmp_path, followlinks=False))
    errors: list[OSError] = []
    assert list(walk(tmp_path / "tidak-ada", onerror=errors.append)) == [] and len(errors) == 1


def test_a_folder_or_file_one_cannot_read_is_a_finding(tmp_path):
    root = tmp_path / "paket"
    root.mkdir()
    (root / "imsmanifest.xml").write_bytes(MANIFEST)
    (root / "index.html").write_bytes(INDEX)
    (root / "locked").mkdir()
    (root / "locked" / "a.html").write_bytes(INDEX)
    (root / "secret.html").write_bytes(INDEX)
    os.chmod(root / "locked", 0)
    os.chmod(root / "secret.html", 0)
    os.chmod(tmp_path, 0o755)
    for parent in tmp_path.parents:  # nobody must reach the folder
        if parent == Path("/"):
            break
        if parent.stat().st_mode & 0o005 != 0o005:
            os.chmod(parent, parent.stat().st_mode | 0o005)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_check_as_nobody, args=(str(root), queue))
    child.start()
    findings = queue.get(timeout=60)
    child.join(10)
    os.chmod(root / "locked", 0o755)
    found = {(code, file) for code, file, _ in findings}
    assert ("unreadable-file", "locked") in found and ("unreadable-file", "secret.html") in found


# -- 3. definitions: amplification, huge numbers, deep nesting, non-finite numbers, long text ---------

def _module(tmp_path: Path, text: str, name: str = "module.yaml") -> Path:
    folder = tmp_path / "modul"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _validate(folder: Path) -> list:
    started = time.monotonic()
    found = modpack.validate(folder)
    assert time.monotonic() - started < 30  # a runaway, not a speed target: the benchmark measures
    return found


SAMPLE = (SAMPLES / "rujukan-terpadu" / "module.yaml").read_text(encoding="utf-8")


def test_a_number_too_large_to_read_is_a_located_diagnostic(tmp_path):
    found = _validate(_module(tmp_path, SAMPLE.replace("self_paced_jp: 4", "self_paced_jp: 1" + "0" * 100_000)))
    located = [d for d in found if d.code == "yaml-number"]
    assert len(located) == 1 and located[0].field == "workload.self_paced_jp" and "100001 digits" in located[0].message
    assert not [d for d in found if d.field == "workload.self_paced_jp" and d.code != "yaml-number"]


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1e999"])
def test_nan_and_infinity_are_not_numbers_a_module_can_use(tmp_path, value):
    found = _validate(_module(tmp_path, SAMPLE.replace("pass_mark: 70", f"pass_mark: {value}")))
    said = [d for d in found if d.field == "post_test.pass_mark"]
    # .nan and .inf are YAML floats, refused as read; 1e999 is text to YAML 1.1, refused by the model
    assert len(said) == 1 and "is not a finite number: write a number such as 70" in said[0].message


def test_json_nan_is_refused_by_the_model(tmp_path):
    data = modpack.load(SAMPLES / "rujukan-terpadu").model_dump(mode="json", by_alias=True, exclude_none=True)
    text = json.dumps(data).replace('"pass_mark": 70.0', '"pass_mark": NaN')
    found = _validate(_module(tmp_path, text, "module.json"))
    assert any(d.field == "post_test.pass_mark" and "finite" in d.message for d in found)


@pytest.mark.parametrize("name, text", [
    ("module.yaml", "id: x\nextra: " + "[" * 200_000 + "]" * 200_000 + "\n"),
    ("module.yaml", "id: x\nextra:\n" + "- " * 100_000 + "x\n"),
    ("module.json", '{"id": "x", "a": ' + "[" * 200_000 + "]" * 200_000 + "}"),
    ("module.json", '{"id": "x", "a": ' + '{"b": ' * 100_000 + "1" + "}" * 100_000 + "}"),
], ids=["yaml-flow", "yaml-block", "json-lists", "json-objects"])  # ids: the texts would fill the environment
def test_deep_nesting_is_a_diagnostic_not_a_crash(tmp_path, name, text):
    folder = _module(tmp_path, text, name)
    found = _validate(folder)
    assert [d.code for d in found] == ["yaml-syntax"] and "nest more than 64 levels" in found[0].message
    result = run("validate", str(folder))  # the C composer recursed once per level: it crashed the process
    assert result.returncode == 2 and "internal error" not in result.stderr


def test_aliases_are_bounded_in_the_text_they_repeat_not_only_in_their_count(tmp_path):
    text = "id: x\ntitle: &t '" + "a" * 1_000_000 + "'\n" + "".join(f"k{n}: *t\n" for n in range(40))
    found = _validate(_module(tmp_path, text))
    assert len(found) == 1 and "characters of text" in found[0].message


def test_a_very_long_file_or_page_is_refused_with_its_size(tmp_path):
    found = _validate(_module(tmp_path, "id: x\ndescription: '" + "a" * 40_000_000 + "'\n"))
    assert [d.code for d in found] == ["too-large"]
    folder = tmp_path / "modul"
    (folder / "module.yaml").write_bytes(b"id: x\n" + b"#" * (70 * 1024 * 1024))
    found = _validate(folder)
    assert [d.code for d in found] == ["too-large"] and "larger than" in found[0].message


def _one_page(write_module, text: str):
    return write_module("id: dalam\ntitle: Dalam\nworkload: {self_paced_jp: 1}\nlessons:\n  - id: satu\n"
                        "    title: Satu\n    pages:\n      - {id: satu, title: Satu, file: halaman/satu.md}\n",
                        files={"halaman/satu.md": text})


def test_html_nested_past_its_limit_is_refused_at_its_line(write_module):
    """Sanitising N elements nested N deep takes time squared (80,000 <div>s: 13 s, 160,000: over
    100 s, in a page well within the size limit). Past 256 open at once, the page is refused."""
    found = _validate(_one_page(write_module, "# Judul\n\nTeks.\n" + "<div>" * 257 + "\n"))
    assert [(d.code, d.line) for d in found if d.severity.value == "error"] == [("too-deep", 4)]
    assert "256" in found[0].message
    closed = "<div>x</div>" * 300 + "<ul>" + "<li>butir" * 2000 + "</ul>"  # closed, or siblings
    assert [d for d in _validate(_one_page(write_module, "Teks.\n\n" + closed + "\n")) if d.code == "too-deep"] == []
    assert [d for d in _validate(_one_page(write_module, "<div>" * 256 + "\n")) if d.code == "too-deep"] == []


def test_markdown_nested_past_the_limit_is_refused(write_module, tmp_path):
    """Markdown nests too (quotes in quotes), and a tag anywhere in the page sends it to the sanitiser."""
    folder = _one_page(write_module, "> " * 300 + "teks <b>tebal</b>\n")
    assert [d.code for d in _validate(folder) if d.severity.value == "error"] == ["too-deep"]
    with pytest.raises(modpack.InvalidDefinition):
        modpack.build(folder, out=tmp_path / "out")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    # and the packer's own guard, for HTML the definition check does not see (a question's prompt)
    from modpack.package import content
    with pytest.raises(content.ContentClash, match="256"):
        content._render("<div>" * 300, "", content.NameMap("assets"))


@pytest.mark.parametrize("text", ["> " * 100_000 + "teks\n", "".join("  " * i + "- butir\n" for i in range(400)),
                                  "> " * 200 + "- " * 40 + "teks\n"],  # lists in quotes: 200 + 2 x 40
                         ids=["quotes", "lists", "lists-in-quotes"])  # (an id of the text itself: an environment too large)
def test_markdown_alone_nested_past_the_limit_is_refused_by_the_build(write_module, tmp_path, text):
    """Without a tag the page is not sanitised, and 100,000 quotes in quotes were packed as they were
    (a 2.9 MB page of nested elements for a learner's phone); within the limit, a page is packed."""
    folder = _one_page(write_module, text)
    with pytest.raises(modpack.BuildError, match="nests elements more than 256 deep"):
        modpack.build(folder, out=tmp_path / "out")
    # and `validate` says so, at the page's entry: it once said "valid" of what build then refused
    done = subprocess.run([sys.executable, "-m", "modpack", "validate", str(folder), "--format", "json"],
                          capture_output=True, text=True, env={**os.environ, "MODPACK_LANG": "en"}, timeout=120)
    said = json.loads(done.stdout)
    assert done.returncode == 2 and not said["valid"]
    found = [d for d in said["diagnostics"] if d["severity"] == "error"]
    assert [(d["code"], d["field"], d["line"]) for d in found] == [("not-packed", "lessons[0].pages[0]", 8)]
    assert "page 'satu'" in found[0]["message"] and "256" in found[0]["message"]
    shallow = "> " * 100 + "teks\n" + "".join("  " * i + "- butir\n" for i in range(60))
    assert modpack.build(_one_page(write_module, shallow), out=tmp_path / "baik")


def test_what_is_not_nested_html_never_counts_as_nesting(write_module):
    """Counted on the raw text, autolinks, code and a '<' in prose were taken for open elements:
    ordinary pages were refused."""
    text = ("".join(f"{n}. Sumber: <https://jdih.kemensos.go.id/{n}>\n" for n in range(1, 300))
            + "\n```java\n" + "Map<String, List<Integer>> peta;\n" * 300 + "```\n\n"
            + "".join(f"- nilai x<y pada baris {n}\n" for n in range(300))
            + "<!-- " + "<div>" * 300 + " -->\n\n<svg>" + "<path d='M0 0'/>" * 300 + "</svg>\n")
    assert [d for d in _validate(_one_page(write_module, text)) if d.code == "too-deep"] == []


def test_an_end_tag_the_parser_ignores_does_not_hide_nesting(write_module):
    """'</div>' with a table between it and its <div> closes nothing (the table bounds the scope),
    so '<div><table></div></table>' nests one div deeper each time: counted as closed, it slipped
    past the limit and took time squared again (40,000: 13 s)."""
    found = _validate(_one_page(write_module, "Teks.\n\n" + "<div><table></div></table>" * 300 + "\n"))
    assert [(d.code, d.line) for d in found if d.severity.value == "error"] == [("too-deep", 3)]


def test_one_markdown_file_shown_by_many_pages_counts_each_time(write_module):
    pages = "".join(f"      - id: h{n}\n        title: H{n}\n        file: halaman/besar.md\n" for n in range(12))
    folder = write_module(
        "id: besar\ntitle: Besar\nworkload: {self_paced_jp: 1}\nlessons:\n  - id: satu\n    title: Satu\n"
        "    pages:\n" + pages, files={"halaman/besar.md": "# Besar\n\n" + "kata " * 1_500_000})
    found = _validate(folder)
    assert [d.code for d in found if d.code == "too-large"] == ["too-large"]
    assert "more than 67,108,864 bytes of Markdown in all" in next(d.message for d in found if d.code == "too-large")


# -- 4. preview: large packages streamed --------------------------------------------------------------

def test_preview_streams_a_large_package_in_bounded_memory(tmp_path):
    big = tmp_path / "besar.zip"
    with zipfile.ZipFile(big, "w") as archive:
        archive.writestr(entry("imsmanifest.xml"), MANIFEST)
        archive.writestr(entry("index.html"), INDEX)
        with archive.open(entry("media/v.mp4", zipfile.ZIP_STORED), "w") as handle:
            block = os.urandom(1 << 20)
            for _ in range(300):
                handle.write(block)
    process = subprocess.Popen([sys.executable, "-m", "modpack", "preview", str(big), "--port", "0",
                                "--format", "scorm12"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        port = None
        for line in process.stdout:  # type: ignore[union-attr]
            if "http://127.0.0.1:" in line:
                port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
                break
        assert port, "the preview did not start"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/pkg/media/v.mp4", timeout=60) as response:
            received = 0
            while chunk := response.read(1 << 20):
                received += len(chunk)
        assert received == 300 << 20
        status = Path(f"/proc/{process.pid}/status").read_text()
        peak_kb = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
        assert peak_kb < 200 * 1024, f"{peak_kb} kB to serve a 300 MB file"
    finally:
        process.terminate()
        process.wait(10)


# -- 5. what is printed: no control character or escape sequence reaches the terminal -----------------

def test_names_from_a_package_are_printed_escaped_in_text_and_json(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(entry("imsmanifest.xml"), MANIFEST)
        archive.writestr(entry("index.html"), INDEX)
        archive.writestr(entry("evil\x1b]0;owned\x07\x1b[2J\u202egpj.html"), b"x")
    (tmp_path / "p.zip").write_bytes(buffer.getvalue())
    text = run("check", str(tmp_path / "p.zip")).stdout
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "evil\\x1b]0;owned\\x07\\x1b[2J\\u202egpj.html" in text
    raw = run("check", str(tmp_path / "p.zip"), "--format", "json").stdout
    assert "\x1b" not in raw and "\u202e" not in raw
    names = {f["file"] for f in json.loads(raw)["findings"]}
    assert "evil\x1b]0;owned\x07\x1b[2J\u202egpj.html" in names  # the data, intact, once decoded


def test_a_definition_value_is_printed_escaped(tmp_path):
    # YAML refuses a raw control character, but its escapes (and JSON's) write one into a value
    folder = _module(tmp_path, SAMPLE.replace("pass_mark: 70", 'pass_mark: "7\\x1b[31m0\\u202e"'))
    result = run("validate", str(folder), env={"MODPACK_LANG": "en"})
    said = result.stdout + result.stderr
    assert "\x1b" not in said and "\u202e" not in said and "7\\x1b[31m0\\u202e" in said


# -- 6. send: one at a time per checkpoint, and a checkpoint that cannot be trusted is refused --------

def _statements(tmp_path: Path) -> Path:
    out = tmp_path / "s.jsonl"
    made = run("statements", str(SAMPLES / "records" / "rujukan-terpadu.csv"), "--module",
               str(SAMPLES / "rujukan-terpadu"), "-o", str(out))
    assert out.exists(), made.stderr
    return out


def test_two_sends_on_one_checkpoint_cannot_both_send(tmp_path):
    statements = _statements(tmp_path)
    checkpoint = tmp_path / "s.jsonl.checkpoint"
    with CheckpointLock(checkpoint):  # a first send, holding the lock
        result = run("send", str(statements), "--lrs", "http://127.0.0.1:9/xAPI/", env={"MODPACK_LRS_AUTH": "Basic eDp5"})
        assert result.returncode == 2 and "another `modpack send` is sending with this checkpoint" in result.stderr
        with pytest.raises(SendError, match="another `modpack send`"):
            send_file(statements, "http://127.0.0.1:9/xAPI/", "Basic eDp5", max_retries=0)
    assert not checkpoint.exists()


def test_a_checkpoint_that_is_a_link_or_cannot_be_written_is_refused(tmp_path):
    statements = _statements(tmp_path)
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (tmp_path / "s.jsonl.checkpoint").symlink_to(target)
    result = run("send", str(statements), "--lrs", "http://127.0.0.1:9/xAPI/", env={"MODPACK_LRS_AUTH": "Basic eDp5"})
    assert result.returncode == 2 and "is a symbolic link: refused" in result.stderr
    assert target.read_text() == "keep me"
    (tmp_path / "s.jsonl.checkpoint").unlink()
    (tmp_path / "s.jsonl.checkpoint").mkdir()
    result = run("send", str(statements), "--lrs", "http://127.0.0.1:9/xAPI/", env={"MODPACK_LRS_AUTH": "Basic eDp5"})
    assert result.returncode == 2 and "is not a file" in result.stderr


def test_checkpoints_are_written_for_their_owner_only(tmp_path):
    from modpack.xapi.send import Checkpoint, SendSummary

    statements = _statements(tmp_path)
    point = Checkpoint(tmp_path / "c.checkpoint", str(statements), statements.stat().st_size)
    point.save(3, SendSummary())
    assert (tmp_path / "c.checkpoint").stat().st_mode & 0o777 == 0o600


# -- 7. fuzzing, with deadlines: a regression in time fails as a crash does ---------------------------

@st.composite
def overlapping_zips(draw):
    """Zips whose entries share compressed data, or lie about their sizes."""
    count = draw(st.integers(2, 12))
    kernel = draw(st.integers(1, 8)) * 65536
    data = worst_cases._kernel(kernel, draw(st.sampled_from([2, 50, 150, 400])))
    names = [draw(st.sampled_from(["a.txt", "b.js", "c.html", "imsmanifest.xml", "d.bin"])) + str(n)
             for n in range(count)]
    out, central = bytearray(), bytearray()
    for n, name in enumerate(names):
        declared = draw(st.sampled_from([kernel, kernel // 2, kernel * 3, 10]))
        header = worst_cases._local_header(name.encode(), 0, len(data), declared)
        offset = len(out) if n == 0 or draw(st.booleans()) else 0  # later entries may point back at the first
        if offset:
            out += header + data
        elif n == 0:
            out += header + data
        central += worst_cases._central(name.encode(), 0, len(data), declared, offset)
    return bytes(out) + bytes(central) + worst_cases._end(count, len(central), len(out))


@settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=overlapping_zips())
def test_fuzzed_overlapping_and_lying_zips_are_judged_quickly(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("zip") / "p.zip"
    path.write_bytes(data)
    report = check(path)
    assert report.exit_code in (1, 2, 3)
    info(path)


yaml_values = st.recursive(
    st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
              st.sampled_from([".nan", ".inf", "1" + "0" * 5000, "~", "yes", "2026-03-01"])),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=6), children, max_size=4)),
    max_leaves=20)


@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=yaml_values, repeats=st.integers(1, 12), depth=st.integers(1, 80))
def test_fuzzed_yaml_with_aliases_and_nesting_gives_diagnostics(tmp_path_factory, value, repeats, depth):
    body = json.dumps(value, allow_nan=True)
    text = ("id: fuzz\ntitle: Fuzz\nworkload: {self_paced_jp: 1}\nanchor: &a " + "[" * depth + body + "]" * depth
            + "\n" + "".join(f"copy{n}: *a\n" for n in range(repeats)) + "lessons: []\n")
    folder = tmp_path_factory.mktemp("yaml")
    (folder / "module.yaml").write_text(text, encoding="utf-8")
    found = modpack.validate(folder)
    assert found and all(d.message for d in found)


markdown_pieces = st.sampled_from([
    "# Judul\n", "teks biasa ", "[tautan](halaman/x.md) ", "![gambar](gambar/x.svg) ", "<img src='x.png'>",
    "<svg onload='alert(1)'><script>alert(1)</script></svg>", "<a href='javascript:alert(1)'>a</a>",
    "<iframe src='//evil'></iframe>", "```\nkode\n```\n", "<div>" * 50, "</div>" * 50, "*" * 100, "[" * 200,
    "<!--", "-->", "<style>body{}</style>", "&#0;", "\x00", "\u202e",
])


@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(markdown_pieces, max_size=40))
def test_fuzzed_markdown_with_raw_html_and_svg_validates_and_builds_safely(tmp_path_factory, pieces):
    folder = tmp_path_factory.mktemp("md")
    (folder / "halaman").mkdir()
    (folder / "halaman" / "satu.md").write_text("".join(pieces) or "kosong", encoding="utf-8")
    (folder / "module.yaml").write_text("id: fuzz\ntitle: Fuzz\nworkload: {self_paced_jp: 1}\nlessons:\n"
                                        "  - id: satu\n    title: Satu\n    pages:\n"
                                        "      - {id: satu, title: Satu, file: halaman/satu.md}\n", encoding="utf-8")
    found = modpack.validate(folder)
    if not [d for d in found if d.severity.value == "error"]:
        built = modpack.build(folder, out=folder.parent / "out")[0]
        with zipfile.ZipFile(built) as archive:
            page = next(archive.read(n) for n in archive.namelist() if n.endswith(".js") and "content" in n)
        assert b"javascript:alert" not in page and b"<script>alert" not in page and b"onload=" not in page


# -- the whole corpus: never an internal error -----------------------------------------------------

def test_no_internal_error_over_the_whole_hostile_corpus(tmp_path):
    """check and info through the command (where an internal error would be said), preview through
    its library call (it serves until stopped): every answer is a finding or a refusal."""
    from click.testing import CliRunner

    from modpack import preview
    from modpack.cli import main
    from modpack.preview.package import PackageRefused

    paths = sorted(HOSTILE.glob("*.zip")) + [make(tmp_path, 0.01) for make in worst_cases.ZIP_CASES.values()]
    paths.append(worst_cases.special_files(tmp_path))
    runner = CliRunner()
    outputs = []
    for path in paths:
        for command in ("check", "info"):
            result = runner.invoke(main, [command, str(path), "--format", "json"])
            assert result.exit_code in (0, 1, 2, 3), (path, result.output)
            outputs.append(result.output)
        try:
            server, _ = preview.start(path, 0, store=tmp_path / "store" / path.name)
        except (PackageRefused, modpack.InvalidDefinition) as refused:  # a folder is read as a module
            outputs.append(str(refused))
        else:
            server.stop()
    assert not [o for o in outputs if "internal error" in o or "Traceback" in o]


def test_a_fifo_or_a_device_given_as_a_package_is_refused_without_waiting(tmp_path):
    """Opening a FIFO waits for a writer, and a device never ends: neither is opened to be read."""
    fifo = tmp_path / "paket.zip"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/zero")):
        result = run("check", str(target), timeout=30)
        assert result.returncode == 2 and "not a regular file" in result.stdout + result.stderr


HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*.zip")) + ["sample"])
def test_a_package_read_whole_or_in_place_gets_the_same_report(name, tmp_path, monkeypatch):
    """A zip up to reader.IN_MEMORY is read whole at once, a larger one by positioned reads: the
    same findings either way, hostile or not."""
    from modpack.checker import reader

    if name == "sample":
        package = modpack.build(SAMPLES / "rujukan-terpadu", out=tmp_path)[0]
    else:
        package = HOSTILE / name
    whole = check(package).to_dict()
    monkeypatch.setattr(reader, "IN_MEMORY", 0)
    assert check(package).to_dict() == whole


def _nested(depth: int, flow: bool) -> object:
    value: object = "x"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


yaml_texts = st.builds(
    lambda value, depth, indent, flow, tag, alias: (
        yaml.safe_dump({"id": "x", "a": value, "deep": _nested(depth, flow)}, default_flow_style=flow,
                       indent=indent, width=10_000)
        + ("t: !!python/object:os.system x\n" if tag else "")
        + ("anchor: &a " + "[" * depth + "1" + "]" * depth + "\ncopies: [*a, *a]\n" if alias else "")),
    value=yaml_values, depth=st.integers(0, 90), indent=st.integers(2, 6), flow=st.sampled_from([None, False, True]),
    tag=st.booleans(), alias=st.booleans())


@settings(max_examples=150, deadline=None)
@given(text=yaml_texts)
def test_the_depth_found_while_building_is_the_depth_the_event_pass_finds(text):
    """Texts whose block nesting is bounded by their indentation skip the event pass (the depth is
    counted as the values are built): the same values and diagnostics as with the pass, deep or not."""
    from modpack.definition import source

    def facts(found):
        src, diagnostics = found
        return (None if src is None else src.data, [(d.line, d.column, d.message, d.code) for d in diagnostics])

    fast = facts(source.parse_text(text, "m.yaml"))
    original = source._exact_depth_pass_needed
    try:
        source._exact_depth_pass_needed = lambda text, json_syntax: True
        exact = facts(source.parse_text(text, "m.yaml"))
    finally:
        source._exact_depth_pass_needed = original
    assert fast == exact
    stack: list[bool] = []  # open collections: flow style or not
    deepest = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append(bool(event.flow_style))
                deepest = max(deepest, stack.count(False))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.YAMLError:
        return
    assert deepest <= source.block_depth_bound(text)


def test_a_usual_module_skips_the_event_pass():
    from modpack.definition import source

    text = (SAMPLES / "rujukan-terpadu" / "module.yaml").read_text(encoding="utf-8")
    assert not source._exact_depth_pass_needed(text, json_syntax=False)
    assert source._exact_depth_pass_needed(text, json_syntax=True)  # json.loads recurses: read first
    assert source._exact_depth_pass_needed("a:\r  b: 1\r", json_syntax=False)  # lines ^ does not see
    # libyaml skips a BOM at any line's start: the pattern does not, so such a text is read exactly
    assert source._exact_depth_pass_needed("\n\ufeff" + "- " * 100 + "x\n", json_syntax=False)
    found = source.parse_text("\n\ufeff" + "- " * 100 + "x\n", "m.yaml")
    assert found[0] is None and "nest more than 64 levels" in found[1][0].message


def _mixed_text_package(folder: Path) -> Path:
    """Text files of every kind the scan judges, 2 MB in all: plain pages, pages with each
    credential pattern, an SVG with script, one file over the size the scan reads."""
    import random

    rng = random.Random(11)
    secrets = [b"x = 'Basic dXNlcjpyYWhhc2lhMTIz';", b'{"Authorization": "Bearer abcdefgh12345678"}',
               b"https://admin:rahasia@lrs.example.org/xapi", b"/statements?key=abcdef123456&x=1",
               b"<secret>p4ssw0rd-lrs</secret>", b'"password": "rahasia-sekali"']
    files: dict[str, bytes] = {"imsmanifest.xml": MANIFEST, "index.html": INDEX}
    for n in range(400):
        words = b" ".join(rng.choice([b"pendamping", b"keluarga", b"token", b"kunci", b"layanan", b"desa"])
                          for _ in range(700))
        if n % 37 == 0:
            words += b"\n" + rng.choice(secrets) * (1 + n % 13)
        files[f"halaman/h-{n:03}.js"] = words
    files["gambar/peta.svg"] = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    files["besar.txt"] = rng.randbytes(LIMITS.max_scanned_size // 2 + 1).hex().encode()
    path = folder / "mixed.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(entry(name), data)
    return path


@pytest.mark.parametrize("limits", [
    LIMITS,
    replace(LIMITS, max_scan_work=40_000),  # the budget of close looks spent part-way
    replace(LIMITS, max_scanned_total=1_000_000),  # the budget of searched text spent part-way
    replace(LIMITS, max_scan_work=40_000, max_scanned_total=1_500_000),
], ids=["whole", "work-spent", "total-spent", "both-spent"])
def test_the_scan_in_batches_on_two_cores_finds_what_one_by_one_finds(tmp_path, monkeypatch, limits):
    """The credential scan judges its files in batches, their keywords searched by two processes:
    the same findings in the same order as one file after the other, budgets spent or not."""
    from modpack.checker import names

    _without_hyperscan(monkeypatch)  # the child searches only where hyperscan cannot be had
    package = _mixed_text_package(tmp_path)
    forks = []
    real_fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(names.os, "fork", counted_fork)
    monkeypatch.setattr(names, "PARALLEL_FROM", 64 * 1024)
    batched = check(package, limits).to_dict()
    assert forks  # the second process did search (this suite is single-threaded on Linux)
    monkeypatch.setattr(names, "BATCH", 0)  # each file judged as it comes
    one_by_one = check(package, limits).to_dict()
    assert batched == one_by_one
    if limits is LIMITS:
        assert {f["code"] for f in batched["findings"]} >= {"credential", "active-content", "not-scanned"}
    else:
        assert any("stopped at its budget" in f["message"] for f in batched["findings"])
    monkeypatch.setattr(names, "PARALLEL_FROM", 1 << 62)  # in batches, searched here alone
    assert check(package, limits).to_dict() == batched


def _without_hyperscan(monkeypatch) -> None:
    from modpack.checker import names

    monkeypatch.setattr(names, "_keyword_database", False)  # as where hyperscan cannot be had


def test_hyperscan_and_the_plain_search_judge_alike(tmp_path, monkeypatch):
    """Keywords found by hyperscan (one pass, case ignored, in this process) or by bytes.find on the
    lowered text (with the searching child, where hyperscan cannot be had): the same findings, in
    the same order, budgets spent or not. hyperscan is a dependency: it is there to be compared."""
    from modpack.checker import names

    assert names.keyword_scanner() is not None
    package = _mixed_text_package(tmp_path)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(names.os, "fork", lambda: forks.append(1) or real_fork())
    monkeypatch.setattr(names, "PARALLEL_FROM", 64 * 1024)
    for limits in (LIMITS, replace(LIMITS, max_scan_work=40_000), replace(LIMITS, max_scanned_total=1_500_000)):
        with_hyperscan = check(package, limits).to_dict()
        assert not forks  # hyperscan searches here: no child
        with monkeypatch.context() as scoped:
            scoped.setattr(names, "_keyword_database", False)
            plain = check(package, limits).to_dict()
        assert forks and with_hyperscan == plain
        forks.clear()
    assert {f["code"] for f in check(package).to_dict()["findings"]} >= {"credential", "active-content"}
    for text in [b"", b"teks biasa", b"Authorization: BASIC abc", b"x://y", b"\xff\x00KeY", b"passw" * 3, b"tokeN"]:
        assert names.has_keyword(text) == any(at >= 0 for at in names.first_keywords(text)), text


def _one_by_one(package, monkeypatch) -> dict:
    from modpack.checker import names

    with monkeypatch.context() as scoped:
        scoped.setattr(names, "BATCH", 0)  # each file judged as it comes
        scoped.setattr(names, "PARALLEL_FROM", 1 << 62)  # and searched here, by this process alone
        return check(package).to_dict()


def _no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:  # no child at all: none running, none left unreaped
        return True
    return False


def _searches_by_pid(monkeypatch) -> list[int]:
    """The process of each keyword search made from now on (a forked child's are its own, unseen
    here): which texts this process searched itself."""
    from modpack.checker import names

    searched: list[int] = []
    real_first_keywords = names.first_keywords

    def counted(text: bytes) -> tuple[int, ...]:
        searched.append(os.getpid())
        return real_first_keywords(text)

    monkeypatch.setattr(names, "first_keywords", counted)
    return searched


def _read_exactly(fd: int, size: int) -> bytes:
    data = b""
    while len(data) < size and (piece := os.read(fd, size - len(data))):
        data += piece
    return data


@pytest.mark.parametrize("backlog, parcel", [
    (1 << 40, 8 << 20),  # every text to the child, in parcels larger than a pipe holds
    (1 << 40, 1),  # every text to the child, one by one
    (0, 64 * 1024),  # none: the child is never given a text
])
def test_the_searching_child_and_this_process_share_the_texts_any_way(tmp_path, monkeypatch, backlog, parcel):
    from modpack.checker import names

    _without_hyperscan(monkeypatch)  # the child searches only where hyperscan cannot be had
    package = _mixed_text_package(tmp_path)
    searched = _searches_by_pid(monkeypatch)
    expected = _one_by_one(package, monkeypatch)
    texts = searched.count(os.getpid())
    searched.clear()
    monkeypatch.setattr(names, "PARALLEL_FROM", 64 * 1024)
    monkeypatch.setattr(names, "BACKLOG", backlog)
    monkeypatch.setattr(names, "PARCEL", parcel)
    assert check(package).to_dict() == expected
    # all to the child: none searched here (no text fell back); none: all of them searched here
    assert texts > 400 and searched.count(os.getpid()) == (0 if backlog else texts)
    assert _no_child_left()


def test_many_tiny_texts_go_to_the_searching_child_in_parcels_it_can_take(tmp_path, monkeypatch):
    """3,000 texts of a few bytes: a parcel of 64 KiB would be thousands of buffers, more than one
    write takes (IOV_MAX); parcels are capped by count too, and the child does search them."""
    from modpack.checker import names

    _without_hyperscan(monkeypatch)  # the child searches only where hyperscan cannot be had
    path = tmp_path / "kecil.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry("imsmanifest.xml"), MANIFEST)
        archive.writestr(entry("index.html"), INDEX)
        for n in range(3000):
            archive.writestr(entry(f"k/{n:04}.js"), b"var key = 'x';" if n % 500 == 7 else b"var a = %d;" % n)
    expected = _one_by_one(path, monkeypatch)
    monkeypatch.setattr(names, "PARALLEL_FROM", 1)
    monkeypatch.setattr(names, "BACKLOG", 1 << 40)
    searched_here = _searches_by_pid(monkeypatch)
    assert check(path).to_dict() == expected
    assert os.getpid() not in searched_here  # the child answered every text: none fell back to this process
    assert _no_child_left()


def test_a_searching_child_holds_no_other_descriptor(tmp_path):
    """Two searchers alive at once (or any fork while one is): the second child must not hold the
    first one's input open, or the first child would never see its end and closing it would hang."""
    import threading

    from modpack.checker import names

    first, second = names._Searcher.start(), names._Searcher.start()
    assert first is not None and second is not None
    closed = threading.Thread(target=first.close, daemon=True)
    closed.start()
    closed.join(10)
    assert not closed.is_alive()
    second.close()
    second.close()  # twice: harmless
    assert _no_child_left()


@pytest.mark.parametrize("answers", [0, 1, 3])
def test_a_searching_child_that_dies_leaves_its_texts_searched_here(tmp_path, monkeypatch, answers):
    """The child dies before answering, or after some parcels: the findings are still all of them,
    in their order, and the dead child is collected."""
    from modpack.checker import names

    _without_hyperscan(monkeypatch)  # the child searches only where hyperscan cannot be had
    package = _mixed_text_package(tmp_path)
    expected = _one_by_one(package, monkeypatch)
    monkeypatch.setattr(names, "PARALLEL_FROM", 64 * 1024)
    monkeypatch.setattr(names, "PARCEL", 16 * 1024)

    def dying_answer(reading: int, writing: int) -> None:
        for _ in range(answers):  # answer this many parcels, as the real child does, then die
            (count,) = names._LENGTH.unpack(_read_exactly(reading, 8))
            lengths = names.struct.unpack(f"<{count}Q", _read_exactly(reading, 8 * count))
            os.write(writing, b"".join(names._FIRSTS.pack(*names.first_keywords(_read_exactly(reading, n)))
                                       for n in lengths))
        os._exit(1)

    monkeypatch.setattr(names, "_answer", dying_answer)
    assert check(package).to_dict() == expected
    assert _no_child_left()


def test_a_damaged_entry_after_text_still_gets_that_text_judged(tmp_path, monkeypatch):
    """Text queued for a batch is judged before the damage that stops the check is reported."""
    from modpack.checker import names

    path = tmp_path / "rusak.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(entry("imsmanifest.xml"), MANIFEST)
        archive.writestr(entry("a.js", zipfile.ZIP_STORED), b"var key = 'x'; fetch('https://admin:rahasia@lrs.example/x')")
        archive.writestr(entry("b.js", zipfile.ZIP_STORED), b"BBBBBBBBBBBBBBBB")
    data = bytearray(path.read_bytes())
    at = data.index(b"BBBBBBBBBBBBBBBB")
    data[at:at + 4] = b"CCCC"  # b.js no longer matches its CRC
    path.write_bytes(bytes(data))
    batched = check(path).to_dict()
    codes = [f["code"] for f in batched["findings"]]
    assert "credential" in codes and codes[-1] == "unreadable" and not batched["readable"]
    monkeypatch.setattr(names, "BATCH", 0)
    assert check(path).to_dict() == batched


@pytest.mark.parametrize("html", [
    "<div>\n" + "<rb>" * 300, "<div>\n" + "<optgroup>" * 300 + "<div></div>" * 300, "<svg>" + "<div/>" * 300,
    '<div title="<">' * 300, "<b><div></b>" * 300, "<!-->" + "<div>" * 300 + "-->",
], ids=["ruby-less-rb", "optgroups", "div-in-svg", "lt-in-a-value", "adoption-agency", "abrupt-comment"])
def test_html_that_only_looks_closed_still_counts_as_nested(html):
    """Each of these nests for html5ever (and takes its sanitiser time squared) while a simpler
    count saw it closed: ruby tags without a ruby, optgroups, '/>' outside SVG's own elements, a
    '<' inside a quoted value, an end tag the adoption agency leaves the div open behind, a
    comment closed at once."""
    from modpack.definition.markdown import too_deep

    assert too_deep(html) is not None


@pytest.mark.parametrize("html", [
    "<ul>" + "<li>butir" * 3000 + "</ul>", "<dl>" + "<dt>a<dd>b" * 2000 + "</dl>", "<h3>Judul<p>isi</p>" * 300,
    "<p><a name=x1>Bagian <a href='#atas'>atas</a></p>" * 300, "<table><tr>" + "<td>a<th>b" * 2000 + "</table>",
    "<select>" + "<option>x" * 3000 + "</select>", "<div>x</div>" * 3000,
], ids=["list", "definitions", "headings", "anchors", "cells", "options", "closed-divs"])
def test_html_the_parser_closes_by_itself_is_not_refused(html):
    from modpack.definition.markdown import too_deep

    assert too_deep(html) is None


def test_the_nesting_count_is_linear_on_its_own_hostile_input():
    """An unterminated comment after many '<!--', a tag name of megabytes: each answered in one pass."""
    from modpack.definition.markdown import too_deep

    assert too_deep("<!--\n" + "<!--" * 200_000) is None
    assert too_deep("<div>\n<" + "a" * 2_000_000 + " " * 2_000_000) is None


def test_control_characters_written_as_escapes_are_errors_located_not_a_crash(write_module, tmp_path):
    """A title "Layanan\\x0b", an author "Rina \\0", an objective "\\x07", a lesson "\\x1b[31m":
    YAML and JSON escapes make characters no XML can hold, and lxml stopped the build with an
    internal error (exit 70), or only the format whose manifest held them. Each is an error at
    its value, all at once, and no format is built."""
    folder = write_module(textwrap.dedent(r'''
        id: modul-uji
        title: "Layanan\x0b dan Rujukan"
        iri_base: https://pelatihan.example.go.id/xapi/
        authors: [{name: "Rina \0"}]
        workload: {self_paced_jp: 1}
        objectives: [{id: tujuan, text: "Menjelaskan \x07"}]
        lessons:
          - id: pelajaran-satu
            title: "Meng\x01enal \e[31m SLRT \uFFFE"
            objectives: [tujuan]
            pages: [{id: halaman-satu, title: Halaman satu, file: halaman/satu.md}]
        '''))
    found = modpack.validate(folder)
    assert [(d.line, d.field, d.code) for d in found if d.severity == "error"] == [
        (3, "title", "control-character"), (5, "authors[0].name", "control-character"),
        (7, "objectives[0].text", "control-character"), (10, "lessons[0].title", "control-character")]
    assert "U+000B" in found[0].message
    for fmt in ("scorm12", "scorm2004", "cmi5", "xapi"):
        done = subprocess.run([sys.executable, "-m", "modpack", "--lang", "en", "build", str(folder), "--out",
                               str(tmp_path / "out"), "--format", fmt], capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "internal error" not in done.stderr and "U+0007" in done.stderr, done.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    # a module made in code is checked the same way when it is built
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    module.lessons[0].title = {"id-ID": "Pelajaran\x1b"}
    with pytest.raises(modpack.InvalidDefinition, match="U\\+001B"):
        modpack.build(module, format="scorm2004", out=tmp_path / "kode")
    # written raw, the parser refuses it: said where it is, not as "position 1174" without a line
    # (libyaml counts bytes: after “quotes” and an en dash, characters are fewer)
    (folder / "module.yaml").write_text("id: modul-uji\ntitle: “Rujukan” – terpadu\nlicence: CC\x0bBY-SA\n",
                                        encoding="utf-8")
    (raw,) = modpack.validate(folder)
    assert (raw.line, raw.column, raw.code) == (3, 12, "control-character") and "U+000B" in raw.message


def test_a_loop_of_links_as_the_module_or_the_output_is_said_not_a_crash(tmp_path):
    """`build loopA` (loopA -> loopB -> loopA) ended in 'internal error: RuntimeError: Symlink
    loop'; `validate` said 'no such file or folder'."""
    (tmp_path / "loopA").symlink_to("loopB")
    (tmp_path / "loopB").symlink_to("loopA")
    for args in (["build", "loopA", "--out", "out"], ["validate", "loopA"],
                 ["build", str(SAMPLES / "rujukan-terpadu"), "--out", "loopA"]):
        done = subprocess.run([sys.executable, "-m", "modpack", "--lang", "en", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "internal error" not in done.stderr, done.stderr
        if args[1] == "loopA":
            assert "loopA: is a loop of symbolic links" in done.stderr


def test_an_mp4_box_sized_past_the_file_is_not_a_crash(write_module):
    """A 24-byte 'MP4' whose first box declares 2**64 - 1 bytes: validate failed with 'cannot fit
    int into an offset-sized integer' (exit 70) as it looked for the index after the data."""
    folder = write_module(MINIMAL.replace("        file: halaman/satu.md\n",
                                          "        file: halaman/satu.md\n        video: {file: media/v.mp4}\n"),
                          files={"media/v.mp4": b"\x00\x00\x00\x01free" + b"\xff" * 8 + b"\x00" * 8})
    found = modpack.validate(folder)
    assert all(d.code != "internal" for d in found)
    done = subprocess.run([sys.executable, "-m", "modpack", "validate", str(folder)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode in (0, 1) and "internal error" not in done.stderr, done.stderr


def test_many_blocks_in_a_long_page_and_many_css_urls_cost_time_in_proportion(write_module, tmp_path):
    """8,000 callouts after 6 MB of text took 89 s to validate (each block's line counted from the
    page's start, and each block put in place by a replace that copied the page); raw HTML whose
    style held 'url(a' 10,000 times took 21 s (a pattern looking for each url('s end)."""
    page = "x" * 3_000_000 + "\n\n" + "```callout\ntext: catatan\n```\n\n" * 6_000 + "Akhir.\n"
    folder = write_module(files={"halaman/satu.md": page,
                                 "halaman/dua.md": '<p style="' + "url(a" * 50_000 + '">isi</p>\n'})
    (folder / "module.yaml").write_text((folder / "module.yaml").read_text(encoding="utf-8") + (
        "      - {id: halaman-dua, title: Halaman dua, file: halaman/dua.md}\n"), encoding="utf-8")
    assert [d for d in modpack.validate(folder) if d.severity == "error"] == []
    (built,) = modpack.build(folder, out=tmp_path / "out")
    with zipfile.ZipFile(built) as z:
        script = z.read("content/pages/halaman-satu.js").decode()
    assert script.count("mp-callout") >= 6_000 and "MODPACKBLOCK" not in script and "Akhir." in script


def test_css_urls_are_read_as_the_pattern_read_them():
    from modpack.definition.css import css_urls

    assert css_urls('background:url(a.png); x:URL( "b c.png" ) y:url(\'d)e.png\')') == ["a.png", "b c.png", "d)e.png"]
    assert css_urls("url(") == [] and css_urls('url("a') == [] and css_urls("url()") == [""]
    assert css_urls("url(a" * 100_000) == [] and len(css_urls("url(a) " * 100_000)) == 100_000


def test_a_value_quoted_in_a_message_stays_on_its_line(write_module):
    """email: "rina@example.go.id\\r\\nBcc: x@y" was quoted with its line break, so a value could
    begin a line of its own that reads like the tool's (docs/cli.md: what is quoted is escaped)."""
    folder = write_module(MINIMAL + 'authors: [{name: Rina, email: "rina@example.go.id\\r\\nmodul: valid"}]\n')
    done = subprocess.run([sys.executable, "-m", "modpack", "--lang", "en", "validate", str(folder)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    (line,) = [line for line in done.stderr.splitlines() if "e-mail" in line]
    assert "'rina@example.go.id\\r\\nmodul: valid' is not an e-mail address" in line
    assert not any(line.startswith("modul: valid") for line in done.stderr.splitlines())


def test_a_version_of_thousands_of_digits_is_refused_by_validate_and_quoted_short(write_module):
    """version: 5,000 digits passed validate, then build failed: 'File name too long'."""
    folder = write_module(MINIMAL + "version: '" + "1" * 5000 + "'\n")
    (found,) = [d for d in modpack.validate(folder) if d.severity == "error"]
    assert found.field == "version" and "is not a version" in found.message and len(found.message) < 200


def test_one_problem_repeated_is_printed_500_times_then_counted(write_module):
    """A page naming one missing picture 50,000 times printed 50,000 lines; --format json keeps all."""
    folder = write_module(files={"halaman/satu.md": "![Peta](hilang.png)\n\n" * 620})

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "modpack", "--lang", "en", "validate", str(folder), *extra],
                              capture_output=True, text=True, timeout=120)

    text = run()
    lines = [line for line in text.stderr.splitlines() if "hilang.png" in line]
    assert text.returncode == 2 and len(lines) == 500
    assert "... and 120 more problems of the code 'missing-file', not shown" in text.stderr
    found = json.loads(run("--format", "json").stdout)
    assert sum(d["code"] == "missing-file" for d in found["diagnostics"]) == 620


def test_empty_media_and_captions_that_are_no_webvtt_are_warned(write_module):
    """A 0-byte picture (a broken image), a 0-byte audio, captions that are an .srt renamed (the
    browser shows none, silently) were packed without a word."""
    text = MINIMAL.replace("        file: halaman/satu.md\n", "        file: halaman/satu.md\n"
                           "        audio: {file: media/salam.mp3}\n"
                           "        video: {url: 'https://video.example.go.id/a.mp4', title: Video, "
                           "captions: {id-ID: media/teks.vtt}}\n")
    folder = write_module(text, files={"halaman/satu.md": "![Peta](peta.jpg)\n\n![Peta lagi](peta.jpg)\n",
                                       "halaman/peta.jpg": b"", "media/salam.mp3": b"",
                                       "media/teks.vtt": "1\n00:00:01,000 --> 00:00:02,000\nHalo\n"})
    found = [(d.field, d.message) for d in modpack.validate(folder) if d.code == "broken-media"]
    assert len(found) == 3, found
    assert any("peta.jpg' is empty" in m for _, m in found) and any("salam.mp3' is empty" in m for _, m in found)
    assert any("teks.vtt' is not WebVTT" in m for _, m in found)
    (folder / "media" / "teks.vtt").write_text("\ufeffWEBVTT\n\n00:01.000 --> 00:02.000\nHalo\n", encoding="utf-8")
    assert len([d for d in modpack.validate(folder) if d.code == "broken-media"]) == 2


def _picture(fmt: str, **options: object) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((320, 200), 60).convert("RGB").save(out, fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize("suffix, fmt, options", [(".jpg", "JPEG", {}), (".jpg", "JPEG", {"progressive": True}),
                                                  (".png", "PNG", {}), (".gif", "GIF", {}), (".webp", "WEBP", {})])
def test_a_picture_cut_short_is_told_and_a_whole_one_with_data_after_it_is_not(suffix, fmt, options):
    """A copy that stopped (an upload over a slow link) is shown in part; a phone's motion photo
    carries its video after a whole JPEG, and is whole."""
    from modpack.pictures import ends_early

    whole = _picture(fmt, **options)
    for data, cut in ((whole, False), (whole[:len(whole) * 2 // 3], True), (whole[:-2], True),
                      (whole + b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 400, False)):
        assert ends_early(io.BytesIO(data), len(data), suffix) is cut, (len(data), cut)


@pytest.mark.parametrize("padding", [b"", b"\x00" * 40])
def test_a_jpeg_cut_just_after_its_exif_thumbnail_is_told(padding):
    """A photo's EXIF segment carries a thumbnail, a JPEG of its own: a copy that stopped just after
    the thumbnail's end marker ends in FF D9, as a whole JPEG does; its header says the file is short."""
    from modpack.pictures import ends_early

    main, thumbnail = _picture("JPEG"), _picture("JPEG", quality=20)
    exif = b"Exif\x00\x00II*\x00\x08\x00\x00\x00" + thumbnail + padding
    whole = main[:2] + b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif + main[2:]
    cut = whole[:2 + 4 + 14 + len(thumbnail)]
    assert cut.endswith(b"\xff\xd9") and whole.endswith(b"\xff\xd9")
    assert ends_early(io.BytesIO(whole), len(whole), ".jpg") is False
    assert ends_early(io.BytesIO(cut), len(cut), ".jpg") is True
    # a JPEG of tables alone (an 'abbreviated' file: no scan) ends where its header does, whole
    tables = b"\xff\xd8\xff\xdb\x00\x43" + bytes(65) + b"\xff\xd9"
    assert ends_early(io.BytesIO(tables), len(tables), ".jpg") is False


def test_crafted_pictures_are_judged_in_bounded_time():
    """Files of millions of tiny parts (JPEG segments, PNG chunks, GIF sub-blocks) stop the walk at
    MAX_PARTS: not judged, rather than a step per few bytes."""
    from modpack.pictures import MAX_PARTS, ends_early

    crafted = {".jpg": b"\xff\xd8" + b"\xff\xe0\x00\x02" * (MAX_PARTS + 10),
               ".png": b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x00abcd\x00\x00\x00\x00" * (MAX_PARTS + 10),
               ".gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x2c" + b"\x00" * 9 + b"\x02" + b"\x01\x00" * (MAX_PARTS + 10)}
    for suffix, data in crafted.items():
        assert ends_early(io.BytesIO(data), len(data), suffix) is False, suffix
    # a JPEG's header is looked at segment by segment when the file ends in FF D9: as far as MAX_PARTS
    ended = crafted[".jpg"] + b"\xff\xd9"
    assert ends_early(io.BytesIO(ended), len(ended), ".jpg") is False
    # and one that stops first is cut short
    for suffix, data in crafted.items():
        short = data[:MAX_PARTS // 2]
        assert ends_early(io.BytesIO(short), len(short), suffix) is True, suffix
    # fill bytes before a marker are skipped in one search (a step each: 6 s for 64 MB; figures in
    # benchmarks/hostile.py): to the end, the file is cut short; a marker after them, it goes on
    flood = b"\xff\xd8" + b"\xff" * 1_000_000
    assert ends_early(io.BytesIO(flood), len(flood), ".jpg") is True
    whole = _picture("JPEG")
    padded = whole[:2] + b"\xff" * 1000 + whole[2:]  # (fill bytes before the first segment's marker)
    assert ends_early(io.BytesIO(padded), len(padded), ".jpg") is False


def test_the_pictures_of_one_package_share_a_budget_of_parts(tmp_path):
    """Each picture's walk stops at MAX_PARTS, and the pictures of one package share
    MAX_TOTAL_PARTS: 10,000 crafted pictures took 3 min 44 s of `check`. Past the budget, a picture
    its end does not settle is not judged, so a cut GIF after enough crafted JPEGs is not named,
    and named when it comes first."""
    from modpack.pictures import MAX_PARTS, MAX_TOTAL_PARTS, Budget, ends_early

    gif = _picture("GIF")
    cut = gif[:len(gif) // 2]
    budget = Budget(1000)
    assert ends_early(io.BytesIO(cut), len(cut), ".gif", budget) is True and 0 < budget.parts < 1000
    budget.parts = 0
    assert ends_early(io.BytesIO(cut), len(cut), ".gif", budget) is False  # not judged
    crafted = b"\xff\xd8" + b"\xff\xd0" * (MAX_PARTS + 10) + b"\xff\xd9"
    many = MAX_TOTAL_PARTS // MAX_PARTS + 1
    for first in (True, False):
        path = tmp_path / f"paket-{first}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("imsmanifest.xml", worst_cases.MANIFEST)
            archive.writestr("index.html", worst_cases.INDEX)
            if first:
                archive.writestr("media/cut.gif", cut)
            for n in range(many):
                archive.writestr(f"media/{n}.jpg", crafted)
            if not first:
                archive.writestr("media/cut.gif", cut)
        found = [f.file for f in check(path).findings if f.code == "broken-media"]
        assert found == (["media/cut.gif"] if first else []), first


def test_a_gif_is_walked_whatever_its_last_byte():
    """One cut in 256 ends on the trailer's ';' (taken for whole); a GIF whose blocks are all there but
    its trailer is not shows whole, and is not said to be cut."""
    from modpack.pictures import ends_early

    whole = _picture("GIF")
    cut = next(whole[:n] for n in range(len(whole) // 2, len(whole)) if whole[n - 1:n] == b";")
    assert ends_early(io.BytesIO(cut), len(cut), ".gif") is True
    assert ends_early(io.BytesIO(whole[:-1]), len(whole) - 1, ".gif") is False


def test_a_picture_cut_short_is_warned_in_a_block_too(sample_copy):
    """A block's picture (hotspots) was approved, never looked at: a cut one went unsaid."""
    folder = sample_copy("kewirausahaan-sosial")
    whole = _picture("PNG")
    (folder / "gambar" / "peta.png").write_bytes(whole[:len(whole) // 2])
    page = folder / "halaman" / "03-kanvas-usaha.md"
    page.write_text(page.read_text(encoding="utf-8").replace("image: ../gambar/kanvas-usaha.svg",
                                                             "image: ../gambar/peta.png"), encoding="utf-8")
    found = [d for d in modpack.validate(folder) if d.code == "broken-media"]
    assert len(found) == 1 and "peta.png' is cut short" in found[0].message, found
    assert found[0].file.endswith("03-kanvas-usaha.md") and found[0].line == 18


def test_a_picture_cut_short_is_warned_where_it_is_used(write_module):
    whole = _picture("JPEG")
    folder = write_module(files={"halaman/satu.md": "![Peta](peta.jpg)\n\n![Utuh](utuh.jpg)\n",
                                 "halaman/peta.jpg": whole[:len(whole) // 2], "halaman/utuh.jpg": whole})
    found = [d for d in modpack.validate(folder) if d.code == "broken-media"]
    assert len(found) == 1 and "peta.jpg' is cut short" in found[0].message, found
    assert found[0].file.endswith("satu.md") and found[0].line == 1
    result = subprocess.run([sys.executable, "-m", "modpack", "validate", str(folder)], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "MODPACK_LANG": "id"})
    assert result.returncode == 0 and "peta.jpg' terpotong" in result.stderr + result.stdout, result


def test_an_author_paragraph_like_a_placeholder_is_the_authors(write_module, tmp_path):
    """'MODPACKBLOCK00X' written by an author took the page's first block (read as block 0)."""
    folder = write_module(files={"halaman/satu.md": "MODPACKBLOCK00X\n\n```callout\ntext: catatan\n```\n"})
    (built,) = modpack.build(folder, out=tmp_path / "out")
    with zipfile.ZipFile(built) as z:
        html = json.loads(z.read("content/pages/halaman-satu.js").decode().split("(", 1)[1].rsplit(")", 1)[0])["html"]
    page = next(iter(html.values()))
    assert "<p>MODPACKBLOCK00X</p>" in page and page.index("MODPACKBLOCK00X") < page.index("mp-callout")
