"""The bandwidth budget (issue 19): what a learner downloads to see each page, its time on 3G and
2G-like links, in validate, build and info, and a warning naming the page, its line and its
heaviest file when it goes over the module's budget."""

from __future__ import annotations

import json
from pathlib import Path
import zipfile

import pytest

import modpack
from modpack import checker
from modpack.weight import LINKS, weigh

from .conftest import MINIMAL, SAMPLES
from .test_cli import run

HEAVY = MINIMAL.replace("workload:", "budget: {page_kb: 100, package_mb: 0.5}\nworkload:") + """\
      - id: halaman-dua
        title: Halaman dua
        file: halaman/dua.md
        video: {file: video/materi.mp4, title: Video materi, poster: gambar/sampul.png}
"""
PAGE_TWO = "Lihat gambar.\n\n![Peta desa](../gambar/peta.png)\n\n[Unduh formulir](../unduhan/formulir.pdf)\n"


def heavy_module(write_module):
    return write_module(HEAVY, files={
        "halaman/dua.md": PAGE_TWO,
        "gambar/peta.png": b"\x89PNG" + bytes(150_000),
        "gambar/sampul.png": b"\x89PNG" + bytes(20_000),
        "video/materi.mp4": bytes(400_000),
        "unduhan/formulir.pdf": b"%PDF-1.4\n" + bytes(300_000),
    })


def test_each_page_is_weighed_with_what_it_loads_and_not_what_it_links(write_module):
    folder = heavy_module(write_module)
    weights = modpack.package.builder.download(modpack.load(folder))
    one, two = weights.pages
    assert set(one.files) == {"content/pages/halaman-satu.js"}
    # the picture in its text, the video and its poster; not the PDF behind a link (fetched when tapped)
    assert {name.rsplit("/", 1)[-1] for name in two.files} == {"halaman-dua.js", "peta.png", "materi.mp4", "sampul.png"}
    assert two.size == sum(two.files.values()) and two.size > 570_000
    assert weights.total > two.size + 300_000  # the package holds the PDF
    assert "player/player.js" in weights.start and "content/module.js" in weights.start
    figures = two.to_dict()["seconds"]
    assert figures["3G"] == round(two.size * 8 / 1_600_000, 1) and figures["2G"] == round(two.size * 8 / 250_000, 1)


def test_validate_warns_over_budget_naming_the_page_line_and_heaviest_file(write_module):
    folder = heavy_module(write_module)
    result = run("validate", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "over the budget" in line]
    page = next(line for line in lines if "halaman-dua" in line)
    assert "module.yaml:" in page and "lessons[0].pages[1]" in page and "materi.mp4" in page
    assert any("the package weighs" in line and "0.5 MB" in line for line in lines)
    assert not any("halaman-satu" in line for line in lines)
    assert "halaman-satu" in result.stdout and "3G" in result.stdout  # the table of every page
    assert run("validate", str(folder), "--strict").returncode == 1  # findings (docs/cli.md)
    data = json.loads(run("validate", str(folder), "--format", "json").stdout)
    pages = data["download"]["modul-uji"]["pages"]
    assert [p["id"] for p in pages] == ["halaman-satu", "halaman-dua"]
    assert {d["code"] for d in data["diagnostics"]} == {"over-budget"}


def test_within_the_default_budget_no_warning():
    for sample in ("rujukan-terpadu", "kewirausahaan-sosial"):
        result = run("validate", str(SAMPLES / sample), "--strict")
        assert result.returncode == 0 and "over the budget" not in result.stdout + result.stderr


def test_build_summarises_the_download_and_info_shows_every_page(write_module, tmp_path):
    folder = heavy_module(write_module)
    result = run("build", str(folder), "--out", str(tmp_path / "dist"))
    assert result.returncode == 0
    assert "download (transfer time alone" in result.stderr and "halaman-dua" in result.stderr
    assert "warning: page 'halaman-dua'" in result.stderr
    zip_path = next((tmp_path / "dist").glob("*.zip"))
    shown = run("info", str(zip_path))
    assert "halaman-satu" in shown.stdout and "halaman-dua" in shown.stdout and "over the budget of 100 KB" in shown.stdout
    data = json.loads(run("info", str(zip_path), "--format", "json").stdout)
    assert data["download"]["budget"] == {"page_kb": 100, "package_mb": 0.5}


