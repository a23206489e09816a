"""Tin Can (xAPI) packages: tincan.xml (tincan.xsd) listing the module as a launchable course.

Its activity id is the module's IRI, the same as the cmi5 course's, and the player names pages and
questions under it exactly as it does in cmi5 mode.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from ..content import PackageContent
from ...model import Module
from ..structure import units as plan_units
from ...xmltree import root_element, sub, to_bytes
from . import PackagePlan, package_files
from .lom import author_role

STANDARD = "xapi"
NS = "http://projecttincan.com/tincan.xsd"


def metadata(module: Module) -> dict[str, Any]:
    """What the definition says about the module beyond its name: tincan.xml's extensions."""
    found: dict[str, Any] = {}
    if module.authors:
        found["authors"] = [{"name": a.name, "role": author_role(a), **({"title": a.role} if a.role else {}),
                             **({"email": a.email} if a.email else {})} for a in module.authors]
    if module.institution:
        found["institution"] = {"name": module.institution.name,
                                **({"url": module.institution.url} if module.institution.url else {})}
    for key in ("audience", "keywords"):
        if getattr(module, key):
            found[key] = getattr(module, key)
    if module.licence:
        found["licence"] = module.licence
    found["jp"] = module.workload.self_paced_jp
    return found


def _extensions(activity: etree._Element, module: Module) -> None:
    """One extension per kind, keyed by an IRI under the module's base, its value JSON."""
    values = metadata(module)
    if not values:
        return
    extensions = sub(activity, NS, "extensions")
    for key, value in values.items():
        sub(extensions, NS, "extension", json.dumps(value, ensure_ascii=False, sort_keys=True),
            key=f"{module.effective_iri_base}extensions/{key}")


def plan(module: Module, content: PackageContent) -> PackagePlan:
    units = plan_units(module, per_lesson=False)
    files = package_files(content, units, STANDARD, "tincan")
    root = root_element(f"{{{NS}}}tincan", {None: NS})
    activities = sub(root, NS, "activities")
    course = sub(activities, NS, "activity", id=module.iri, type="http://adlnet.gov/expapi/activities/course")
    for lang, text in module.title.items():
        sub(course, NS, "name", text, lang=lang)
    for lang, text in (module.description or module.title).items():
        sub(course, NS, "description", text, lang=lang)
    sub(course, NS, "launch", units[0].launch, lang=module.language)
    _extensions(course, module)
    for assessment in module.assessments():
        activity = sub(activities, NS, "activity", id=f"{module.iri}/assessments/{assessment.id}",
                       type="http://adlnet.gov/expapi/activities/assessment")
        for lang, text in (assessment.title or {module.language: assessment.id}).items():
            sub(activity, NS, "name", text, lang=lang)
        for lang, text in (assessment.title or {module.language: assessment.id}).items():
            sub(activity, NS, "description", text, lang=lang)
    files["tincan.xml"] = to_bytes(root)
    return PackagePlan(module.id, module.version, STANDARD, "tincan.xml", files)
