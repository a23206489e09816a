"""cmi5 course structures: cmi5.xml against CourseStructure.xsd, and the rules of spec sections 13-14."""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .. import xsd
from ..xmltree import line as line_of
from .reader import Package, normalise, unplayable_launch
from .report import Report, number_in, schema_findings
from ..messages import t

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
LAUNCH_PARAMETERS = ("endpoint", "fetch", "actor", "registration", "activityId")  # §8.1.1-8.1.5
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
FILE = "cmi5.xml"


def validate_schema(data: bytes, report: Report, descriptor: str) -> None:
    schema_findings(xsd.validate(data, "cmi5"), report, descriptor)


def _title(element: etree._Element | None) -> str:
    strings = element.findall(f"{{{NS}}}title/{{{NS}}}langstring") if element is not None else []
    return strings[0].text.strip() if strings and strings[0].text else ""


# -- the one reader of a course structure: check, info and preview all read it through this ----


@dataclass
class Au:
    id: str | None
    title: str
    url: str
    move_on: str
    mastery_score: str | None  # as written; check judges it
    launch_method: str
    line: int | None

    @property
    def mastery(self) -> float | None:
        """The mastery score as a number from 0 to 1, or None when absent or not such a number."""
        return float(self.mastery_score) if self.mastery_score is not None and number_in(self.mastery_score, 0, 1) \
            else None


@dataclass
class Block:
    id: str | None
    title: str
    children: list["Block | Au"] = field(default_factory=list)


@dataclass
class CourseStructure:
    course_id: str | None
    title: str | None
    children: list[Block | Au]
    aus: list[Au]  # every AU, in document order


def read_course(root: etree._Element) -> CourseStructure:
    """The course, its blocks and AUs (spec section 13); never raises for a strange file."""
    aus: list[Au] = []

    def node(element: etree._Element) -> Block | Au:
        if etree.QName(element).localname == "au":
            au = Au(element.get("id"), _title(element), (element.findtext(f"{{{NS}}}url") or "").strip(),
                    element.get("moveOn", "NotApplicable"), element.get("masteryScore"),
                    element.get("launchMethod", "AnyWindow"), line_of(element))
            aus.append(au)
            return au
        return Block(element.get("id"), _title(element), [node(c) for c in element if _is_unit(c)])

    course = root.find(f"{{{NS}}}course")
    children = [node(c) for c in root if _is_unit(c)]
    return CourseStructure(course.get("id") if course is not None else None,
                           _title(course) if course is not None else None, children, aus)


def _is_unit(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and etree.QName(element).localname in ("au", "block")


# -- the rules ----------------------------------------------------------------------------------


def check(root: etree._Element, package: Package, descriptor: str, report: Report) -> set[str]:
    structure = read_course(root)
    referenced: set[str] = set()
    base = posixpath.dirname(descriptor)
    seen: dict[str, int] = {}
    for element in root.iter(f"{{{NS}}}course", f"{{{NS}}}block", f"{{{NS}}}au", f"{{{NS}}}objective"):
        ident = element.get("id")
        if ident is None:
            continue
        if ident in seen:
            report.error("duplicate-id", t("id '{ident}' is used twice (first on line {line}); cmi5 requires every "
                                           "course, block, AU and objective id to be unique",
                                           ident=ident, line=seen[ident]), file=descriptor, line=line_of(element))
        seen.setdefault(ident, line_of(element) or 0)
        if not _IRI.match(ident):
            # §13.1.1-13.1.4: the id of a course, block, AU or objective is a globally unique IRI; an LMS
            # uses it as the xAPI activity id, which an LRS refuses unless it is one (xAPI §4.1.4.1)
            report.error("cmi5-id", t("id '{ident}' is not an IRI with a scheme (such as "
                                      "https://pelatihan.example.go.id/xapi/...): an LMS uses it as the xAPI "
                                      "activity id", ident=ident),
                         file=descriptor, line=line_of(element))
    objectives = {o.get("id") for o in root.findall(f"{{{NS}}}objectives/{{{NS}}}objective")}
    for ref in root.iter(f"{{{NS}}}objective"):
        idref = ref.get("idref")
        if idref is not None and idref not in objectives:
            report.error("bad-objective", t("objective reference '{idref}' names no objective of the course",
                                            idref=idref),
                         file=descriptor, line=line_of(ref))
    if not structure.aus:
        report.error("no-au", t("the course has no AU: there is nothing to launch"), file=descriptor)
    for au in structure.aus:
        if not au.url:
            report.error("au-url", t("AU '{id}' has no url: an LMS cannot launch it", id=au.id), file=descriptor, line=au.line)
            continue
        if unplayable_launch(report, t("AU '{id}'", id=au.id), au.url, descriptor, au.line, base):
            continue
        problem = _url_problem(au.url)
        if problem:
            report.error("au-url", t("AU '{id}' has url '{url}', which {problem}",
                                     id=au.id, url=au.url, problem=problem), file=descriptor,
                         line=au.line)
            continue
        absolute = _SCHEME.match(au.url) is not None
        if package.standalone and not absolute:
            report.error("au-url", t("AU '{id}' has the relative url '{url}', but the course structure is given "
                                     "without a zip: its URLs must be absolute (cmi5 §14.2)", id=au.id, url=au.url), file=descriptor, line=au.line)
            continue
        target = normalise(base, au.url)
        if target is not None:
            referenced.add(target)
            if package.missing(target):
                report.error("missing-launch", t("AU '{id}' launches '{url}', which is not in the package",
                                                 id=au.id, url=au.url),
                             file=descriptor, line=au.line)
        if au.mastery_score is not None and au.mastery is None:
            report.error("mastery-range", t("masteryScore '{mastery_score}' of AU '{id}' is not from 0 to 1",
                                            mastery_score=au.mastery_score, id=au.id),
                         file=descriptor, line=au.line)
    return referenced


def _url_problem(url: str) -> str | None:
    """Why an AU url cannot be launched as cmi5 says, or None (§13.1.4: a URL per RFC 1738; §8.1: its
    query must not use the names the LMS adds at launch)."""
    if any(c.isspace() or ord(c) < 0x20 for c in url):
        return t("holds spaces or control characters (write them %-encoded)")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number from 0 to 65535
    except ValueError as exc:
        return t("is not a valid URL ({reason})", reason=exc)
    if parts.scheme and parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return t("is not a valid URL (no host)")
    taken = sorted({name for name, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)}
                   & set(LAUNCH_PARAMETERS))
    if taken:
        return t("uses the launch parameter name(s) {names} in its query: the LMS adds these at launch, and the AU "
                 "would read the wrong ones (cmi5 §8.1)", names=", ".join(taken))
    return None


def structure(root: etree._Element) -> dict[str, Any]:
    course = read_course(root)

    def node(unit: Block | Au) -> dict[str, Any]:
        if isinstance(unit, Au):
            return {"au": unit.id, "title": unit.title, "url": unit.url, "moveOn": unit.move_on,
                    "masteryScore": unit.mastery_score, "launchMethod": unit.launch_method}
        return {"block": unit.id, "title": unit.title, "children": [node(c) for c in unit.children]}

    return {"course": course.course_id, "title": course.title, "children": [node(c) for c in course.children],
            "aus": len(course.aus)}
