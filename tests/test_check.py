"""`modpack check` and `info` on packages modpack builds, hand-written ones, and hostile ones."""

from __future__ import annotations

import io
import json
import re
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import modpack
import modpack.package.builder  # noqa: F401 - its FORMATS name the parameters
from modpack.checker import Severity, check, info
from modpack.checker.reader import Limits

from .conftest import ROOT, SAMPLES

HAND = ROOT / "tests" / "fixtures" / "packages"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
XSD_3RD = ROOT / "src" / "modpack" / "xsd" / "scorm2004_3rd"


def zip_folder(folder: Path, target: Path, extra: dict[str, Path] | None = None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
        for name, path in (extra or {}).items():
            archive.write(path, name)
    return target


def codes(report, severity=Severity.ERROR) -> set[str]:
    return {f.code for f in report.findings if f.severity is severity}


# -- what modpack builds ------------------------------------------------------------

@pytest.mark.parametrize("fmt", modpack.package.builder.FORMATS)
@pytest.mark.parametrize("structure", ["single-sco", "sco-per-lesson"])
@pytest.mark.parametrize("name", ["rujukan-terpadu", "kewirausahaan-sosial"])
def test_every_modpack_package_checks_clean(name, structure, fmt, tmp_path):
    module = modpack.load(SAMPLES / name)
    module.delivery.scorm12.structure = module.delivery.scorm2004.structure = structure
    module.delivery.cmi5.structure = "single-au" if structure == "single-sco" else "au-per-lesson"
    path = modpack.build_package(module, fmt, tmp_path)
    report = check(path)
    assert report.findings == [], "\n".join(map(str, report.findings))
    assert report.exit_code == 0
    assert report.standard == {"xapi": "tincan"}.get(fmt, fmt)
    assert report.edition == ("4th" if fmt == "scorm2004" else None)


def test_info_describes_structure(tmp_path):
    path = modpack.build(SAMPLES / "rujukan-terpadu", "scorm2004", tmp_path)[0]
    data = info(path)
    assert data["standard"] == "scorm2004" and data["edition"] == "4th"
    assert data["title"] == "Layanan dan Rujukan Terpadu bagi Petugas SLRT dan Puskesos"
    assert data["version"] == "1.2.0" and data["scos"] == 5 and data["assets"] == 1
    organization = data["organizations"][0]
    assert [i["title"] for i in organization["items"]] == ["Pra-tes", "Materi", "Pasca-tes"]
    assert organization["items"][2]["launch"] == "sco-pasca-tes.html"
    assert organization["items"][2]["mastery_score"] == "0.7000"
    assert [i["launch"] for i in organization["items"][1]["items"]] == [
        "sco-mengenal-slrt.html", "sco-identifikasi-kebutuhan.html", "sco-rujukan-dan-tindak-lanjut.html"]


# -- hand-written packages in other tools' styles --------------------------------------

EXPECTED = {
    # folder: (standard, edition, exit code, error codes, warning codes)
    "scorm12-articulate-style": ("scorm12", None, 0, set(), set()),
    "scorm12-broken-references": ("scorm12", None, 3, {"missing-file", "missing-launch", "bad-reference", "duplicate-id",
                                                        "mastery-range", "schema"}, set()),
    "scorm12-wrapper-folder": ("scorm12", None, 1, {"not-at-root"}, set()),
    "scorm12-names-and-leftovers": ("scorm12", None, 0, set(), {"name-space", "name-non-ascii"}),  # + unreferenced (info)
    "scorm12-xxe": (None, None, 1, {"xml-dtd"}, set()),
    "scorm2004-3rd-ispring-style": ("scorm2004", "3rd", 0, set(), set()),
    "scorm2004-4th-sequencing": ("scorm2004", "4th", 1, {"bad-objective", "bad-reference"}, set()),
    "scorm2004-4th-collection-style": ("scorm2004", "4th", 0, set(), set()),
    "cmi5-rules-the-schema-misses": ("cmi5", None, 1, {"cmi5-id", "au-url"}, set()),
    "scorm2004-4th-schema-error": ("scorm2004", "4th", 3, {"schema"}, set()),
    "scorm2004-2nd-edition": ("scorm2004", "2nd", 0, set(), set()),
    "cmi5-course": ("cmi5", None, 0, set(), set()),
    "cmi5-broken-rules": ("cmi5", None, 3, {"duplicate-id", "au-url", "missing-launch", "bad-objective", "schema"}, set()),
    "tincan-golf-style": ("tincan", None, 0, set(), set()),
    "tincan-embedded-credentials": ("tincan", None, 1, {"credential"}, set()),
    "not-a-package": (None, None, 1, {"unknown-package"}, set()),
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_hand_written_packages(folder, tmp_path):
    extra = {p.relative_to(XSD_3RD).as_posix(): p for p in XSD_3RD.rglob("*") if p.is_file()} \
        if folder == "scorm2004-3rd-ispring-style" else None
    path = zip_folder(HAND / folder, tmp_path / f"{folder}.zip", extra)
    standard, edition, exit_code, errors, warnings = EXPECTED[folder]
    report = check(path)
    assert (report.standard, report.edition) == (standard, edition)
    assert codes(report) == errors, "\n".join(map(str, report.findings))
    assert codes(report, Severity.WARNING) == warnings, "\n".join(map(str, report.findings))
    assert report.exit_code == exit_code
    for finding in report.findings:  # each has a plain explanation and a place
        assert len(finding.message) > 20 and (finding.file or finding.code in ("unknown-package",))
    assert check(HAND / folder).standard == standard or folder == "scorm2004-3rd-ispring-style"


def test_findings_are_located():
    report = check(HAND / "scorm12-broken-references")
    mastery = next(f for f in report.findings if f.code == "mastery-range")
    assert (mastery.file, mastery.line) == ("imsmanifest.xml", 10)
    assert "120" in mastery.message
    missing = next(f for f in report.findings if f.code == "missing-file")
    assert "gambar/peta-posko.png" in missing.message and missing.line == 23
    credentials = check(HAND / "tincan-embedded-credentials")
    assert sorted((f.file, f.line, f.path) for f in credentials.errors) == [
        ("config.js", 3, "url-key"), ("config.js", 4, "basic-auth"), ("config.js", 5, "secret-value")]


def test_cmi5_and_tincan_info():
    course = info(HAND / "cmi5-course")
    assert course["standard"] == "cmi5" and course["aus"] == 2
    block = course["children"][0]
    assert block["title"] == "Blok 1" and block["children"][0]["masteryScore"] == "0.7"
    assert course["children"][1]["url"].startswith("https://")
    tincan = info(HAND / "tincan-golf-style")
    assert tincan["activities"][0]["launch"] == "index.html"


# -- hostile packages ----------------------------------------------------------------

def _hostile_corpus():
    sys.path.insert(0, str(HOSTILE))
    try:
        import make  # noqa: PLC0415 - the corpus generator lives beside the corpus
        return make.corpus()
    finally:
        sys.path.remove(str(HOSTILE))
        sys.modules.pop("make", None)


HOSTILE_EXPECTED = {
    "zip-slip-dotdot.zip": (1, "zip-slip"),
    "zip-slip-absolute.zip": (1, "zip-slip"),
    "zip-slip-windows.zip": (1, "zip-slip"),
    "symlink.zip": (1, "symlink"),
    "duplicate-names.zip": (1, "duplicate-entry"),
    "name-invalid-utf8-flagged.zip": (2, "unreadable"),
    "name-invalid-utf8.zip": (1, "name-not-utf8"),
    "xxe-manifest.zip": (1, "xml-dtd"),
    "zip-bomb-ratio.zip": (2, "unreadable"),
    "zip-bomb-lying-size.zip": (2, "unreadable"),
    "zip-bomb-hidden.zip": (2, "unreadable"),
    "not-a-zip.zip": (2, "unreadable"),
    "truncated.zip": (2, "unreadable"),
}


def test_the_hostile_corpus_is_what_make_py_writes():
    corpus = _hostile_corpus()
    assert sorted(corpus) == sorted(p.name for p in HOSTILE.glob("*.zip")) == sorted(HOSTILE_EXPECTED)
    for name, data in corpus.items():
        assert (HOSTILE / name).read_bytes() == data, f"run python tests/fixtures/hostile/make.py ({name})"


@pytest.mark.parametrize("name", sorted(HOSTILE_EXPECTED))
def test_hostile_packages_are_refused(name):
    exit_code, code = HOSTILE_EXPECTED[name]
    report = check(HOSTILE / name)
    assert report.exit_code == exit_code
    assert code in codes(report), "\n".join(map(str, report.findings))
    assert any("refused" in f.message or "cannot be read" in f.message for f in report.errors)


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def test_nothing_is_written_anywhere(tmp_path):
    """Checking every hostile package writes no file: not beside it, not in the working folder,
    not in the temporary folder, and not where the hostile names point."""
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    (tmp_path / "tmp").mkdir()
    (tmp_path / "home").mkdir()
    packages = tmp_path / "packages"
    shutil.copytree(HOSTILE, packages, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    before = _snapshot(tmp_path)
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "HOME": str(tmp_path / "home")}
    for package in sorted(packages.glob("*.zip")):
        result = subprocess.run([sys.executable, "-m", "modpack", "check", str(package), "--format", "json"],
                                cwd=work, env=env, capture_output=True, text=True)
        assert result.returncode in (1, 2), package.name
        assert "Traceback" not in result.stderr
        json.loads(result.stdout)
    assert _snapshot(tmp_path) == before
    for target in ("/tmp/modpack-evil-absolute.txt", "/modpack-evil-dotdot.txt", str(tmp_path / "a" / "modpack-evil-dotdot.txt")):
        assert not Path(target).exists()


def test_limits_on_entry_count_and_manifest_size(tmp_path):
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(60):
            archive.writestr(f"f{n}.txt", b"x")
    report = check(many, Limits(max_entries=50))
    assert report.exit_code == 2 and "60 entries" in report.errors[0].message
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w") as archive:
        archive.writestr("imsmanifest.xml", b"<manifest>" + b"<!-- x -->" * 300 + b"</manifest>")
    report = check(big, Limits(max_descriptor_size=1000))
    assert "descriptor-refused" in codes(report)


def test_utf8_names_not_marked_as_such(tmp_path):
    path = tmp_path / "nama.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(HAND / "tincan-golf-style" / "tincan.xml", "tincan.xml")
        archive.write(HAND / "tincan-golf-style" / "index.html", "index.html")
        info = zipfile.ZipInfo("materi-é.js")
        archive.writestr(info, b"var a = 1;")
    encoded = "materi-é.js".encode()
    data = bytearray(path.read_bytes())
    start = 0
    while (at := data.find(encoded, start)) >= 0:  # clear the UTF-8 flag (bit 11): some zip tools never set it
        for header, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
            if data[at - name_at:at - name_at + 4] == header:
                data[at - name_at + flags_at + 1] &= ~0x08 & 0xFF
        start = at + 1
    path.write_bytes(bytes(data))
    report = check(path)
    assert report.readable and "name-encoding" in codes(report, Severity.WARNING)


def test_folder_with_a_symlink_is_refused(tmp_path):
    folder = tmp_path / "paket"
    shutil.copytree(HAND / "scorm12-articulate-style", folder)
    (folder / "story_content" / "passwd").symlink_to("/etc/passwd")
    report = check(folder)
    assert "symlink" in codes(report)


# -- fuzzing the reader ----------------------------------------------------------------

def _valid_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((HAND / "scorm12-articulate-style").rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(HAND / "scorm12-articulate-style").as_posix())
    return buffer.getvalue()


VALID_ZIP = _valid_zip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, len(VALID_ZIP) - 1), st.integers(0, 255)), min_size=1, max_size=12),
       cut=st.one_of(st.none(), st.integers(0, len(VALID_ZIP))))
