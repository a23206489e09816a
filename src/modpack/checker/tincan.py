"""Tin Can packages: tincan.xml against tincan.xsd, launch files present, activity ids that are IRIs."""

from __future__ import annotations

import re
import posixpath
from typing import Any

from lxml import etree

from .. import xsd
from .reader import Package, normalise
from .report import Report, schema_findings

NS = "http://projecttincan.com/tincan.xsd"
FILE = "tincan.xml"


def validate_schema(data: bytes, report: Report, descriptor: str) -> None:
    schema_findings(xsd.validate(data, "tincan"), report, descriptor)


def check(root: etree._Element, package: Package, descriptor: str, report: Report) -> set[str]:
    referenced: set[str] = set()
    base = posixpath.dirname(descriptor)
    launches = 0
    for activity in root.iter(f"{{{NS}}}activity"):
        ident = activity.get("id", "")
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", ident):
            report.warning("activity-id", f"activity id '{ident}' is not an absolute IRI; LRSs reject such ids",
                           file=descriptor, line=activity.sourceline)
        for launch in activity.findall(f"{{{NS}}}launch"):
            launches += 1
            target = normalise(base, (launch.text or "").strip())
            if target is not None:
                referenced.add(target)
                if not package.exists(target):
                    report.error("missing-launch", f"activity '{ident}' launches '{launch.text}', which is not in the "
                                 "package", file=descriptor, line=launch.sourceline)
    if launches == 0:
        report.error("no-launch", "no activity has a launch file: there is nothing to open", file=descriptor)
    for provider in root.iter(f"{{{NS}}}provider"):
        if (provider.findtext(f"{{{NS}}}secret") or "").strip():
            report.error("credential", "tincan.xml carries a provider secret: anyone who downloads the package can "
                         "use it", file=descriptor, line=provider.sourceline)
    return referenced


def structure(root: etree._Element) -> dict[str, Any]:
    activities = []
    for activity in root.iter(f"{{{NS}}}activity"):
        activities.append({"id": activity.get("id"), "type": activity.get("type"),
                           "name": (activity.findtext(f"{{{NS}}}name") or "").strip(),
                           "launch": (activity.findtext(f"{{{NS}}}launch") or "").strip() or None})
    return {"activities": activities}
