"""SCORM packages: valid against the official schemas, reproducible, and clean zips."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import modpack
from modpack import xsd
from modpack.package.archive import write_zip
from modpack.definition.files import approve
from modpack.package.builder import SCHEMA_SET, BuildError, plan

from .conftest import MINIMAL, ROOT, SAMPLE_MODULES, SAMPLES

SCORM = ("scorm12", "scorm2004")
CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
LOM = "http://ltsc.ieee.org/xsd/LOM"


def manifest_of(zip_path: Path) -> etree._Element:
    with zipfile.ZipFile(zip_path) as archive:
        return etree.fromstring(archive.read("imsmanifest.xml"))


@pytest.mark.parametrize("fmt", SCORM)
@pytest.mark.parametrize("folder", SAMPLE_MODULES, ids=lambda p: p.name)
def test_samples_build_and_validate_against_the_official_schemas(folder, fmt, tmp_path):
    path = modpack.build_package(modpack.load(folder), fmt, tmp_path, validate=True)
    assert path.name == f"{folder.name}-{modpack.load(folder).version}-{fmt}.zip"
    with zipfile.ZipFile(path) as archive:
        assert xsd.validate(archive.read("imsmanifest.xml"), SCHEMA_SET[fmt]) == []
        assert archive.testzip() is None


@pytest.mark.parametrize("fmt", SCORM)
@pytest.mark.parametrize("structure", ["single-sco", "sco-per-lesson"])
def test_both_structures_validate(fmt, structure):
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    module.delivery.scorm12.structure = structure
    module.delivery.scorm2004.structure = structure
    module.delivery.scorm2004.navigation = "forward-only"
    package = plan(module, fmt)
    assert xsd.validate(package.files["imsmanifest.xml"], SCHEMA_SET[fmt]) == []


# The validator is strict: each of these manifests must fail.
BROKEN_12 = [
    ("<organizations", "<organisations"),
    ("<adlcp:masteryscore>70</adlcp:masteryscore>", "<adlcp:masteryScore>70</adlcp:masteryScore>"),
    ("<imsmd:technical>", "<imsmd:teknis>"),
    ('adlcp:scormtype="sco"', 'adlcp:scormtype="lesson"'),
]
BROKEN_2004 = [
    ("<imsss:minNormalizedMeasure>0.7000", "<imsss:minNormalizedMeasure>1.5000"),
    ("<imsss:deliveryControls", "<imsss:deliveryControl"),
    ("<metaMetadata>", "<metaData>"),
    ('isvisible="true"', 'isvisible="ya"'),
]


@pytest.mark.parametrize("fmt, old, new", [("scorm12", *b) for b in BROKEN_12] + [("scorm2004", *b) for b in BROKEN_2004])
def test_the_validator_rejects_broken_manifests(fmt, old, new):
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    module.completion.requires = ["post-test"]  # the pass mark alone decides: SCORM 1.2 carries a masteryscore
    text = plan(module, fmt).files["imsmanifest.xml"].decode()
    assert old in text
    broken = text.replace(old, new, 1).replace(old.replace("<", "</", 1), new.replace("<", "</", 1), 1)
    assert xsd.validate(broken.encode(), SCHEMA_SET[fmt]) != []


def test_validator_never_reads_the_network(tmp_path):
    """A server on this machine counts every request: an external entity, an external DTD and a
    schema location pointing at it are never fetched, by the validator nor by check."""
    import http.server
    import threading

    hits: list[str] = []

    class Counter(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY y "fetched">')

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        docs = [
            f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "{url}/entity">]><manifest>&x;</manifest>',
            f'<?xml version="1.0"?><!DOCTYPE manifest SYSTEM "{url}/dtd"><manifest/>',
            '<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 {url}/schema.xsd"/>',
        ]
        for doc in docs:
            assert xsd.validate(doc.encode(), "scorm12")  # refused or invalid
            folder = tmp_path / f"paket-{len(hits)}-{docs.index(doc)}"
            folder.mkdir()
            (folder / "imsmanifest.xml").write_text(doc, encoding="utf-8")
            from modpack.checker import check

            assert check(folder).errors
        assert hits == []  # and the server saw nothing
        # the counter does count: a plain fetch is seen
        import urllib.request

        urllib.request.urlopen(f"{url}/probe", timeout=30).read()
        assert hits == ["/probe"]
    finally:
        server.shutdown()


def test_shipped_schemas_are_the_official_files():
    """Each shipped file hashes to the value PROVENANCE.md recorded for it."""
    table = (ROOT / "src" / "modpack" / "xsd" / "PROVENANCE.md").read_text(encoding="utf-8")
    rows = re.findall(r"\| `xsd/([^`]+)` \|[^|]+\|[^|]+\| `([0-9a-f]{12})` \|", table)
    assert len(rows) >= 70
    for rel, digest in rows:
        data = (ROOT / "src" / "modpack" / "xsd" / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest().startswith(digest), rel


@pytest.mark.parametrize("fmt", SCORM)
def test_builds_are_byte_identical(fmt, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = modpack.build(SAMPLES / "course.yaml", fmt, tmp_path / "a")
    second = modpack.build(SAMPLES / "course.yaml", fmt, tmp_path / "b")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    third = modpack.build(SAMPLES / "rujukan-terpadu", fmt, tmp_path / "c")[0]
    with zipfile.ZipFile(third) as archive:
        assert archive.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


@pytest.mark.parametrize("fmt", SCORM)
def test_zip_hygiene(fmt, tmp_path):
    path = modpack.build(SAMPLES / "rujukan-terpadu", fmt, tmp_path)[0]
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "imsmanifest.xml"
        names = [i.filename for i in infos]
        assert len(names) == len(set(names))
        for info in infos:
            name = info.filename
            assert name.isascii() and " " not in name, name
            assert not any(part.startswith(".") or part == "__MACOSX" for part in name.split("/")), name
            stored = name.rsplit(".", 1)[-1] in {"jpg", "png", "gif", "webp", "mp3", "mp4", "webm", "pdf", "woff2", "zip"}
            assert info.compress_type == (zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED), name
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    ids = [e.get("identifier") for e in manifest.iter() if e.get("identifier")]
    assert len(ids) == len(set(ids))
    for ident in ids:
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", ident), ident
    hrefs = {e.get("href") for e in manifest.iter() if e.get("href")}
    assert hrefs <= set(names)
    unlisted = {n for n in names if n not in hrefs and not n.endswith((".xsd", ".dtd")) and n != "imsmanifest.xml"}
    assert unlisted == set()
    assert all(e.get("isvisible") == "true" for e in manifest.iter(f"{{{CP12}}}item", f"{{{CP2004}}}item"))


def test_scorm12_manifest_reads_the_model(tmp_path):
    module = modpack.load(SAMPLES / "kewirausahaan-sosial")
    module.delivery.scorm12.structure = "single-sco"
    manifest = etree.fromstring(plan(module, "scorm12").files["imsmanifest.xml"])
    assert manifest.get("identifier") == "MANIFEST-kewirausahaan-sosial"
    assert manifest.get("version") == "2.0.1"
    assert manifest.findtext(f"{{{CP12}}}metadata/{{{CP12}}}schemaversion") == "1.2"
    assert "PT2H15M" in etree.tostring(manifest).decode()  # 3 JP x 45 minutes
    # pages count towards passing here: a mastery score would let an LMS pass the learner on the
    # score alone (Moodle does, at LMSFinish), pages unread; the SCO's own passed/failed stands
    assert module.completion.requires == ["pages", "post-test"]
    assert manifest.find(f".//{{{ADLCP12}}}masteryscore") is None
    module.completion.requires = ["post-test"]
    manifest = etree.fromstring(plan(module, "scorm12").files["imsmanifest.xml"])
    assert manifest.findtext(f".//{{{ADLCP12}}}masteryscore") == "75"


def test_scorm12_per_lesson_gates_the_post_test():
    manifest = etree.fromstring(plan(modpack.load(SAMPLES / "kewirausahaan-sosial"), "scorm12").files["imsmanifest.xml"])
    items = manifest.findall(f".//{{{CP12}}}item")
    assert [i.get("identifier") for i in items] == [
        "ITEM-test-pra-tes", "ITEM-lesson-menemukan-peluang-usaha", "ITEM-lesson-rencana-usaha",
        "ITEM-lesson-pemasaran-dan-pembukuan", "ITEM-test-pasca-tes",
    ]
    assert items[-1].findtext(f"{{{ADLCP12}}}prerequisites") == (
        "ITEM-lesson-menemukan-peluang-usaha & ITEM-lesson-rencana-usaha & ITEM-lesson-pemasaran-dan-pembukuan"
    )
    assert items[-1].findtext(f"{{{ADLCP12}}}masteryscore") == "75"


def test_scorm2004_sequencing_and_metadata():
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    manifest = etree.fromstring(plan(module, "scorm2004").files["imsmanifest.xml"])
    assert manifest.findtext(f"{{{CP2004}}}metadata/{{{CP2004}}}schemaversion") == "2004 4th Edition"
    assert manifest.findtext(f".//{{{LOM}}}typicalLearningTime/{{{LOM}}}duration") == "PT3H"
    titles = [s.get("language") for s in manifest.findall(f".//{{{LOM}}}general/{{{LOM}}}title/{{{LOM}}}string")]
    assert titles == ["id-ID", "en-US"]
    post = manifest.find(f".//{{{CP2004}}}item[@identifier='ITEM-test-pasca-tes']")
    primary = post.find(f".//{{{IMSSS}}}primaryObjective")
    assert primary.get("satisfiedByMeasure") == "true"
    assert primary.findtext(f"{{{IMSSS}}}minNormalizedMeasure") == "0.7000"
    # by default no rule between SCOs: no global objective, nothing read from another activity
    assert manifest.find(f".//{{{IMSSS}}}mapInfo") is None
    assert manifest.find(f".//{{{IMSSS}}}preConditionRule") is None
    assert post.findall(f".//{{{IMSSS}}}objective") == []
    # the stricter structure, for LMSs that implement SCORM 2004 sequencing
    module.delivery.scorm2004.gate = "global-objective"
    manifest = etree.fromstring(plan(module, "scorm2004").files["imsmanifest.xml"])
    assert xsd.validate(etree.tostring(manifest), "scorm2004_4th") == []
    post = manifest.find(f".//{{{CP2004}}}item[@identifier='ITEM-test-pasca-tes']")
    assert post.find(f".//{{{IMSSS}}}preConditionRule/{{{IMSSS}}}ruleAction").get("action") == "disabled"
    cluster = manifest.find(f".//{{{CP2004}}}item[@identifier='ITEM-lessons-rujukan-terpadu']")
    writes = cluster.find(f"{{{IMSSS}}}sequencing/{{{IMSSS}}}objectives//{{{IMSSS}}}mapInfo")
    reads = post.find(f".//{{{IMSSS}}}objective/{{{IMSSS}}}mapInfo")
    assert writes.get("targetObjectiveID") == reads.get("targetObjectiveID")
    assert writes.get("writeSatisfiedStatus") == "true" and reads.get("readSatisfiedStatus") == "true"
    module.delivery.scorm2004.navigation = "forward-only"
    manifest = etree.fromstring(plan(module, "scorm2004").files["imsmanifest.xml"])
    modes = manifest.findall(f".//{{{IMSSS}}}controlMode")
    assert modes and all(m.get("forwardOnly") == "true" and m.get("choice") == "false" for m in modes)


def test_completion_threshold_when_pages_alone_complete(write_module):
    module = modpack.load(write_module(MINIMAL + "completion:\n  requires: [pages]\n  pages_percent: 80\n"))
    manifest = plan(module, "scorm2004").files["imsmanifest.xml"].decode()
    assert 'completedByMeasure="true" minProgressMeasure="0.80"' in manifest
    assert xsd.validate(manifest.encode(), "scorm2004_4th") == []


HOSTILE_TITLE = 'Rujukan & Layanan <Terpadu> "Desa" — Kabupaten Banyuwangi'


def test_special_title_and_asset_names_with_spaces(write_module, tmp_path):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>'
    text = MINIMAL.replace("title: Modul uji", f"title: '{HOSTILE_TITLE}'")
    text += "        attachments:\n          - file: unduhan/Formulir Rujukan (final).pdf\n            title: Formulir & daftar\n"
    folder = write_module(text, files={
        "halaman/satu.md": "![Peta desa](../gambar/Peta%20Desa%20Sukamaju.svg)\n\n![Ikon](<../gambar/ikon é.svg>)\n\n"
                           "[Unduh formulir](<../unduhan/Formulir Rujukan (final).pdf>)\n",
        "gambar/Peta Desa Sukamaju.svg": svg,
        "gambar/ikon é.svg": svg,
        "unduhan/Formulir Rujukan (final).pdf": b"%PDF-1.4\n%%EOF\n",
    })
    for fmt in SCORM:
        path = modpack.build_package(modpack.load(folder), fmt, tmp_path / fmt, validate=True)
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            manifest = etree.fromstring(archive.read("imsmanifest.xml"))
            page = archive.read("content/pages/halaman-satu.js").decode()
            module_js = archive.read("content/module.js").decode()
        title = manifest.find(".//{*}organization/{*}title").text
        assert title == HOSTILE_TITLE
        links = re.findall(r'(?:src|href)=\\"([^"\\]+)\\"', page)
        assert len(links) == 3
        for link in links:
            assert link in names and " " not in link and link.isascii(), link
        assert "assets/gambar/peta-desa-sukamaju.svg" in links and "assets/gambar/ikon-e.svg" in links
        assert '"file":"assets/unduhan/formulir-rujukan-final.pdf"' in module_js
        assert all(n.isascii() and " " not in n for n in names)


def test_course_builds_one_package_per_module(tmp_path):
    written = modpack.build(SAMPLES / "course.yaml", "scorm12", tmp_path)
    assert [p.name for p in written] == ["rujukan-terpadu-1.2.0-scorm12.zip", "kewirausahaan-sosial-2.0.1-scorm12.zip"]


def test_never_writes_into_the_source_folder(sample_copy):
    folder = sample_copy("rujukan-terpadu")
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    with pytest.raises(BuildError, match="inside the module folder"):
        modpack.build(folder, out=folder / "dist")
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_a_course_never_writes_into_the_source_folder_of_any_of_its_modules(tmp_path):
    """Each module was checked as it was staged: another module, staged first, made the output
    folder inside the second one's source before the second was refused."""
    import shutil

    for item in ("course.yaml", "rujukan-terpadu", "kewirausahaan-sosial"):
        copy = shutil.copytree if (SAMPLES / item).is_dir() else shutil.copy
        copy(SAMPLES / item, tmp_path / item)
    for module in ("rujukan-terpadu", "kewirausahaan-sosial"):  # first or last in the course's list
        folder = tmp_path / module
        before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
        with pytest.raises(BuildError, match="inside the module folder"):
            modpack.build(tmp_path / "course.yaml", out=folder / "a" / "b")
        assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before
    # a module listed that is not there is said as such, not as an output inside the course's folder
    course = tmp_path / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace("kewirausahaan-sosial", "kewirausahaan-sosial.v2"),
                      encoding="utf-8")
    with pytest.raises(modpack.InvalidDefinition) as caught:
        modpack.build(course, out=tmp_path / "dist")
    assert "kewirausahaan-sosial.v2" in str(caught.value.diagnostics)


