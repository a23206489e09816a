"""What Moodle 4.x's SCORM module (mod/scorm) does with a manifest, reproduced against every
manifest modpack writes, so that each package imports and plays there as it is (issue 18).

Each rule names the Moodle code it stands for (read in mod/scorm/datamodels/scormlib.php,
locallib.php and db/install.xml); the runtime's data model patterns are checked in the browser
tests, on every call the player makes (tests/browser/host.html, moodle rules).
"""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree

import modpack
from modpack.package.answers import unseal
from modpack.package.builder import plan
from modpack.package.targets.scorm2004 import INTERACTIONS_FILE, short_id

from .conftest import MINIMAL, SAMPLE_MODULES

CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"


def manifests():
    for folder in SAMPLE_MODULES:
        for structure in ("single-sco", "sco-per-lesson"):
            module = modpack.load(folder)
            module.delivery.scorm2004.structure = structure
            yield f"{folder.name}/{structure}", module, plan(module, "scorm2004")


@pytest.mark.parametrize("name, module, package", list(manifests()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_scorm2004_manifest_imports_into_moodle(name, module, package):
    manifest = etree.fromstring(package.files["imsmanifest.xml"])
    # scorm_get_manifest: an objective with an imsss:mapInfo child ends the import with a PHP Error
    # ("Attempt to assign property 'mapinfos' on null"), and scorm_seq_mapinfo.targetobjectiveid
    # is an integer column: no global objective at all
    assert manifest.findall(f".//{{{IMSSS}}}mapInfo") == []
    # the version is matched exactly: anything else is imported as SCORM 1.2
    assert re.fullmatch(r"2004 (3rd|4th) Edition", manifest.findtext(f"{{{CP}}}metadata/{{{CP}}}schemaversion"))
    # the parser matches prefixes literally (ADLCP:SCORMTYPE, IMSSS:...), upper-cased
    raw = package.files["imsmanifest.xml"].decode()
    assert "<imsss:sequencing" in raw and 'adlcp:scormType="sco"' in raw
    # scorm_scoes: identifier, title... char(255); scormtype compared lower-case
    for item in manifest.iter(f"{{{CP}}}item", f"{{{CP}}}resource"):
        assert len(item.get("identifier")) <= 255
        title = item.findtext(f"{{{CP}}}title")
        assert title is None or len(title) <= 255
    for resource in manifest.iter(f"{{{CP}}}resource"):
        assert resource.get(f"{{{ADLCP}}}scormType") in ("sco", "asset")
    # booleans compared as the strings 'true' / 'false'
    for element in manifest.iter(f"{{{IMSSS}}}controlMode", f"{{{IMSSS}}}deliveryControls"):
        assert set(element.attrib.values()) <= {"true", "false"}
    # cmi.scaled_passing_score is the last minNormalizedMeasure of the item's objectives, 1.0 for an
    # objective without one: it must be the primary objective's, and only where a pass mark is
    sco_items = [i for i in manifest.iter(f"{{{CP}}}item") if i.get("identifierref")]
    for item in sco_items:
        objectives = item.findall(f"{{{IMSSS}}}sequencing/{{{IMSSS}}}objectives/*")
        assert len(objectives) == 1 and objectives[0].tag == f"{{{IMSSS}}}primaryObjective", item.get("identifier")
        measure = objectives[0].findtext(f"{{{IMSSS}}}minNormalizedMeasure")
        holds_post_test = item.get("identifier") in ("ITEM-module", f"ITEM-test-{module.post_test.id}" if module.post_test else "")
        if module.post_test and holds_post_test:
            assert float(measure) == pytest.approx(module.post_test.pass_mark / 100)
        else:
            assert measure is None  # the player writes no cmi.score.scaled there (scorm.js)
    # completionThreshold without minProgressMeasure is 1.0 in Moodle, which then forces incomplete
    for threshold in manifest.iter(f"{{{ADLCP}}}completionThreshold"):
        assert threshold.get("minProgressMeasure")


def test_the_stricter_structure_stays_available_and_says_so():
    module = modpack.load(SAMPLE_MODULES[0])
    module.delivery.scorm2004.structure = "sco-per-lesson"
    module.delivery.scorm2004.gate = "global-objective"
    manifest = etree.fromstring(plan(module, "scorm2004").files["imsmanifest.xml"])
    assert manifest.findall(f".//{{{IMSSS}}}mapInfo")  # what Moodle cannot import: chosen, not defaulted


@pytest.mark.parametrize("folder", SAMPLE_MODULES, ids=lambda p: p.name)
def test_interaction_ids_map_back_to_the_definition(folder):
    """interactions.json names every test question, scored check and scenario by the short id the
    player writes, with the definition ids behind each response value."""
    module = modpack.load(folder)
    package = plan(module, "scorm2004")
    ids = json.loads(package.files[INTERACTIONS_FILE])
    short = re.compile(r"[\w.]{1,250}")
    for test in (module.pre_test, *(lesson.quiz for lesson in module.lessons), module.post_test):
        for question in test.all_questions() if test else []:
            entry = ids[f"{short_id(test.id)}.{short_id(question.id)}"]
            assert (entry["test"], entry["question"], entry["type"]) == (test.id, question.id, question.type)
            for value, original in entry["values"].items():
                assert short.fullmatch(value) and value.replace("_", "-") == original
    markdown = "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.md"))
    assert sum(key.startswith("check_") for key in ids) == markdown.count("scored: true")
    assert sum(key.startswith("scenario.") for key in ids) == markdown.count("```scenario")
    manifest = package.files["imsmanifest.xml"].decode()
    assert f'href="{INTERACTIONS_FILE}"' in manifest  # listed among the package's files


