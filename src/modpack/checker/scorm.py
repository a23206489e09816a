"""SCORM 1.2 and 2004 (2nd, 3rd, 4th Edition): the manifest against its schemas, and what schemas miss."""

from __future__ import annotations

import posixpath
from typing import Any

from lxml import etree

from .. import xsd
from .reader import Package, normalise
from .report import Report, number_in, schema_findings
from .xmlsafe import local

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
EDITIONS = {"2004 4th Edition": "4th", "2004 3rd Edition": "3rd", "CAM 1.3": "2nd"}


def detect(root: etree._Element, report: Report, descriptor: str) -> str | None:
    """'scorm12' or 'scorm2004' (with report.edition set), from the manifest's namespace and schemaversion."""
    ns = etree.QName(root).namespace
    version = (root.findtext(f"{{{ns}}}metadata/{{{ns}}}schemaversion") or "").strip()
    if ns == CP12:
        if version and version != "1.2":
            report.warning("schemaversion", f"schemaversion is '{version}' in a SCORM 1.2 manifest; LMSs expect '1.2'",
                           file=descriptor)
        return "scorm12"
    if ns == CP2004:
        report.edition = EDITIONS.get(version)
        if report.edition is None:
            report.edition = "4th"
            report.warning("schemaversion", f"schemaversion '{version}' names no SCORM 2004 edition "
                           "('2004 4th Edition', '2004 3rd Edition' or 'CAM 1.3'); checked as 4th Edition",
                           file=descriptor)
        return "scorm2004"
    return None


def schema_set(report: Report, descriptor: str) -> str:
    if report.standard == "scorm12":
        return "scorm12"
    if report.edition == "2nd":
        report.info("schemas-2nd", "SCORM 2004 2nd Edition is checked against the 3rd Edition schemas, its "
                    "closest official set", file=descriptor)
    return "scorm2004_3rd" if report.edition in ("2nd", "3rd") else "scorm2004_4th"


def validate_schema(data: bytes, report: Report, descriptor: str) -> None:
    schema_findings(xsd.validate(data, schema_set(report, descriptor)), report, descriptor)


def _ns(report: Report) -> tuple[str, str, str]:
    if report.standard == "scorm12":
        return CP12, ADLCP12, "scormtype"
    return CP2004, ADLCP2004, "scormType"


def check(root: etree._Element, package: Package, descriptor: str, report: Report) -> set[str]:
    """Rules the schemas cannot express. Returns every package path the manifest references."""
    cp, adlcp, type_attr = _ns(report)
    base = posixpath.dirname(descriptor)
    referenced: set[str] = set()
    ids: dict[str, int] = {}
    for element in root.iter():
        ident = element.get("identifier")
        if ident is not None and local(element) in ("manifest", "organization", "item", "resource"):
            if ident in ids:
                report.error("duplicate-id", f"identifier '{ident}' is used twice (first on line {ids[ident]}): "
                             "LMSs keep one and lose the other", file=descriptor, line=element.sourceline)
            ids.setdefault(ident, element.sourceline or 0)
            if "." in ident or " " in ident:
                report.warning("id-chars", f"identifier '{ident}' has a period or space, which some LMSs reject",
                               file=descriptor, line=element.sourceline)

    resources_el = root.find(f"{{{cp}}}resources")
    resources: dict[str, etree._Element] = {}
    resources_base = _rebase(base, resources_el)
    for resource in root.iter(f"{{{cp}}}resource"):
        if resource.get("identifier"):
            resources[resource.get("identifier")] = resource
        res_base = _rebase(resources_base, resource)
        for file_el in resource.findall(f"{{{cp}}}file"):
            target = normalise(res_base, file_el.get("href", ""))
            if target is None:
                continue
            referenced.add(target)
            if not package.exists(target):
                report.error("missing-file", f"the manifest lists '{file_el.get('href')}', which is not in the package",
                             file=descriptor, line=file_el.sourceline, path=resource.get("identifier"))
        href = resource.get("href")
        if href:
            target = normalise(res_base, href)
            if target is not None:
                referenced.add(target)
                if not package.exists(target):
                    report.error("missing-launch", f"resource '{resource.get('identifier')}' launches '{href}', which "
                                 "is not in the package", file=descriptor, line=resource.sourceline)
        for dependency in resource.findall(f"{{{cp}}}dependency"):
            if dependency.get("identifierref") not in resources and dependency.get("identifierref") not in {
                    r.get("identifier") for r in root.iter(f"{{{cp}}}resource")}:
                report.error("bad-reference", f"dependency '{dependency.get('identifierref')}' names no resource",
                             file=descriptor, line=dependency.sourceline)

    organizations = root.find(f"{{{cp}}}organizations")
    orgs = {o.get("identifier"): o for o in root.iter(f"{{{cp}}}organization")}
    if organizations is not None:
        default = organizations.get("default")
        if default and default not in orgs:
            report.error("bad-reference", f"the default organization '{default}' does not exist",
                         file=descriptor, line=organizations.sourceline)
        if not orgs:
            report.error("no-organization", "the manifest has no organization: an LMS has nothing to show",
                         file=descriptor, line=organizations.sourceline)
    for item in root.iter(f"{{{cp}}}item"):
        ref = item.get("identifierref")
        children = item.findall(f"{{{cp}}}item")
        if ref is None and not children:
            report.error("empty-item", f"item '{item.get('identifier')}' has neither a resource nor child items",
                         file=descriptor, line=item.sourceline)
        if ref is not None:
            resource = resources.get(ref)
            if resource is None:
                report.error("bad-reference", f"item '{item.get('identifier')}' points to resource '{ref}', which "
                             "does not exist", file=descriptor, line=item.sourceline)
            elif not resource.get("href"):
                report.error("missing-launch", f"item '{item.get('identifier')}' launches resource '{ref}', which has "
                             "no href", file=descriptor, line=item.sourceline)
        mastery = item.find(f"{{{ADLCP12}}}masteryscore")
        if mastery is not None and not number_in(mastery.text, 0, 100):
            report.error("mastery-range", f"masteryscore '{(mastery.text or '').strip()}' is not a number from 0 to 100",
                         file=descriptor, line=mastery.sourceline)
        _check_sequencing(item, report, descriptor)
    return referenced