def test_a_failed_write_keeps_the_good_zip_and_leaves_no_partial_file(tmp_path):
    good = modpack.build(SAMPLES / "rujukan-terpadu", out=tmp_path)[0]
    good_bytes = good.read_bytes()
    package = plan(modpack.load(SAMPLES / "rujukan-terpadu"), "scorm12")
    (tmp_path / "hilang.mp4").write_bytes(b"video")
    package.files["assets/hilang.mp4"] = approve(tmp_path, "hilang.mp4")
    (tmp_path / "hilang.mp4").unlink()  # a file that vanished mid-build
    with pytest.raises(FileNotFoundError):
        write_zip(good, package.files, first="imsmanifest.xml")
    assert good.read_bytes() == good_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == [good.name]


def test_invalid_definition_is_not_built(tmp_path):
    with pytest.raises(modpack.InvalidDefinition):
        modpack.build(ROOT / "tests/fixtures/five-mistakes", out=tmp_path)
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []


CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
TINCAN = "http://projecttincan.com/tincan.xsd"


def built_descriptor(module, fmt: str, out: Path) -> tuple[bytes, set[str]]:
    """The descriptor of the package built for ``module``, and every name in that zip."""
    package = plan(module, fmt)
    path = modpack.build_package(module, fmt, out, validate=True)
    with zipfile.ZipFile(path) as archive:
        return archive.read(package.descriptor), set(archive.namelist())


