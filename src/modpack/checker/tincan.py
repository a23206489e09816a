"""Tin Can packages: tincan.xml against tincan.xsd, launch files present, activity ids that are IRIs."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .. import xsd
from ..xmltree import line as line_of
from .reader import Package, normalise, unplayable_launch
from .report import Report, schema_findings
from ..messages import t

NS = "http://projecttincan.com/tincan.xsd"
FILE = "tincan.xml"


def validate_schema(data: bytes, report: Report, descriptor: str) -> None:
    schema_findings(xsd.validate(data, "tincan"), report, descriptor)


@dataclass
class Activity:
    id: str
    type: str | None
    name: str
    launches: list[tuple[str, int | None]]  # (launch file as written, line)
    line: int | None

    @property
    def launch(self) -> str | None:
        return self.launches[0][0] if self.launches else None


def read_activities(root: etree._Element) -> list[Activity]:
    """The activities of tincan.xml, the one reader check and info share."""
    return [Activity(a.get("id", ""), a.get("type"), (a.findtext(f"{{{NS}}}name") or "").strip(),
                     [((launch.text or "").strip(), line_of(launch)) for launch in a.findall(f"{{{NS}}}launch")],
                     line_of(a))
            for a in root.iter(f"{{{NS}}}activity")]


def check(root: etree._Element, package: Package, descriptor: str, report: Report) -> set[str]:
    referenced: set[str] = set()
    base = posixpath.dirname(descriptor)
    launches = 0
    for activity in read_activities(root):
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", activity.id):
            report.warning("activity-id", t("activity id '{id}' is not an absolute IRI; LRSs reject such ids",
                                            id=activity.id),
                           file=descriptor, line=activity.line)
        for launch, line in activity.launches:
            launches += 1
            if unplayable_launch(report, t("activity '{id}'", id=activity.id), launch, descriptor, line, base):
                continue
            target = normalise(base, launch)
            if target is not None:
                referenced.add(target)
                if package.missing(target):
                    report.error("missing-launch", t("activity '{id}' launches '{launch}', which is not in the "
                                                     "package", id=activity.id, launch=launch), file=descriptor, line=line)
    if launches == 0:
        report.error("no-launch", t("no activity has a launch file: there is nothing to open"), file=descriptor)
    for provider in root.iter(f"{{{NS}}}provider"):
        if (provider.findtext(f"{{{NS}}}secret") or "").strip():
            report.error("credential", t("tincan.xml carries a provider secret: anyone who downloads the package "
                                         "can use it"), file=descriptor, line=line_of(provider))
    return referenced


def structure(root: etree._Element) -> dict[str, Any]:
    return {"activities": [{"id": a.id, "type": a.type, "name": a.name, "launch": a.launch or None}
                           for a in read_activities(root)]}
