"""SCORM 2004 4th Edition: IMS CP 1.1.4, ADL CP/Seq/Nav, IMS Simple Sequencing, LOM metadata."""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from ..content import PackageContent
from ...model import Module
from ..names import ncname
from ...player import label
from ..structure import Unit
from ..structure import units as plan_units
from ...xmltree import XSI, root_element, iso_duration, sub, to_bytes
from . import PackagePlan, package_files
from .lom import LOM, add_lom
from .scorm import add_resources, item_id, manifest_id, resource_id

STANDARD = "scorm2004"
INTERACTIONS_FILE = "interactions.json"  # interaction and response ids -> definition ids, for reports
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
SCHEMA_LOCATION = " ".join([
    f"{CP} imscp_v1p1.xsd", f"{ADLCP} adlcp_v1p3.xsd", f"{ADLSEQ} adlseq_v1p3.xsd",
    f"{ADLNAV} adlnav_v1p3.xsd", f"{IMSSS} imsss_v1p0.xsd", f"{LOM} lom.xsd",
])


def _global_id(module: Module, name: str) -> str:
    return f"urn:modpack:{module.id}:{name}"


def _gated(module: Module) -> bool:
    return module.delivery.scorm2004.gate == "global-objective"


def _sco_item(parent: etree._Element, module: Module, unit: Unit) -> etree._Element:
    item = sub(parent, CP, "item", identifier=item_id(unit), identifierref=resource_id(unit), isvisible="true")
    sub(item, CP, "title", module.text(unit.title))
    if unit.lessons and not unit.post_test and module.completion.requires == ["pages"]:
        # pages alone complete it: the LMS compares cmi.progress_measure with the threshold
        sub(item, ADLCP, "completionThreshold", completedByMeasure="true",
            minProgressMeasure=f"{module.completion.pages_percent / 100:.2f}")
    sequencing = sub(item, IMSSS, "sequencing")
    if unit.requires and _gated(module):
        rules = sub(sequencing, IMSSS, "sequencingRules")
        rule = sub(rules, IMSSS, "preConditionRule")
        conditions = sub(rule, IMSSS, "ruleConditions", conditionCombination="all")
        sub(conditions, IMSSS, "ruleCondition", referencedObjective="lessons-completed", operator="not",
            condition="satisfied")
        sub(rule, IMSSS, "ruleAction", action="disabled")
    if unit.pre_test and not unit.lessons:
        # a pre-test measures, it does not pass or fail the module
        sub(sequencing, IMSSS, "rollupRules", rollupObjectiveSatisfied="false")
    objectives = sub(sequencing, IMSSS, "objectives")
    primary = sub(objectives, IMSSS, "primaryObjective", objectiveID=ncname("PRIMARY", unit.key),
                  satisfiedByMeasure="true" if unit.pass_mark is not None else "false")
    if unit.pass_mark is not None:
        sub(primary, IMSSS, "minNormalizedMeasure", f"{unit.pass_mark / 100:.4f}")
    if unit.requires and _gated(module):
        gate = sub(objectives, IMSSS, "objective", objectiveID="lessons-completed", satisfiedByMeasure="false")
        sub(gate, IMSSS, "mapInfo", targetObjectiveID=_global_id(module, "lessons-completed"),
            readSatisfiedStatus="true", writeSatisfiedStatus="false")
    sub(sequencing, IMSSS, "deliveryControls", completionSetByContent="true", objectiveSetByContent="true")
    return item


def _control_mode(sequencing: etree._Element, forward_only: bool) -> None:
    sub(sequencing, IMSSS, "controlMode", choice="false" if forward_only else "true", flow="true",
        forwardOnly="true" if forward_only else "false")