@pytest.mark.parametrize("structure", ["single-au", "au-per-lesson"])
@pytest.mark.parametrize("folder", SAMPLE_MODULES, ids=lambda p: p.name)
def test_cmi5_course_structure(folder, structure, tmp_path):
    module = modpack.load(folder)
    module.delivery.cmi5.structure = structure
    data, names = built_descriptor(module, "cmi5", tmp_path)
    assert xsd.validate(data, "cmi5") == []
    root = etree.fromstring(data)
    course = root.find(f"{{{CMI5}}}course")
    assert course.get("id") == module.iri
    aus = root.findall(f".//{{{CMI5}}}au")
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(au.findtext(f"{{{CMI5}}}url") in names for au in aus)
    assert all(au.get("id").startswith(module.iri + "/au/") for au in aus)
    by_url = {au.findtext(f"{{{CMI5}}}url"): au for au in aus}
    if structure == "single-au":
        assert len(aus) == 1
        au = aus[0]
        expected = {("pages", "post-test"): "CompletedAndPassed", ("pages",): "Completed", ("post-test",): "Passed"}
        assert au.get("moveOn") == expected[tuple(module.completion.requires)]
        assert float(au.get("masteryScore")) == module.post_test.pass_mark / 100
    else:
        assert len(aus) == len(module.lessons) + 2
        assert by_url[f"sco-{module.pre_test.id}.html"].get("moveOn") == "NotApplicable"
        assert by_url[f"sco-{module.post_test.id}.html"].get("moveOn") == "Passed"
        assert by_url[f"sco-{module.lessons[0].id}.html"].get("moveOn") == "Completed"
        assert root.find(f"{{{CMI5}}}block") is not None