def test_info_weighs_a_package_modpack_did_not_make(tmp_path):
    package = tmp_path / "vendor.zip"
    manifest = """<?xml version="1.0"?>
<manifest identifier="m" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
 <organizations default="o"><organization identifier="o"><title>T</title>
  <item identifier="i" identifierref="r"><title>Satu</title></item></organization></organizations>
 <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="sco/index.html">
  <file href="sco/index.html"/><file href="sco/gaya.css"/><file href="sco/foto.jpg"/><file href="sco/lain.jpg"/>
 </resource></resources></manifest>"""
    html = ('<html><head><link rel="stylesheet" href="gaya.css"><script src="https://cdn.example/x.js"></script>'
            '</head><body><img src="foto.jpg"><a href="lain.jpg">lain</a></body></html>')
    with zipfile.ZipFile(package, "w") as z:
        z.writestr("imsmanifest.xml", manifest)
        z.writestr("sco/index.html", html)
        z.writestr("sco/gaya.css", "body{}" * 100)
        z.writestr("sco/foto.jpg", bytes(50_000))
        z.writestr("sco/lain.jpg", bytes(70_000))
    weights = checker.weights(package)
    assert weights is not None and [p.id for p in weights.pages] == ["sco/index.html"]
    assert set(weights.pages[0].files) == {"sco/index.html", "sco/gaya.css", "sco/foto.jpg"}
    assert weights.total == sum(len(z) for z in (manifest.encode(), html.encode())) + 600 + 120_000


def test_weighing_reads_no_media_and_bounds_what_it_reads():
    asked: list[tuple[str, int]] = []

    def read(name: str, limit: int) -> bytes | None:
        asked.append((name, limit))
        return None

    sizes = {"content/module.js": 10, "assets/video.mp4": 10**9, "index.html": 100}
    assert weigh(sizes, read).pages == []
    assert [name for name, _ in asked] == ["content/module.js"] and all(limit <= 4 << 20 for _, limit in asked)
    assert set(LINKS) == {"3G", "2G"}


def test_max_size_refuses_every_package_still_over_it_once_split_and_writes_nothing(tmp_path):
    out = tmp_path / "dist"
    result = run("build", str(SAMPLES / "course.yaml"), "--format", "scorm12,cmi5", "--max-size", "0.05", "--out", str(out))
    assert result.returncode == 2
    refused = [line for line in result.stderr.splitlines() if "over --max-size 0.05 MB" in line]
    # split per lesson, one lesson of each module is still over, in each format: each named
    still_over = ("rujukan-terpadu-mengenal-slrt-1.2.0", "kewirausahaan-sosial-rencana-usaha-2.0.1")
    assert sorted(line.split(" is ")[0].split()[-1] for line in refused) == \
        sorted(f"{name}-{format}.zip" for format in ("scorm12", "cmi5") for name in still_over)
    assert all("heaviest: " in line and ".zip is " in line for line in refused)
    assert not out.exists() or not list(out.glob("*.zip"))
    assert run("build", str(SAMPLES / "course.yaml"), "--max-size", "5", "--out", str(out)).returncode == 0
    assert len(list(out.glob("*.zip"))) == 2


@pytest.mark.parametrize("lms, standard, sco_files", [("moodle", "scorm12", 1), ("ilias", "scorm2004", 5),
                                                       ("openedx", "scorm12", 1)])
def test_an_lms_preset_picks_the_format_and_structure(tmp_path, lms, standard, sco_files):
    out = tmp_path / lms
    result = run("build", str(SAMPLES / "rujukan-terpadu"), "--lms", lms, "--out", str(out))
    assert result.returncode == 0, result.stderr
    [package] = out.glob("*.zip")
    assert package.name.endswith(f"-{standard}.zip")
    with zipfile.ZipFile(package) as z:
        launches = [n for n in z.namelist() if "/" not in n and n.endswith(".html")]
        manifest = z.read("imsmanifest.xml").decode()
    assert len(launches) == sco_files
    assert ("imsss:mapInfo" in manifest) == (lms == "ilias")  # ILIAS gates the post-test by a global objective
    assert checker.check(package).exit_code == 0
    # --format wins over the preset's
    assert run("build", str(SAMPLES / "rujukan-terpadu"), "--lms", "ilias", "--format", "cmi5",
               "--out", str(tmp_path / "x")).returncode == 0
    assert [p.name.endswith("-cmi5.zip") for p in (tmp_path / "x").glob("*.zip")] == [True]
    # the library as the command line: the preset's format unless format= says
    [built] = modpack.build(SAMPLES / "rujukan-terpadu", out=tmp_path / "api", lms=lms)
    assert built.name == package.name and zipfile.ZipFile(built).read("imsmanifest.xml").decode() == manifest
    [built] = modpack.build(SAMPLES / "rujukan-terpadu", "cmi5", out=tmp_path / "api-cmi5", lms=lms)
    assert built.name.endswith("-cmi5.zip")


