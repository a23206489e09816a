"""cmi5: a course structure (cmi5.xml, CourseStructure.xsd) whose AUs are the module's units.

Ids are IRIs under the module's IRI (from its stable id and iri_base): the course is the module
itself, so statements from the AUs, from the Tin Can package and from modpack's records all name
the same activities.
"""

from __future__ import annotations

from lxml import etree

from ..content import PackageContent
from ...model import Module
from ..structure import Unit
from ..structure import units as plan_units
from ...player import label
from ...xmltree import root_element, sub, to_bytes
from . import PackagePlan, package_files
from .lom import add_lom

STANDARD = "cmi5"
NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def au_id(module: Module, unit: Unit) -> str:
    return f"{module.iri}/au/{unit.key}"


def move_on(module: Module, unit: Unit) -> str:
    """What the LMS waits for before the learner moves on, from the module's completion rule."""
    if unit.pre_test is not None and not unit.lessons and unit.post_test is None:
        return "NotApplicable"  # a pre-test measures; it does not hold anyone back
    rule = module.completion.requires or []
    pages = bool(unit.lessons) and "pages" in rule
    passed = unit.post_test is not None and "post-test" in rule
    if pages and passed:
        return "CompletedAndPassed"
    if passed:
        return "Passed"
    return "Completed"


def _text(parent: etree._Element, tag: str, values: dict[str, str]) -> None:
    element = sub(parent, NS, tag)
    for lang, text in values.items():
        sub(element, NS, "langstring", text, lang=lang)


def plan(module: Module, content: PackageContent) -> PackagePlan:
    delivery = module.delivery.cmi5
    units = plan_units(module, per_lesson=delivery.structure == "au-per-lesson")
    files = package_files(content, units, STANDARD, "cmi5")
    root = root_element(f"{{{NS}}}courseStructure", {None: NS})
    course = sub(root, NS, "course", id=module.iri)
    _text(course, "title", module.title)
    _text(course, "description", module.description or module.title)
    # the rest of what the definition says (authors, institution, audience, keywords, licence), as
    # IEEE LOM: the course may carry elements of other namespaces (CourseStructure.xsd, anyElement)
    add_lom(course, module)
    if module.objectives:
        objectives = sub(root, NS, "objectives")
        for objective in module.objectives:
            element = sub(objectives, NS, "objective", id=f"{module.iri}/objectives/{objective.id}")
            _text(element, "title", objective.text)
            _text(element, "description", objective.text)
    lessons_block = None
    for unit in units:
        parent = root
        if unit.lessons and len(units) > 1:
            if lessons_block is None:
                lessons_block = sub(root, NS, "block", id=f"{module.iri}/blocks/lessons")
                _text(lessons_block, "title", {module.language: label("lessons", module.language)})
                _text(lessons_block, "description", {module.language: label("lessons", module.language)})
            parent = lessons_block
        attributes = {"id": au_id(module, unit), "moveOn": move_on(module, unit), "launchMethod": delivery.launch_method}
        if unit.pass_mark is not None:
            attributes["masteryScore"] = f"{unit.pass_mark / 100:g}"
        au = sub(parent, NS, "au", **attributes)
        _text(au, "title", unit.title)
        _text(au, "description", unit.lessons[0].description if len(unit.lessons) == 1 and unit.lessons[0].description
              else unit.title)
        served = {o for lesson in unit.lessons for o in lesson.objectives}
        served |= {o for a in (unit.pre_test, unit.post_test) if a for q in a.all_questions() for o in q.objectives}
        if served and module.objectives:
            refs = sub(au, NS, "objectives")
            for objective in module.objectives:
                if objective.id in served:
                    sub(refs, NS, "objective", idref=f"{module.iri}/objectives/{objective.id}")
        sub(au, NS, "url", unit.launch)
    files["cmi5.xml"] = to_bytes(root)
    return PackagePlan(module.id, module.version, STANDARD, "cmi5.xml", files)