@pytest.mark.parametrize("folder", SAMPLE_MODULES, ids=lambda p: p.name)
def test_tincan_package(folder, tmp_path):
    module = modpack.load(folder)
    data, names = built_descriptor(module, "xapi", tmp_path)
    assert xsd.validate(data, "tincan") == []
    root = etree.fromstring(data)
    course = root.find(f".//{{{TINCAN}}}activity")
    assert course.get("id") == module.iri  # the same activity as the cmi5 course
    assert course.findtext(f"{{{TINCAN}}}launch") in names
    assessments = [a.get("id") for a in root.iter(f"{{{TINCAN}}}activity")][1:]
    assert assessments == [f"{module.iri}/assessments/{a.id}" for a in module.assessments()]


@pytest.mark.parametrize("fmt", ["cmi5", "xapi"])
def test_no_credential_is_written_into_any_package(fmt, tmp_path):
    """No LRS endpoint key or secret is baked in: they are handed over at launch."""
    from modpack.checker import check

    for path in modpack.build(SAMPLES / "course.yaml", fmt, tmp_path):
        report = check(path)
        assert [f for f in report.findings if f.code == "credential"] == []
        assert report.exit_code == 0, "\n".join(map(str, report.findings))
        with zipfile.ZipFile(path) as archive:
            text = b"".join(archive.read(n) for n in archive.namelist() if n.endswith((".js", ".html", ".xml")))
        # the player builds "Basic " + the token it fetched at launch; no token is ever written
        assert re.search(rb"Basic\s+[A-Za-z0-9+/]{12,}", text) is None and b"MODPACK_LRS" not in text