def test_fuzzed_zips_never_crash_the_checker(tmp_path_factory, edits, cut):
    data = bytearray(VALID_ZIP)
    for at, value in edits:
        data[at] = value
    if cut is not None:
        data = data[:cut]
    path = tmp_path_factory.mktemp("fuzz") / "paket.zip"
    path.write_bytes(bytes(data))
    report = check(path)  # must return, never raise
    # a property of every answer: a verdict with reasons. Unreadable means an error says why;
    # a clean bill means the package still has its manifest and launch page intact
    assert report.exit_code in (0, 1, 2, 3)
    assert (report.exit_code == 0) == (report.readable and not report.errors)
    if not report.readable:
        assert any(f.code == "unreadable" for f in report.errors)
    if report.exit_code == 0:
        assert report.standard == "scorm12"
    for finding in report.findings:
        assert finding.message and finding.code and "Traceback" not in finding.message
    json.dumps(report.to_dict())
    structure = info(path)
    assert structure["standard"] == report.standard
    assert sorted(p.name for p in path.parent.iterdir()) == ["paket.zip"]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_are_unreadable_not_a_crash(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("random") / "x.zip"
    path.write_bytes(data)
    report = check(path)
    # random bytes are not a package: refused as unreadable (with the reason) or, if they happen to
    # parse as an empty zip, judged as no known package; never a clean bill
    assert report.exit_code != 0
    assert report.errors and all(f.message for f in report.errors)
    assert report.exit_code == 2 or report.standard is None


def _noise(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((160, 100), 60).convert("RGB").save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_picture_cut_short_in_a_package_is_a_warning_in_a_zip_and_in_a_folder(tmp_path, method):
    """A package others made may carry a picture whose copy stopped (shown in part): `check` says
    so, of that picture only; a whole one, or a phone's motion photo (video after a whole JPEG), is
    not named. Judged in the one unpacking pass, from the picture's structure."""
    package = modpack.build_package(modpack.load(SAMPLES / "rujukan-terpadu"), "scorm12", tmp_path / "dist")
    folder = tmp_path / "paket"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    jpeg, png, gif = _noise("JPEG"), _noise("PNG"), _noise("GIF")
    pictures = {"assets/foto/utuh.jpg": jpeg, "assets/foto/terpotong.jpg": jpeg[:len(jpeg) // 2],
                "assets/foto/gerak.jpg": jpeg + b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40,
                "assets/foto/utuh.png": png, "assets/foto/terpotong.png": png[:-5],
                "assets/foto/terpotong.gif": gif[:len(gif) - 300], "assets/foto/utuh.gif": gif}
    for name, data in pictures.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    zipped = tmp_path / "paket.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix(), compress_type=method)
    for source in (zipped, folder):
        report = check(source)
        found = sorted(f.file for f in report.findings if f.code == "broken-media")
        assert found == ["assets/foto/terpotong.gif", "assets/foto/terpotong.jpg", "assets/foto/terpotong.png"], source
        assert all(f.severity is Severity.WARNING for f in report.findings if f.code == "broken-media")
        assert report.exit_code == 0  # a warning: the rest of the package stands


def _entries_zip(path: Path, entries: dict[str, tuple[bytes, int]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, (data, method) in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


def test_entries_read_past_zipfile_are_the_bytes_zipfile_reads(tmp_path):
    """The reader inflates plain entries itself (reader._plain_chunks): what it reads must be what
    zipfile reads, for stored and deflated entries, empty ones, and ones of many input windows."""
    import random

    from modpack.checker.reader import Package
    from modpack.checker.report import Report

    rng = random.Random(5)
    big_text = b"".join(b"baris %d: pendamping keluarga\n" % n for n in range(40_000))  # ~1.2 MB, deflates
    entries = {"a.txt": (big_text, zipfile.ZIP_DEFLATED), "b.bin": (rng.randbytes(300_000), zipfile.ZIP_STORED),
               "c.bin": (rng.randbytes(200_000), zipfile.ZIP_DEFLATED), "kosong.txt": (b"", zipfile.ZIP_DEFLATED),
               "kosong.bin": (b"", zipfile.ZIP_STORED)}
    path = _entries_zip(tmp_path / "p.zip", entries)
    package = Package(path, Report(str(path)))
    try:
        for name, (data, _) in entries.items():
            assert package.read(name, 1 << 30) == data
    finally:
        package.close()


def test_an_entry_whose_last_input_leaves_output_pending_is_read_whole(tmp_path):
    """zlib can take the last compressed bytes while output is still pending (the input used up just
    as a 1 MiB read fills): the reader must drain it, as zipfile does, not call the entry damaged."""
    import random
    import zlib

    from modpack.checker.reader import _WINDOW, Package
    from modpack.checker.report import Report
    from modpack.package.archive import _PlainZip

    def deflated(data: bytes) -> bytes:  # a full flush early on, as some zip tools write
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return compressor.compress(data[:8000]) + compressor.flush(zlib.Z_FULL_FLUSH) + \
            compressor.compress(data[8000:]) + compressor.flush()

    def pending_at_end(stream: bytes) -> bool:  # the windows used up, the stream not ended
        inflate = zlib.decompressobj(-15)
        for at in range(0, len(stream), _WINDOW):
            window = stream[at:at + _WINDOW]
            while window and inflate.decompress(window, 1 << 20):
                window = inflate.unconsumed_tail
        return not inflate.eof

    head = random.Random(5).randbytes(8000)
    found = next(((data, stream) for n in range((1 << 20) + 1, (1 << 20) + 2000)
                  if pending_at_end(stream := deflated(data := head + bytes(n - 8000)))), None)
    assert found is not None, "no stream of this zlib leaves output pending: the case is not reached"
    data, stream = found
    path = tmp_path / "p.zip"
    with path.open("wb") as raw:
        archive = _PlainZip(raw, (1980, 1, 1, 0, 0, 0))
        archive.add("data.json", zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), stream)
        archive.close()
    with zipfile.ZipFile(path) as reference:
        assert reference.read("data.json") == data
    package = Package(path, Report(str(path)))
    try:
        assert package.read("data.json", 1 << 30) == data
    finally:
        package.close()


def test_an_entry_at_an_offset_no_file_reaches_is_unreadable(tmp_path):
    import struct
    import zlib

    name, data = b"a.txt", b"halo"
    crc = zlib.crc32(data)
    local = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0x21, crc, 4, 4, len(name), 0) + name + data
    extra = struct.pack("<HHQ", 1, 8, (1 << 63) + 5)  # a ZIP64 offset past what a file position can hold
    central = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, 0, 0, 0, 0x21, crc, 4, 4, len(name),
                          len(extra), 0, 0, 0, 0o100644 << 16, 0xFFFFFFFF) + name + extra
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local), 0)
    path = tmp_path / "p.zip"
    path.write_bytes(local + central + end)
    report = check(path)  # never a traceback
    assert not report.readable and any(f.code == "unreadable" for f in report.errors)