def wav(seconds: float, rate: int, width: int) -> bytes:
    import io
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(bytes(int(seconds * rate) * 2 * width))
    return out.getvalue()


def test_audio_or_video_over_3g_is_named_with_its_bit_rate(write_module):
    page = "      - id: halaman-dua\n        title: Halaman dua\n        text: Dengarkan.\n        audio: {file: media/%s}\n"
    folder = write_module(MINIMAL + page % "salam.wav" + page.replace("dua", "tiga") % "ringan.wav", files={
        "media/salam.wav": wav(3, 48000, 3),  # 2.3 Mbit/s: studio quality, too much for 3G
        "media/ringan.wav": wav(3, 22050, 1),  # 0.35 Mbit/s
    })
    result = run("validate", str(folder))
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if "Mbit/s for" in line]
    assert len(lines) == 1, lines
    assert "media/salam.wav" in lines[0] and "2.3 Mbit/s" in lines[0] and "0:03" in lines[0]
    assert "lessons[0].pages[1]" in lines[0] and "module.yaml:" in lines[0]


def box(kind: bytes, body: bytes = b"", large: bool = False) -> bytes:
    """An ISO media box: 32-bit size and type, or size 1 and a 64-bit size after the type."""
    if large:
        return (1).to_bytes(4, "big") + kind + (16 + len(body)).to_bytes(8, "big") + body
    return (8 + len(body)).to_bytes(4, "big") + kind + body


FIXTURE_VIDEO = Path(__file__).parent / "fixtures" / "media" / "pola-uji.mp4"


def test_an_mp4_with_its_index_after_its_data_is_named_with_the_fix(write_module):
    page = "      - id: halaman-%s\n        title: Video\n        text: Tonton.\n        video: {file: video/%s.mp4}\n"
    moov_last = box(b"ftyp", b"isom" + bytes(4)) + box(b"mdat", bytes(5000), large=True) + box(b"moov", bytes(100))
    folder = write_module(MINIMAL + page % ("dua", "akhir") + page % ("tiga", "awal"), files={
        "video/akhir.mp4": moov_last, "video/awal.mp4": FIXTURE_VIDEO.read_bytes()})
    result = run("validate", str(folder))
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if "index after its data" in line]
    assert len(lines) == 1, lines  # the real, web-ready fixture is not named
    assert "video/akhir.mp4" in lines[0] and "-movflags +faststart" in lines[0] and "lessons[0].pages[1]" in lines[0]


@pytest.mark.parametrize("data, after", [
    (box(b"ftyp") + box(b"moov") + box(b"mdat", bytes(64)), False),
    (box(b"ftyp") + box(b"mdat", bytes(64)) + box(b"moov"), True),
    (box(b"ftyp") + box(b"free", large=True) + box(b"mdat", large=True) + box(b"moov"), True),
    (box(b"ftyp") + (0).to_bytes(4, "big") + b"mdat" + bytes(64), False),  # data to the end, no index: not ours to say
    (box(b"ftyp") + (3).to_bytes(4, "big") + b"mdat", False),  # a size smaller than a header: not MP4
    (box(b"ftyp") + (1).to_bytes(4, "big") + b"mdat" + b"\x00\x00", False),  # cut in its 64-bit size
    (box(b"ftyp")[:6], False),
    (b"".join(box(b"free") for _ in range(10_000)) + box(b"mdat") + box(b"moov"), False),  # read 64 boxes, no more
])
def test_the_index_is_found_from_box_headers_alone_and_hostile_files_end_it(tmp_path, data, after):
    from modpack.definition.files import Folder
    from modpack.package import media

    (tmp_path / "v.mp4").write_bytes(data)
    (tmp_path / "v.webm").write_bytes(data)
    folder = Folder(tmp_path.resolve(), frozenset())
    assert media.index_after_data(folder.approve("v.mp4")) is after
    assert media.index_after_data(folder.approve("v.webm")) is False  # not an MP4 by name: not read


def test_the_samples_media_fits_3g():
    from modpack.definition.files import Folder
    from modpack.package import media

    folder = Folder((SAMPLES / "rujukan-terpadu").resolve(), frozenset())
    stream = media.stream_of(folder.approve("media/salam-pembuka.mp3"))
    assert stream is not None and 10 < stream.seconds < 13 and stream.bit_rate < 1_600_000