def _rebase(base: str, element: etree._Element | None) -> str:
    """The folder hrefs below ``element`` are relative to: its xml:base applied to ``base``."""
    extra = element.get(XML_BASE) if element is not None else None
    return (normalise(base, extra) or base) if extra else base


def _check_sequencing(item: etree._Element, report: Report, descriptor: str) -> None:
    sequencing = item.find(f"{{{IMSSS}}}sequencing")
    if sequencing is None:
        return
    declared = {o.get("objectiveID") for o in sequencing.iter(f"{{{IMSSS}}}primaryObjective", f"{{{IMSSS}}}objective")}
    for condition in sequencing.iter(f"{{{IMSSS}}}ruleCondition"):
        ref = condition.get("referencedObjective")
        if ref and ref not in declared:
            report.error("bad-objective", f"a sequencing rule of item '{item.get('identifier')}' reads objective "
                         f"'{ref}', which the item does not declare", file=descriptor, line=condition.sourceline)
    for measure in sequencing.iter(f"{{{IMSSS}}}minNormalizedMeasure"):
        if not number_in(measure.text, -1, 1):
            report.error("mastery-range", f"minNormalizedMeasure '{measure.text}' is outside -1 to 1",
                         file=descriptor, line=measure.sourceline)


def schema_locations(root: etree._Element, package: Package, descriptor: str, report: Report) -> set[str]:
    """Schema files the manifest names: shipping them is customary, not required."""
    base = posixpath.dirname(descriptor)
    named = set()
    location = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") or ""
    words = location.split()
    for href in words[1::2]:
        target = normalise(base, href)
        if target is None:
            continue
        named.add(target)
        if not package.exists(target):
            report.info("schema-not-shipped", f"the manifest names '{href}' in xsi:schemaLocation but does not ship "
                        "it; LMSs do not need it", file=descriptor)
    return named


def structure(root: etree._Element, report: Report) -> dict[str, Any]:
    """Organizations, items and resources, for `modpack info`."""
    cp, adlcp, type_attr = _ns(report)
    resources = {r.get("identifier"): r for r in root.iter(f"{{{cp}}}resource")}

    def item_info(item: etree._Element) -> dict[str, Any]:
        ref = item.get("identifierref")
        resource = resources.get(ref) if ref else None
        data: dict[str, Any] = {"identifier": item.get("identifier"), "title": (item.findtext(f"{{{cp}}}title") or "").strip()}
        if resource is not None:
            data["launch"] = (resource.get("href") or "") + (item.get("parameters") or "")
            data["type"] = resource.get(f"{{{adlcp}}}{type_attr}") or resource.get(f"{{{adlcp}}}{type_attr.lower()}")
        mastery = item.findtext(f"{{{ADLCP12}}}masteryscore")
        if mastery:
            data["mastery_score"] = mastery.strip()
        measure = item.find(f".//{{{IMSSS}}}primaryObjective/{{{IMSSS}}}minNormalizedMeasure")
        if measure is not None:
            data["mastery_score"] = measure.text
        children = [item_info(c) for c in item.findall(f"{{{cp}}}item")]
        if children:
            data["items"] = children
        return data

    organizations = []
    for org in root.iter(f"{{{cp}}}organization"):
        organizations.append({"identifier": org.get("identifier"), "title": (org.findtext(f"{{{cp}}}title") or "").strip(),
                              "items": [item_info(i) for i in org.findall(f"{{{cp}}}item")]})
    kinds = [r.get(f"{{{adlcp}}}{type_attr}") or r.get(f"{{{adlcp}}}{type_attr.lower()}") for r in resources.values()]
    title = None
    for element in root.iter():
        if local(element) == "title" and etree.QName(element).namespace not in (cp,):
            title = next((text.strip() for text in element.itertext() if text.strip()), None)
            break
    return {
        "identifier": root.get("identifier"),
        "version": root.get("version"),
        "title": title or (organizations[0]["title"] if organizations else None),
        "organizations": organizations,
        "scos": kinds.count("sco"),
        "assets": kinds.count("asset"),
        "resources": len(resources),
    }


