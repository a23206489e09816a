"""cmi5 course structures: cmi5.xml against CourseStructure.xsd, and the rules of spec sections 13-14."""

from __future__ import annotations

import posixpath
from typing import Any

from lxml import etree

from .. import xsd
from .reader import Package, normalise
from .report import Report, number_in, schema_findings

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
FILE = "cmi5.xml"


def validate_schema(data: bytes, report: Report, descriptor: str) -> None:
    schema_findings(xsd.validate(data, "cmi5"), report, descriptor)


def _title(element: etree._Element) -> str:
    strings = element.findall(f"{{{NS}}}title/{{{NS}}}langstring")
    return strings[0].text.strip() if strings and strings[0].text else ""


def check(root: etree._Element, package: Package, descriptor: str, report: Report) -> set[str]:
    referenced: set[str] = set()
    base = posixpath.dirname(descriptor)
    seen: dict[str, int] = {}
    for element in root.iter(f"{{{NS}}}course", f"{{{NS}}}block", f"{{{NS}}}au", f"{{{NS}}}objective"):
        ident = element.get("id")
        if ident is None:
            continue
        if ident in seen:
            report.error("duplicate-id", f"id '{ident}' is used twice (first on line {seen[ident]}); cmi5 requires "
                         "every course, block, AU and objective id to be unique", file=descriptor, line=element.sourceline)
        seen.setdefault(ident, element.sourceline or 0)
    objectives = {o.get("id") for o in root.findall(f"{{{NS}}}objectives/{{{NS}}}objective")}
    for ref in root.iter(f"{{{NS}}}objective"):
        idref = ref.get("idref")
        if idref is not None and idref not in objectives:
            report.error("bad-objective", f"objective reference '{idref}' names no objective of the course",
                         file=descriptor, line=ref.sourceline)
    aus = list(root.iter(f"{{{NS}}}au"))
    if not aus:
        report.error("no-au", "the course has no AU: there is nothing to launch", file=descriptor)
    for au in aus:
        url = (au.findtext(f"{{{NS}}}url") or "").strip()
        if not url:
            report.error("au-url", f"AU '{au.get('id')}' has no url: an LMS cannot launch it", file=descriptor,
                         line=au.sourceline)
            continue
        target = normalise(base, url)
        if target is not None:
            referenced.add(target)
            if not package.exists(target):
                report.error("missing-launch", f"AU '{au.get('id')}' launches '{url}', which is not in the package",
                             file=descriptor, line=au.sourceline)
        score = au.get("masteryScore")
        if score is not None and not number_in(score, 0, 1):
            report.error("mastery-range", f"masteryScore '{score}' of AU '{au.get('id')}' is not from 0 to 1",
                         file=descriptor, line=au.sourceline)
    return referenced


def structure(root: etree._Element) -> dict[str, Any]:
    def node(element: etree._Element) -> dict[str, Any]:
        if etree.QName(element).localname == "au":
            return {"au": element.get("id"), "title": _title(element), "url": (element.findtext(f"{{{NS}}}url") or "").strip(),
                    "moveOn": element.get("moveOn", "NotApplicable"), "masteryScore": element.get("masteryScore"),
                    "launchMethod": element.get("launchMethod", "AnyWindow")}
        return {"block": element.get("id"), "title": _title(element),
                "children": [node(c) for c in element if etree.QName(c).localname in ("au", "block")]}

    course = root.find(f"{{{NS}}}course")
    return {
        "course": course.get("id") if course is not None else None,
        "title": _title(course) if course is not None else None,
        "children": [node(c) for c in root if isinstance(c.tag, str) and etree.QName(c).localname in ("au", "block")],
        "aus": len(list(root.iter(f"{{{NS}}}au"))),
    }
