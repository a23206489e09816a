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
    assert "4,096 bytes at offset 0" in finding.message


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