@pytest.mark.parametrize("folder", SAMPLE_MODULES, ids=lambda p: p.name)
def test_answer_keys_are_not_readable_in_the_package(folder):
    """Correct choices, accepted texts, numbers and orders leave content/module.js and the pages;
    what the player opens is the definition's key, exactly."""
    module = modpack.load(folder)
    package = plan(module, "scorm12")
    data = json.loads(package.files["content/module.js"].decode()[len("modpack.module("):-3])
    questions = {}
    for test in (data["preTest"], *(lesson["quiz"] for lesson in data["lessons"]), data["postTest"]):
        for question in (test or {}).get("questions", []) + [q for pool in (test or {}).get("pools", []) for q in pool["questions"]]:
            questions[question["id"]] = question
    assert questions
    for test in (module.pre_test, *(lesson.quiz for lesson in module.lessons), module.post_test):
        for question in test.all_questions() if test else []:
            shipped = questions[question.id]
            key = unseal(shipped, data["salt"])
            written = question.model_dump(mode="json", exclude_none=True)
            assert not {"correct", "accepted", "min", "max"} & shipped.keys()
            if question.type == "ordering":
                assert [shipped["items"][i]["id"] for i in key["order"]] == [i.id for i in question.items]
                assert [i["id"] for i in shipped["items"]] != [i.id for i in question.items]
            elif question.type == "fill-in":
                assert key["accepted"] == written["accepted"]
                # (an author's feedback may say the answer: that is the author's to choose)
                plain = json.dumps({k: v for k, v in shipped.items() if k != "feedback"}, ensure_ascii=False)
                for text in (t for a in written["accepted"] for t in a.values()):
                    assert text not in plain
            elif question.type == "numeric":
                assert key == {k: written[k] for k in ("correct", "min", "max") if k in written}
            else:
                assert key == {"correct": written["correct"]}


def test_the_salt_changes_with_the_definition_and_builds_stay_reproducible(write_module):
    folder = write_module(MINIMAL + """\
post_test:
  id: tes-akhir
  pass_mark: 70
  questions:
    - id: ibu-kota
      type: single-choice
      prompt: Ibu kota provinsi?
      choices: [{id: surabaya, text: Surabaya}, {id: malang, text: Malang}]
      correct: surabaya
""")
    first = plan(modpack.load(folder), "scorm12").files["content/module.js"]
    assert plan(modpack.load(folder), "scorm12").files["content/module.js"] == first
    text = (folder / "module.yaml").read_text(encoding="utf-8").replace("Modul uji", "Modul uji kedua")
    (folder / "module.yaml").write_text(text, encoding="utf-8")
    second = plan(modpack.load(folder), "scorm12").files["content/module.js"]
    key_of = lambda js: json.loads(js.decode()[len("modpack.module("):-3])["postTest"]["questions"][0]["k"]  # noqa: E731
    assert key_of(first) != key_of(second)
    assert b"surabaya" in first and b'"correct"' not in first