def _lessons_cluster(parent: etree._Element, module: Module, lesson_units: list[Unit], forward_only: bool) -> None:
    """Lessons grouped so that 'all lessons completed' becomes one objective the post-test reads."""
    cluster = sub(parent, CP, "item", identifier=ncname("ITEM", "lessons", module.id), isvisible="true")
    sub(cluster, CP, "title", label("lessons", module.language))
    for unit in lesson_units:
        _sco_item(cluster, module, unit)
    sequencing = sub(cluster, IMSSS, "sequencing")
    _control_mode(sequencing, forward_only)
    rollup = sub(sequencing, IMSSS, "rollupRules", rollupObjectiveSatisfied="false")
    for child_set, operator, action in (("all", None, "satisfied"), ("any", "not", "notSatisfied")):
        rule = sub(rollup, IMSSS, "rollupRule", childActivitySet=child_set)
        conditions = sub(rule, IMSSS, "rollupConditions", conditionCombination="any")
        attrs = {"condition": "completed"} | ({"operator": operator} if operator else {})
        sub(conditions, IMSSS, "rollupCondition", **attrs)
        sub(rule, IMSSS, "rollupAction", action=action)
    objectives = sub(sequencing, IMSSS, "objectives")
    primary = sub(objectives, IMSSS, "primaryObjective", objectiveID="lessons-completed", satisfiedByMeasure="false")
    if _gated(module):
        sub(primary, IMSSS, "mapInfo", targetObjectiveID=_global_id(module, "lessons-completed"),
            readSatisfiedStatus="false", writeSatisfiedStatus="true")


def short_id(ident: str) -> str:
    """A definition id as a SCORM 2004 short identifier ([A-Za-z0-9_.], what Moodle's runtime and
    others accept in responses): ids are slugs, so a hyphen made an underscore is one-to-one."""
    return ident.replace("-", "_")


def _values(question: Any) -> dict[str, str]:
    found = {}
    for group in ("choices", "sources", "targets", "items", "categories"):
        for entry in getattr(question, group, None) or []:
            found[short_id(entry.id)] = entry.id
    return found


def interaction_ids(module: Module, content: PackageContent) -> dict[str, dict[str, Any]]:
    """Every interaction id the player may write (scorm.js), with the definition ids behind it and
    behind the short identifiers of its responses: how a report translates back."""
    found: dict[str, dict[str, Any]] = {}
    tests = [module.pre_test, *(lesson.quiz for lesson in module.lessons), module.post_test]
    for test in tests:
        if test is None:
            continue
        for question in test.all_questions():
            found[f"{short_id(test.id)}.{short_id(question.id)}"] = {
                "test": test.id, "question": question.id, "type": question.type, "values": _values(question)}
    for page_id, blocks in content.blocks.items():
        for block in blocks:
            if block.get("kind") == "check" and block.get("scored"):
                question = block["question"]
                found[f"check_{short_id(page_id)}.{short_id(question['id'])}"] = {
                    "page": page_id, "question": question["id"], "type": question["type"],
                    "values": {short_id(e["id"]): e["id"] for group in ("choices", "sources", "targets", "items",
                                                                         "categories") for e in question.get(group, [])}}
            elif block.get("kind") == "scenario":
                found[f"scenario.{short_id(block['id'])}"] = {
                    "page": page_id, "scenario": block["id"], "type": "performance",
                    "values": {short_id(scene["id"]): scene["id"] for scene in block["scenes"]}}
    return found


def plan(module: Module, content: PackageContent) -> PackagePlan:
    delivery = module.delivery.scorm2004
    units = plan_units(module, per_lesson=delivery.structure == "sco-per-lesson")
    files = package_files(content, units, STANDARD, "scorm2004_4th")
    nsmap = {None: CP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS, "xsi": XSI}
    manifest = root_element(f"{{{CP}}}manifest", nsmap, identifier=manifest_id(module), version=module.version)
    manifest.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    metadata = sub(manifest, CP, "metadata")
    sub(metadata, CP, "schema", "ADL SCORM")
    sub(metadata, CP, "schemaversion", "2004 4th Edition")
    add_lom(metadata, module)
    organizations = sub(manifest, CP, "organizations", default="ORG")
    organization = sub(organizations, CP, "organization", identifier="ORG")
    organization.set(f"{{{ADLSEQ}}}objectivesGlobalToSystem", "false")
    sub(organization, CP, "title", module.text(module.title))
    lesson_units = [u for u in units if u.lessons]
    forward_only = delivery.navigation == "forward-only"
    if len(units) == 1:
        _sco_item(organization, module, units[0])
    else:
        for unit in units:
            if unit.lessons:
                if unit is lesson_units[0]:
                    _lessons_cluster(organization, module, lesson_units, forward_only)
            else:
                _sco_item(organization, module, unit)
    _control_mode(sub(organization, IMSSS, "sequencing"), forward_only)
    ids = interaction_ids(module, content)
    if ids:
        files[INTERACTIONS_FILE] = (json.dumps(ids, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    add_resources(manifest, CP, ADLCP, "scormType", units, files)
    files["imsmanifest.xml"] = to_bytes(manifest)
    return PackagePlan(module.id, module.version, STANDARD, "imsmanifest.xml", files)