def test_a_course_is_published_whole_or_not_at_all(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "samples")
    course = modpack.load(tmp_path / "samples" / "course.yaml")
    second = course.loaded_modules[1]
    # the second module's attachment goes missing between loading and building
    (second.root / second.lessons[1].pages[0].attachments[0].file).unlink()
    with pytest.raises(modpack.InvalidDefinition, match="does not exist"):
        modpack.build(course, "scorm12", tmp_path / "out")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_course_with_an_invalid_module_publishes_nothing(tmp_path, sample_copy):
    good = sample_copy("rujukan-terpadu")
    bad = sample_copy("kewirausahaan-sosial")
    (bad / "halaman" / "06-buku-kas.md").unlink()
    course = tmp_path / "course.yaml"
    course.write_text("id: kursus\ntitle: Kursus\nmodules: [rujukan-terpadu, kewirausahaan-sosial]\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(modpack.InvalidDefinition) as raised:
        modpack.build(course, "scorm12", out)
    assert [d.code for d in raised.value.diagnostics] == ["missing-file"]
    assert not out.exists() or list(out.iterdir()) == []  # not even the valid module's zip, nor a temporary file
    assert good.exists()


@pytest.mark.parametrize("formats", ["scorm12", "all"])
def test_a_module_listed_twice_leaves_no_temporary_file(tmp_path, sample_copy, formats):
    """A course listing one module twice is refused; its packages were staged twice but tracked
    once (by folder), so each failed build left a .part zip per format in the output folder."""
    sample_copy("kewirausahaan-sosial")
    course = tmp_path / "course.yaml"
    course.write_text("id: kursus\ntitle: Kursus\nmodules: [kewirausahaan-sosial, kewirausahaan-sosial]\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(modpack.InvalidDefinition):
        modpack.build(course, formats, out)
    assert not out.exists() or list(out.iterdir()) == []


def test_packages_are_the_bytes_zipfile_writes(tmp_path, monkeypatch):
    """stage_zip writes the usual package itself, its text deflated on every core (archive._write_plain),
    and leaves a package past its limits to zipfile: both must give the same bytes, which unzip and
    zipfile read back as they were given, for entries stored and deflated, in memory and copied from
    disk, empty, large enough to deflate on threads, and named in UTF-8."""
    import random
    import subprocess

    from modpack.package import archive

    rng = random.Random(7)
    folder = tmp_path / "modul"
    folder.mkdir()
    (folder / "suara.mp3").write_bytes(rng.randbytes(3 * (1 << 20) + 5))  # past one read chunk
    (folder / "catatan.txt").write_bytes(b"catatan pendamping\n" * 70_000)  # copied from disk and deflated
    text = "".join(f"<p>Halaman {n}: pendamping keluarga penerima manfaat.</p>\n" for n in range(6_000)).encode()
    files: dict[str, bytes | object] = {
        "imsmanifest.xml": b"<manifest/>",
        "content/pages/h-1.js": text,  # alone over archive._PARALLEL_FROM: deflated on threads
        "content/pages/h-2.js": text[:5000],
        "content/kosong.js": b"",
        "assets/foto.jpg": rng.randbytes(40_000),
        "assets/peta-wilayah-ü.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        "assets/suara.mp3": approve(folder, "suara.mp3"),
        "assets/catatan.txt": approve(folder, "catatan.txt"),
    }
    import zlib

    plain = archive.stage_zip(tmp_path / "a" / "p.zip", files, first="imsmanifest.xml")  # type: ignore[arg-type]
    from modpack import compress

    with monkeypatch.context() as patched:  # zipfile deflates with the standard zlib, modpack with zlib-ng
        patched.setattr(archive, "zlib", zlib)
        patched.setattr(compress, "zlib", zlib)
        plain_zlib = archive.stage_zip(tmp_path / "c" / "p.zip", files, first="imsmanifest.xml")  # type: ignore[arg-type]
        patched.setattr(archive, "PLAIN_MAX_BYTES", 0)
        by_zipfile = archive.stage_zip(tmp_path / "b" / "p.zip", files, first="imsmanifest.xml")  # type: ignore[arg-type]
    assert plain_zlib.read_bytes() == by_zipfile.read_bytes()
    with zipfile.ZipFile(plain) as ours, zipfile.ZipFile(by_zipfile) as theirs:  # the same entries, but for
        fields = ("filename", "CRC", "file_size", "compress_type", "flag_bits", "date_time", "external_attr")
        assert [[getattr(i, f) for f in fields] for i in ours.infolist()] == \
            [[getattr(i, f) for f in fields] for i in theirs.infolist()]  # ...the deflated bytes
    assert subprocess.run(["unzip", "-tq", str(plain)], capture_output=True).returncode == 0
    with zipfile.ZipFile(plain) as package:
        assert package.namelist()[0] == "imsmanifest.xml"
        for name, source in files.items():
            expected = source if isinstance(source, bytes) else Path(source.real).read_bytes()  # type: ignore[attr-defined]
            assert package.read(name) == expected
            stored = package.getinfo(name).compress_type == zipfile.ZIP_STORED
            assert stored == name.endswith((".jpg", ".mp3"))


def test_a_file_grown_past_the_zip_limits_after_its_check_is_a_write_error(tmp_path):
    """A file approved small that grows past 2 GiB before it is packed (here a sparse file) is an
    OSError the builder reports as such, not a struct error from a 32-bit field; nothing is left."""
    import errno
    import os

    from modpack.package import archive

    (tmp_path / "modul").mkdir()
    video = tmp_path / "modul" / "video.mp4"
    video.write_bytes(b"x" * 10)
    approved = approve(tmp_path / "modul", "video.mp4")
    os.truncate(video, 5 << 30)
    with pytest.raises(OSError) as raised:
        archive.stage_zip(tmp_path / "out" / "p.zip", {"imsmanifest.xml": b"<x/>", "assets/video.mp4": approved})
    assert raised.value.errno == errno.EFBIG
    assert list((tmp_path / "out").iterdir()) == []


def _many_pages(folder: Path, pages: int) -> Path:
    """A module of ``pages`` pages of a few kB each: enough text for the deflating child."""
    import random
    import textwrap

    rng = random.Random(3)
    words = "pendamping keluarga penerima manfaat layanan rujukan terpadu desa kabupaten bantuan sosial".split()
    listed = "".join(f"      - {{id: h-{n}, title: Halaman {n}, file: h/{n}.md}}\n" for n in range(pages))
    (folder / "h").mkdir(parents=True)
    (folder / "module.yaml").write_text(textwrap.dedent("""\
        id: modul-banyak
        title: Modul banyak halaman
        iri_base: https://pelatihan.example.go.id/xapi/
        workload: {self_paced_jp: 2}
        lessons:
          - id: satu
            title: Satu
            pages:
        """) + listed, encoding="utf-8")
    for n in range(pages):
        text = " ".join(rng.choice(words) for _ in range(600))
        (folder / "h" / f"{n}.md").write_text(f"# Halaman {n}\n\n{text}\n", encoding="utf-8")
    return folder


def test_pages_deflated_by_the_child_are_the_bytes_the_writer_makes(tmp_path, monkeypatch):
    """A large module's pages are deflated by a child process as they are rendered (ahead.py): the
    package is byte for byte the one built without it, and no child is left behind."""
    from modpack.package import ahead, builder

    module = _many_pages(tmp_path / "modul", 300)
    started: list[ahead.DeflateAhead] = []
    real_start = ahead.DeflateAhead._start

    def counted(self: ahead.DeflateAhead) -> None:
        started.append(self)
        real_start(self)

    monkeypatch.setattr(ahead.DeflateAhead, "_start", counted)
    with_child = builder.build(module, out=tmp_path / "a")[0]
    assert started and not started[0].failed and started[0]._child is None  # used, then reaped
    taken = started[0]._done
    assert taken is not None and len(taken) == 300
    monkeypatch.setattr(ahead, "ENABLED", False)
    without = builder.build(module, out=tmp_path / "b")[0]
    assert len(started) == 1 and with_child.read_bytes() == without.read_bytes()


def test_the_child_deflates_as_compress_deflate_does():
    """The child's own program (it imports nothing of modpack) against compress.deflate."""
    import random

    from modpack import compress
    from modpack.package import ahead

    rng = random.Random(5)
    texts = [rng.randbytes(n) for n in (0, 1, 100, 70_000)] + [b"pendamping " * n for n in (1, 500, 30_000)]
    with ahead.DeflateAhead() as early:
        early.start()
        for text in texts:
            early.submit(text)
        for text in texts:
            expected = (compress.zlib.crc32(text), compress.deflate(text)) if text else None  # empty: not sent
            assert early.take(text) == expected
        assert not early.failed
    with ahead.DeflateAhead() as early:  # an empty text last, which writev could never finish
        early.start()
        early.submit(b"x" * 300_000)
        early.submit(b"")
        assert early.take(b"") is None and early.take(b"y") is None and not early.failed


def test_a_child_that_dies_leaves_the_writer_to_deflate(tmp_path):
    """Any failure of the child (here: killed) and take() answers nothing: the writer deflates."""
    from modpack.package import ahead

    texts = [f"halaman {n} ".encode() * 2000 for n in range(100)]
    with ahead.DeflateAhead() as early:
        early.start()
        for text in texts[:50]:
            early.submit(text)
        assert early._child is not None
        early._child.kill()
        early._child.wait()
        for text in texts[50:]:
            early.submit(text)
        assert all(early.take(text) is None for text in texts) and early.failed
    assert early._child is None


def test_every_format_a_build_knows_has_its_target():
    """formats.py names the formats without importing the targets (so that an unchanged build
    imports nothing more); builder.TARGETS writes each, in the same order ('all')."""
    from modpack.package import builder, formats

    assert tuple(builder.TARGETS) == formats.FORMATS and formats.DEFAULT_FORMAT in formats.FORMATS
    assert builder.BuildError is formats.BuildError and modpack.BuildError is formats.BuildError
