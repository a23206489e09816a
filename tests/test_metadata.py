"""What a definition says about its module (authors, institution, audience, keywords, licence)
reaches every descriptor that has a place for it, valid against the official schemas."""

from __future__ import annotations

import json
import zipfile

from lxml import etree

import modpack
from modpack import xsd

from .conftest import SAMPLES

LOM = "http://ltsc.ieee.org/xsd/LOM"
MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
TINCAN = "http://projecttincan.com/tincan.xsd"


def _descriptor(fmt: str, tmp_path, name: str) -> etree._Element:
    path = modpack.build(SAMPLES / "rujukan-terpadu", format=fmt, out=tmp_path / fmt)[0]
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def _check_lom(lom: etree._Element, ns: str, vcard_tag: str, value_of) -> None:
    cards = [e.text for e in lom.iter(f"{{{ns}}}{vcard_tag}")]
    assert any("FN:Tim Widyaiswara Pusdiklat Kesos" in c for c in cards)
    assert any("FN:Rina Kartikasari" in c and "EMAIL;TYPE=INTERNET:rina.kartikasari@example.go.id" in c for c in cards)
    assert any("FN:Pusat Pendidikan dan Pelatihan Kesejahteraan Sosial" in c and "URL:https://pelatihan.example.go.id/"
               in c for c in cards)
    roles = [value_of(c) for c in lom.iter(f"{{{ns}}}contribute")]
    assert [r.lower() for r in roles] == ["author", "editor", "publisher"]
    text = etree.tostring(lom, encoding="unicode")
    assert "Relawan Puskesos desa/kelurahan" in text and "District SLRT staff" in text  # audience, both languages
    assert "perlindungan sosial" in text and "CC-BY-SA-4.0" in text


def test_scorm12_imsmd(tmp_path):
    manifest = _descriptor("scorm12", tmp_path, "imsmanifest.xml")
    lom = manifest.find(f".//{{{MD}}}lom")
    _check_lom(lom, MD, "vcard", lambda c: c.find(f"{{{MD}}}role/{{{MD}}}value/{{{MD}}}langstring").text)
    assert xsd.validate(etree.tostring(manifest), "scorm12") == []


def test_scorm2004_lom(tmp_path):
    manifest = _descriptor("scorm2004", tmp_path, "imsmanifest.xml")
    lom = manifest.find(f".//{{{LOM}}}lom")
    _check_lom(lom, LOM, "entity", lambda c: c.find(f"{{{LOM}}}role/{{{LOM}}}value").text)
    assert lom.find(f"{{{LOM}}}educational/{{{LOM}}}intendedEndUserRole/{{{LOM}}}value").text == "learner"
    assert xsd.validate(etree.tostring(manifest), "scorm2004_4th") == []


def test_cmi5_course_carries_lom_valid_against_the_lom_schema(tmp_path):
    structure = _descriptor("cmi5", tmp_path, "cmi5.xml")
    lom = structure.find(f"{{{CMI5}}}course/{{{LOM}}}lom")
    assert lom is not None
    _check_lom(lom, LOM, "entity", lambda c: c.find(f"{{{LOM}}}role/{{{LOM}}}value").text)
    assert xsd.validate(etree.tostring(structure), "cmi5") == []
    # the extension itself against the official LOM schema (the SCORM 2004 set carries it)
    assert xsd.validate(etree.tostring(lom), "scorm2004_4th") == []


def test_tincan_extensions(tmp_path):
    root = _descriptor("xapi", tmp_path, "tincan.xml")
    course = root.find(f"{{{TINCAN}}}activities/{{{TINCAN}}}activity")
    extensions = {e.get("key").rsplit("/", 1)[-1]: json.loads(e.text)
                  for e in course.findall(f"{{{TINCAN}}}extensions/{{{TINCAN}}}extension")}
    assert [a["name"] for a in extensions["authors"]] == ["Tim Widyaiswara Pusdiklat Kesos", "Rina Kartikasari"]
    assert extensions["authors"][1]["role"] == "editor"
    assert extensions["institution"]["url"] == "https://pelatihan.example.go.id/"
    assert "Fasilitator SLRT" in extensions["audience"]["id-ID"]
    assert "SLRT" in extensions["keywords"]["id-ID"] and extensions["licence"] == "CC-BY-SA-4.0"
    assert all(e.get("key").startswith("https://pelatihan.example.go.id/xapi/extensions/")
               for e in course.findall(f"{{{TINCAN}}}extensions/{{{TINCAN}}}extension"))
    assert xsd.validate(etree.tostring(root), "tincan") == []


def test_a_vcard_escapes_what_would_break_it():
    from modpack.package.targets.lom import vcard

    card = vcard("Sari, S.Sos; M.Si", "a@b.id", "Dinas Sosial\nKab. X")
    assert "FN:Sari\\, S.Sos\\; M.Si" in card and "ORG:Dinas Sosial\\nKab. X" in card
    assert card.count("\n") == 6  # seven lines: the newline in ORG stayed escaped