@pytest.mark.parametrize("damage", ["flipped", "stored-flipped", "declared-smaller", "cut"])
def test_a_damaged_entry_is_refused_by_the_reader(tmp_path, damage):
    text = b"".join(b"halaman %d\n" % n for n in range(20_000))
    method = zipfile.ZIP_STORED if damage == "stored-flipped" else zipfile.ZIP_DEFLATED
    path = _entries_zip(tmp_path / "p.zip", {"imsmanifest.xml": (b"<manifest/>", 8), "isi.txt": (text, method)})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info_ = archive.getinfo("isi.txt")
    start = info_.header_offset + 30 + len("isi.txt")
    if damage in ("flipped", "stored-flipped"):
        data[start + info_.compress_size // 2] ^= 0x55
    elif damage == "declared-smaller":  # the central directory says 100 bytes; it inflates to far more
        central = data.rfind(b"PK\x01\x02" + data[data.find(b"PK\x01\x02") + 4:data.find(b"PK\x01\x02") + 6])
        at = data.find(b"isi.txt", data.find(b"PK\x01\x02")) - 46
        assert data[at:at + 4] == b"PK\x01\x02", central
        data[at + 24:at + 28] = (100).to_bytes(4, "little")
    else:  # the compressed data cut short: the file ends before the entry does
        data = data[:start + info_.compress_size // 2]
    path.write_bytes(bytes(data))
    report = check(path)
    assert not report.readable and report.exit_code == 2
    message = " ".join(f.message for f in report.errors)
    assert "isi.txt" in message or "not a readable zip" in message
    # a flipped bit in deflated data may inflate past the declared size: refused as such, or as damaged
    expected = {"flipped": ("damaged", "zip bomb"), "stored-flipped": ("damaged",), "declared-smaller": ("zip bomb",),
                "cut": ("not a readable zip",)}[damage]
    assert any(words in message for words in expected), message


@pytest.mark.parametrize("damage", ["none", "flipped", "stored-flipped", "declared-smaller", "declared-larger",
                                    "crc", "header", "cut", "overstated"])
@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_a_small_entry_read_at_once_is_judged_as_one_read_in_windows(tmp_path, monkeypatch, damage, method):
    """Small entries of a zip held in memory are inflated at once (Package._small_plain): whole or
    damaged, the report must be the one the windowed reader gives."""
    import struct

    from modpack.checker.reader import Package

    text = b"".join(b"halaman %d, kunci keluarga\n" % n for n in range(1500))  # 40 KB: one window either way
    path = _entries_zip(tmp_path / "p.zip", {"imsmanifest.xml": (b"<manifest/>", 8), "isi.txt": (text, method),
                                             "akhir.txt": (b"sesudahnya", method)})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info_ = archive.getinfo("isi.txt")
    start = info_.header_offset + 30 + len("isi.txt")
    central = data.find(b"PK\x01\x02" + data[data.find(b"PK\x01\x02") + 4:data.find(b"PK\x01\x02") + 4], 0)
    at = data.find(b"isi.txt", data.find(b"PK\x01\x02")) - 46
    assert central >= 0 and data[at:at + 4] == b"PK\x01\x02"
    if damage in ("flipped", "stored-flipped"):
        data[start + info_.compress_size // 2] ^= 0x55
    elif damage == "declared-smaller":
        data[at + 24:at + 28] = (100).to_bytes(4, "little")
    elif damage == "declared-larger":
        data[at + 24:at + 28] = (len(text) + 7).to_bytes(4, "little")
    elif damage == "crc":
        data[at + 16:at + 20] = struct.pack("<L", info_.CRC ^ 1)
    elif damage == "header":
        data[info_.header_offset:info_.header_offset + 4] = b"PK\x09\x09"
    elif damage == "cut":  # the compressed data cut short inside the entry, the directory kept
        data[at + 20:at + 24] = (info_.compress_size // 2).to_bytes(4, "little")
    elif damage == "overstated":  # the directory's compressed size runs on past the entry's data
        data[at + 20:at + 24] = (info_.compress_size + 5000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    real_small_plain, read_at_once = Package._small_plain, []

    def counted(self, name, limit):
        found = real_small_plain(self, name, limit)
        read_at_once.append(found is not None)
        return found

    monkeypatch.setattr(Package, "_small_plain", counted)
    at_once = check(path).to_dict()
    assert any(read_at_once) or damage != "none"  # the path under test was taken
    monkeypatch.setattr(Package, "_small_plain", lambda self, name, limit: None)
    assert at_once == check(path).to_dict()
    if damage == "none" or (damage == "overstated" and method == zipfile.ZIP_DEFLATED):
        assert at_once["readable"], damage  # a whole deflate stream ends where it ends, as unzip reads it
    elif damage != "stored-flipped" or method == zipfile.ZIP_STORED:
        assert not at_once["readable"], damage


def _raw_zip(name: bytes, raw: bytes, file_size: int, crc: int) -> bytes:
    """A one-entry deflated zip of exactly these compressed bytes and declarations."""
    import struct

    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(raw), file_size, len(name), 0) + name
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(raw), file_size, len(name), 0,
                          0, 0, 0, 0, 0) + name
    body = local + raw
    return body + central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(body), 0)


@pytest.mark.parametrize("case", ["damage-past-declared", "no-end-marker"])
def test_a_small_entry_read_at_once_meets_damage_where_the_windowed_reader_does(tmp_path, monkeypatch, case):
    """Inflated at once, an entry still meets what is wrong in the order a chunk at a time meets
    it: 200 KB of output, then a bad block, under a declared 1,000 bytes is damaged (as the
    windowed reader says), and both spend the same inflation budget."""
    import zlib

    from modpack.checker.reader import Package

    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    if case == "damage-past-declared":
        raw = deflate.compress(b"a" * 200_000) + deflate.flush(zlib.Z_SYNC_FLUSH) + b"\xff\xff\xff\xff"
        zipped = _raw_zip(b"a.txt", raw, 1000, 0)
    else:
        text = b"halaman keluarga " * 300
        zipped = _raw_zip(b"a.txt", deflate.compress(text) + deflate.flush(zlib.Z_SYNC_FLUSH), len(text),
                          zlib.crc32(text))
    path = tmp_path / "p.zip"
    path.write_bytes(zipped)
    at_once = check(path).to_dict()
    monkeypatch.setattr(Package, "_small_plain", lambda self, name, limit: None)
    assert at_once == check(path).to_dict()
    message = " ".join(f["message"] for f in at_once["findings"])
    assert ("damaged" in message and "zip bomb" not in message) if case == "damage-past-declared" else \
        "end marker" in message


@settings(max_examples=500, deadline=None)
@given(base=st.lists(st.sampled_from(["a", "é", ".", "/", "x.html"]), max_size=8).map("".join),
       path=st.lists(st.sampled_from(["b", ".", "..", "/", "%2e"]), max_size=10).map("".join))
def test_hrefs_split_as_purepath_splits_them(base, path):
    """normalise splits every href of a manifest without a PurePosixPath per href: it must split as
    PurePosixPath does, roots ('/', and '//' which POSIX keeps) and '..' included."""
    from pathlib import PurePosixPath

    from modpack.checker.reader import _posix_parts

    assert _posix_parts(base, path) == list(PurePosixPath(base, path).parts)


@settings(max_examples=500, deadline=None)
@given(base=st.sampled_from(["", "a", "a/b/", "/x"]),
       href=st.lists(st.sampled_from(["b", ".", "..", "/", "%2e", "c.js", "_-", "?q", "#f", "x:", "\\", "é"]),
                     max_size=8).map("".join))
def test_a_plain_href_is_normalised_as_any_other(base, href):
    """normalise returns a plain href (no '.', '..', '%', scheme, query...) as it is: what the full
    steps make of it."""
    from modpack.checker import reader

    fast = reader.normalise(base, href)
    plain = reader._PLAIN_HREF
    try:
        reader._PLAIN_HREF = re.compile(r"(?!)")  # never matches: every href takes the full steps
        assert reader.normalise(base, href) == fast
    finally:
        reader._PLAIN_HREF = plain


# -- the command line ------------------------------------------------------------------

def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True)


def test_cli_check_exit_codes_and_json(tmp_path):
    built = modpack.build(SAMPLES / "kewirausahaan-sosial", "scorm12", tmp_path)[0]
    ok = run("check", str(built))
    assert ok.returncode == 0 and ok.stdout.strip().endswith("ok (0 error(s), 0 warning(s))")
    bad = run("check", str(HAND / "scorm12-broken-references"), "--format", "json")
    assert bad.returncode == 3  # its manifest fails the schema (and other rules)
    report = json.loads(bad.stdout)
    assert set(report) == {"source", "standard", "edition", "readable", "ok", "files", "size", "counts", "findings"}
    assert report["counts"]["error"] == len([f for f in report["findings"] if f["severity"] == "error"]) >= 5
    assert set(report["findings"][0]) == {"severity", "code", "message", "file", "line", "path"}
    unreadable = run("check", str(HOSTILE / "not-a-zip.zip"))
    assert unreadable.returncode == 2 and "cannot be read" in unreadable.stdout
    missing = run("check", str(tmp_path / "tidak-ada.zip"))
    assert missing.returncode == 2


def test_cli_checks_several_packages_in_one_process(tmp_path):
    built = modpack.build(SAMPLES / "kewirausahaan-sosial", "scorm12", tmp_path)[0]
    broken, unreadable = HAND / "scorm12-broken-references", HOSTILE / "not-a-zip.zip"
    both_ok = run("check", str(built), str(built))
    assert both_ok.returncode == 0
    assert both_ok.stdout.count(f"{built}: ok (0 error(s), 0 warning(s))") == 2
    # each judged, in the order given; the exit code is the highest of theirs
    mixed = run("check", str(built), str(unreadable), str(broken))
    assert mixed.returncode == 3
    verdicts = [line for line in mixed.stdout.splitlines() if line.endswith(" warning(s))")]
    assert [v.split(": ")[0] for v in verdicts] == [str(built), str(unreadable), str(broken)]
    assert "ok (0" in verdicts[0] and "cannot be read" in verdicts[1] and "has errors" in verdicts[2]
    assert run("check", str(built), str(unreadable)).returncode == 2
    # JSON: a list of the reports one package would print, in the same order
    listed = run("check", str(built), str(broken), "--format", "json")
    reports = json.loads(listed.stdout)
    assert listed.returncode == 3 and [r["source"] for r in reports] == [str(built), str(broken)]
    assert reports[1] == json.loads(run("check", str(broken), "--format", "json").stdout)
    assert reports[0]["ok"] and not reports[1]["ok"]
    nothing = run("check")
    assert nothing.returncode == 2 and "Missing argument" in nothing.stderr


def test_cli_info(tmp_path):
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    module.completion.requires = ["post-test"]  # the pass mark alone decides: SCORM 1.2 carries a masteryscore
    built = modpack.build(module, "scorm12", tmp_path)[0]
    result = run("info", str(built))
    assert result.returncode == 0
    assert "SCORM 1.2" in result.stdout and "[sco] Layanan dan Rujukan Terpadu" in result.stdout
    assert "launch=index.html" in result.stdout and "mastery_score=70" in result.stdout
    said = subprocess.run([sys.executable, "-m", "modpack", "--lang", "id", "info", str(built)], capture_output=True,
                          text=True, timeout=60).stdout  # in Indonesian: it was English whatever --lang said
    assert "  judul: Layanan dan Rujukan Terpadu" in said and "  SCO: 1, aset: 1" in said, said
    assert "  organisasi ORG: " in said and "  versi: 1.2.0" in said, said


# -- conformance gaps (issue 14): each class with a package written by hand --------------------------

STANDALONE = Path(__file__).resolve().parent / "fixtures" / "standalone"


def test_a_course_structure_given_alone_is_a_package_whose_urls_must_be_absolute():
    absolute = check(STANDALONE / "cmi5-absolute.xml")
    assert (absolute.standard, absolute.exit_code, absolute.findings) == ("cmi5", 0, [])
    relative = check(STANDALONE / "cmi5-relative.xml")
    assert relative.exit_code == 1 and [(f.code, f.file, f.line) for f in relative.errors] == [
        ("au-url", "cmi5-relative.xml", 16)]
    assert "cmi5 §14.2" in relative.errors[0].message


def test_a_bare_manifest_or_tincan_file_is_judged(tmp_path):
    for fmt, name in (("scorm2004", "imsmanifest.xml"), ("xapi", "tincan.xml")):
        built = modpack.build(SAMPLES / "rujukan-terpadu", fmt, tmp_path / fmt)[0]
        with zipfile.ZipFile(built) as archive:
            (tmp_path / f"{fmt}-{name}").write_bytes(archive.read(name))
        report = check(tmp_path / f"{fmt}-{name}")
        assert report.exit_code == 0 and report.errors == []
        assert [f.code for f in report.findings] == ["descriptor-only"]
    (tmp_path / "lain.xml").write_text("<catatan>bukan paket</catatan>", encoding="utf-8")
    other = check(tmp_path / "lain.xml")
    assert other.exit_code == 2 and "not a course structure" in other.findings[0].message


def test_zip64_packages_are_read_as_32_bit_ones(tmp_path):
    plain, wide = tmp_path / "32.zip", tmp_path / "64.zip"
    for path, force in ((plain, False), (wide, True)):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted((HAND / "cmi5-course").rglob("*")):
                if file.is_file():
                    with archive.open(file.relative_to(HAND / "cmi5-course").as_posix(), "w", force_zip64=force) as out:
                        out.write(file.read_bytes())
    head = wide.read_bytes()[:30]
    assert head[18:26] == b"\xff" * 8  # sizes in the zip64 extra field (APPNOTE 4.5.3): a 64-bit zip
    assert [(f.code, f.file) for f in check(wide).findings] == [(f.code, f.file) for f in check(plain).findings]
    assert check(wide).exit_code == 0


def test_a_dangling_default_organization_says_lms_fall_back():
    text = (HAND / "scorm2004-4th-sequencing" / "imsmanifest.xml").read_text(encoding="utf-8")
    folder = HAND.parent / "tmp-dangling"
    try:
        shutil.copytree(HAND / "scorm2004-4th-sequencing", folder)
        (folder / "imsmanifest.xml").write_text(text.replace('default="ORG"', 'default="ORG-LAMA"'), encoding="utf-8")
        finding = next(f for f in check(folder).findings if "ORG-LAMA" in f.message)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert finding.severity == Severity.ERROR and "fall back to the first organization" in finding.message


def _variant(tmp_path, fixture: str, descriptor: str, old: str, new: str) -> Path:
    """A copy of a hand-written package folder with one change to its descriptor."""
    folder = tmp_path / fixture
    shutil.copytree(HAND / fixture, folder)
    text = (folder / descriptor).read_text(encoding="utf-8")
    assert old in text
    (folder / descriptor).write_text(text.replace(old, new), encoding="utf-8")
    return folder


@pytest.mark.parametrize("fixture, descriptor, old, launch, code, severity", [
    ("scorm12-articulate-style", "imsmanifest.xml", 'href="story.html">', "../story.html", "outside-package", "error"),
    ("scorm12-articulate-style", "imsmanifest.xml", 'href="story.html">', "story_content/../../story.html",
     "outside-package", "error"),
    ("scorm12-articulate-style", "imsmanifest.xml", 'href="story.html">', "C:\\Users\\guru\\kursus\\story.html",
     "launch-local", "error"),
    ("scorm12-articulate-style", "imsmanifest.xml", 'href="story.html">', "file:///C:/kursus/story.html",
     "launch-local", "error"),
    ("scorm12-articulate-style", "imsmanifest.xml", 'href="story.html">', "http://localhost:8080/story.html",
     "launch-local", "warning"),
    ("scorm12-articulate-style", "imsmanifest.xml", 'href="story.html">', "//cdn.example.com/story.html",
     "sco-elsewhere", "warning"),
    ("cmi5-course", "cmi5.xml", "<url>au/kesiapsiagaan.html</url>", "../au/kesiapsiagaan.html", "outside-package",
     "error"),
    ("tincan-golf-style", "tincan.xml", ">index.html</launch>", "C:\\kursus\\index.html", "launch-local", "error"),
])
def test_a_launch_no_learner_can_open_is_told_so(tmp_path, fixture, descriptor, old, launch, code, severity):
    """From a review against real packages: a launch out of the package ('../'), on the author's
    computer (C:\\, file:) or network (localhost) was judged fine; a protocol-relative URL was
    reported as a missing file."""
    replaced = {"imsmanifest.xml": f'href="{launch}">', "cmi5.xml": f"<url>{launch}</url>",
                "tincan.xml": f">{launch}</launch>"}[descriptor]
    report = check(_variant(tmp_path, fixture, descriptor, old, replaced))
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1 and found[0].severity.value == severity and found[0].line, \
        "\n".join(map(str, report.findings))
    assert launch.replace("\\\\", "\\") in found[0].message
    assert not [f for f in report.findings if f.code == "missing-launch"]


def test_a_launched_resource_without_its_scorm_type_tracks_nothing(tmp_path):
    """A resource without adlcp:scormtype (or with it in the other edition's namespace) is launched
    as an asset: nothing is tracked, and check said nothing."""
    report = check(_variant(tmp_path / "a", "scorm12-articulate-style", "imsmanifest.xml", 'adlcp:scormtype="sco" ', ""))
    assert {f.code for f in report.warnings} == {"no-scormtype", "no-sco"} and report.exit_code == 0
    other = _variant(tmp_path / "b", "scorm12-articulate-style", "imsmanifest.xml", 'adlcp:scormtype="sco" ',
                     'xmlns:v3="http://www.adlnet.org/xsd/adlcp_v1p3" v3:scormType="sco" ')
    found = next(f for f in check(other).warnings if f.code == "no-scormtype")
    assert "adlcp_v1p3" in found.message and "PengantarPKH_RES" in found.message


def test_files_no_resource_lists_are_one_finding_and_metadata_files_count_as_listed(tmp_path):
    """An Adapt package lists its launch page only: 700 files gave 500 warnings and a note,
    burying what mattered; a metadata file named by adlcp:location was called unlisted."""
    folder = _variant(tmp_path, "scorm12-articulate-style", "imsmanifest.xml", "<schemaversion>1.2</schemaversion>",
                      "<schemaversion>1.2</schemaversion>\n    <adlcp:location>metadata.xml</adlcp:location>")
    (folder / "metadata.xml").write_text("<lom/>", encoding="utf-8")
    for n in range(700):
        (folder / "course" / "assets").mkdir(parents=True, exist_ok=True)
        (folder / "course" / "assets" / f"a{n:03d}.png").write_bytes(b"png")
    report = check(folder)
    unlisted = [f for f in report.findings if f.code == "unreferenced"]
    assert len(unlisted) == 1 and unlisted[0].message.startswith("700 file(s)") and "metadata.xml" not in unlisted[0].message
    assert report.exit_code == 0 and not report.warnings
    (folder / "metadata.xml").unlink()
    assert [f.code for f in check(folder).warnings] == ["missing-metadata"]


def test_a_zip_whose_names_use_backslashes_is_matched_as_moodle_reads_it(tmp_path):
    """A Windows tool wrote 'story_content\\data.js': check said the file was missing and the
    name unlisted, where Moodle reads it as a folder and plays the package."""
    target = tmp_path / "paket.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted((HAND / "scorm12-articulate-style").rglob("*")):
            if file.is_file():
                archive.writestr(file.relative_to(HAND / "scorm12-articulate-style").as_posix().replace("/", "\\"),
                                 file.read_bytes())
    report = check(target)
    assert report.errors == [] and [f.code for f in report.warnings] == ["name-backslash"]  # one, for them all
    assert report.warnings[0].message.startswith("2 name(s)") and "'story_content\\style.css'" in report.warnings[0].message


def test_an_id_the_schema_refuses_says_what_an_id_may_hold(tmp_path):
    """Storyline builds ids from the course title ('5-Why_Problem_Solving_ORG'): the raw libxml2
    words did not say what to change, nor that Moodle imports it all the same."""
    folder = _variant(tmp_path, "scorm12-articulate-style", "imsmanifest.xml", "PengantarPKH_ORG", "5-Why_(PKH)_ORG")
    found = [f for f in check(folder).errors if f.code == "schema"]
    assert found and all("starts with a letter or '_'" in f.message and "Moodle imports" in f.message for f in found)


@pytest.mark.parametrize("decoded, looks", [("test:test", "placeholder"), ("username:password", "placeholder"),
                                            ("pkh-sulsel:Xk82!mQz9p", "real user name")])
def test_an_embedded_basic_string_says_whether_it_looks_like_a_placeholder(tmp_path, decoded, looks):
    import base64

    folder = tmp_path / "paket"
    shutil.copytree(HAND / "tincan-golf-style", folder)
    token = base64.b64encode(decoded.encode()).decode()
    (folder / "konfigurasi.js").write_text(f'var lrs = {{auth: "Basic {token}"}};\n', encoding="utf-8")
    finding = next(f for f in check(folder).findings if f.code == "credential")
    assert finding.severity == Severity.ERROR and looks in finding.message
    assert token not in finding.message and "Xk82!mQz9p" not in finding.message  # said, never shown


def test_docs_list_every_rule_check_can_report():
    import re

    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "modpack" / "checker").glob("*.py"))
    codes_in_code = set(re.findall(r"""report\.(?:error|warning|info)\(\s*["']([a-z0-9-]+)["']""", source))
    codes_in_code |= set(re.findall(r"""self\.(?:error|warning|info)\(\s*["']([a-z0-9-]+)["']""", source))
    table = (ROOT / "docs" / "check.md").read_text(encoding="utf-8").split("## Every rule", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([a-z0-9-]+)`", table))
    assert len(codes_in_code) > 40 and codes_in_code - listed == set()


def test_a_package_that_cannot_be_read_is_said_in_indonesian(tmp_path, monkeypatch):
    """Findings were Indonesian but why a package could not be read stayed English inside them."""
    monkeypatch.setenv("MODPACK_LANG", "id")
    (tmp_path / "lain.xml").write_text("<catatan>bukan paket</catatan>", encoding="utf-8")
    report = check(tmp_path / "lain.xml")
    assert report.exit_code == 2 and "berkas XML yang bukan struktur kursus" in report.findings[0].message
