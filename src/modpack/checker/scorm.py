"""SCORM 1.2 and 2004 (2nd, 3rd, 4th Edition): the manifest against its schemas, and what schemas miss."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import unquote

from lxml import etree

from .. import xsd
from ..xmltree import line as line_of
from .reader import Package, climbs_out, normalise, unplayable_launch
from .report import Report, number_in, schema_findings
from .xmlsafe import local
from ..messages import t

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
            report.warning("schemaversion", t("schemaversion is '{version}' in a SCORM 1.2 manifest; LMSs expect "
                                              "'1.2'", version=version),
                           file=descriptor)
        return "scorm12"
    if ns == CP2004:
        report.edition = EDITIONS.get(version)
        if report.edition is None:
            report.edition = "4th"
            report.warning("schemaversion", t("schemaversion '{version}' names no SCORM 2004 edition ('2004 4th "
                                              "Edition', '2004 3rd Edition' or 'CAM 1.3'); checked as 4th Edition",
                                              version=version),
                           file=descriptor)
        return "scorm2004"
    return None


def schema_set(report: Report, descriptor: str) -> str:
    if report.standard == "scorm12":
        return "scorm12"
    if report.edition == "2nd":
        report.info("schemas-2nd", t("SCORM 2004 2nd Edition is checked against the 3rd Edition schemas, its "
                                     "closest official set"), file=descriptor)
    return "scorm2004_3rd" if report.edition in ("2nd", "3rd") else "scorm2004_4th"


def validate_schema(data: bytes, report: Report, descriptor: str) -> None:
    schema_findings(xsd.validate(data, schema_set(report, descriptor)), report, descriptor)


def _ns(standard: str | None) -> tuple[str, str, str]:
    if standard == "scorm12":
        return CP12, ADLCP12, "scormtype"
    return CP2004, ADLCP2004, "scormType"


# -- the one reader of a manifest: check, info and preview all read it through this ------------


@dataclass
class Resource:
    identifier: str | None
    href: str | None  # as written
    launch: str | None  # the package path it launches, after xml:base; None for a URL or no href
    kind: str | None  # sco or asset
    files: list[tuple[str, str | None, int | None]]  # (href as written, package path, line)
    dependencies: list[tuple[str | None, int | None]]  # (identifierref, line)
    line: int | None
    base: str = ""  # the folder its hrefs are relative to (xml:base applied)
    kind_elsewhere: str | None = None  # a scormType attribute in a namespace other than the edition's


@dataclass
class Item:
    identifier: str | None
    title: str
    identifierref: str | None
    parameters: str
    line: int | None
    element: etree._Element  # for the sequencing rules, which read it as XML
    children: list["Item"] = field(default_factory=list)

    def walk(self) -> Iterator["Item"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Organization:
    identifier: str | None
    title: str
    items: list[Item]
    line: int | None


@dataclass
class Manifest:
    """What a SCORM manifest says, read once for every use of it."""

    standard: str  # scorm12 or scorm2004
    identifier: str | None
    version: str | None
    title: str | None  # from the metadata, else the first organization's
    organizations: list[Organization]
    default: str | None  # the organizations' default attribute
    organizations_line: int | None
    has_organizations: bool
    resources: dict[str, Resource]  # by identifier, the first of each
    all_resources: list[Resource]

    def items(self) -> Iterator[Item]:
        for organization in self.organizations:
            for item in organization.items:
                yield from item.walk()

    def launchable(self) -> list[tuple[Item, Resource]]:
        """Items that launch a resource with an href, in order: what an LMS lists to the learner."""
        found = []
        for item in self.items():
            resource = self.resources.get(item.identifierref or "")
            if resource is not None and resource.href:
                found.append((item, resource))
        return found


_ODD_ID = re.compile(r"[^A-Za-z0-9_.:\-]")


def ident(value: str | None) -> str | None:
    """An identifier or reference as LMSs match it: whitespace collapsed, as XML Schema does for ID
    and IDREF values (XSD Part 2 §4.3.6, 'collapse'), then %-escapes decoded, as ADL's SCORM 2004
    reference run-time does before it matches a reference ("item%201" names "item 1")."""
    if value is None:
        return None
    return unquote(" ".join(value.split()))


def _text(element: etree._Element | None, cp: str) -> str:
    return (element.findtext(f"{{{cp}}}title") or "").strip() if element is not None else ""


def read_manifest(root: etree._Element, standard: str, descriptor: str = "imsmanifest.xml") -> Manifest:
    """The manifest's organizations, items and resources; never raises for a strange one."""
    cp, adlcp, type_attr = _ns(standard)
    base = posixpath.dirname(descriptor)
    resources_base = _rebase(base, root.find(f"{{{cp}}}resources"))
    all_resources = []
    by_id: dict[str, Resource] = {}
    for element in root.iter(f"{{{cp}}}resource"):
        res_base = _rebase(resources_base, element)
        href = element.get("href")
        files = [(f.get("href", ""), normalise(res_base, f.get("href", "")), line_of(f))
                 for f in element.findall(f"{{{cp}}}file")]
        kind = element.get(f"{{{adlcp}}}{type_attr}") or element.get(f"{{{adlcp}}}{type_attr.lower()}")
        names = [str(name) for name in element.attrib]
        elsewhere = None if kind else next((name.split("}")[0].lstrip("{") if "}" in name else t("no namespace")
                                            for name in names if name.split("}")[-1].lower() == "scormtype"), None)
        resource = Resource(ident(element.get("identifier")), href, normalise(res_base, href) if href else None,
                            kind, files, [(ident(d.get("identifierref")), line_of(d))
                                          for d in element.findall(f"{{{cp}}}dependency")], line_of(element), res_base,
                            elsewhere)
        all_resources.append(resource)
        if resource.identifier is not None:
            by_id.setdefault(resource.identifier, resource)

    def item(element: etree._Element) -> Item:
        return Item(ident(element.get("identifier")), _text(element, cp), ident(element.get("identifierref")),
                    element.get("parameters") or "", line_of(element), element,
                    [item(child) for child in element.findall(f"{{{cp}}}item")])

    organizations_el = root.find(f"{{{cp}}}organizations")
    organizations = [Organization(ident(o.get("identifier")), _text(o, cp), [item(i) for i in o.findall(f"{{{cp}}}item")],
                                  line_of(o)) for o in root.iter(f"{{{cp}}}organization")]
    title: str | None = None
    for element in root.iter():
        if local(element) == "title" and etree.QName(element).namespace not in (cp,):
            title = next((str(text).strip() for text in element.itertext() if str(text).strip()), None)
            break
    version = root.get("version")
    return Manifest(standard, root.get("identifier"), str(version) if version else None,
                    title or (organizations[0].title if organizations else None), organizations,
                    ident(organizations_el.get("default")) if organizations_el is not None else None,
                    line_of(organizations_el) if organizations_el is not None else None,
                    organizations_el is not None, by_id, all_resources)


# -- the rules ----------------------------------------------------------------------------------


def check(root: etree._Element, package: Package, descriptor: str, report: Report) -> set[str]:
    """Rules the schemas cannot express. Returns every package path the manifest references."""
    manifest = read_manifest(root, report.standard or "scorm2004", descriptor)
    referenced: set[str] = set()
    collection = _collection(root)
    ids: dict[str, int] = {}
    for element in root.iter():
        identifier = ident(element.get("identifier"))
        if identifier is not None and local(element) in ("manifest", "organization", "item", "resource"):
            if identifier in ids:
                report.error("duplicate-id", t("identifier '{identifier}' is used twice (first on line {line}): "
                                               "LMSs keep one and lose the other",
                                               identifier=identifier, line=ids[identifier]), file=descriptor,
                             line=line_of(element))
            ids.setdefault(identifier, line_of(element) or 0)
            odd = _ODD_ID.search(identifier)
            if odd:
                # periods, hyphens and colons (reverse-DNS ids) are fine everywhere; what is not letters,
                # digits or those ends up in URLs and file names some LMSs build from it
                report.info("id-chars", t("identifier '{identifier}' holds '{value}': LMSs that build URLs or file "
                                          "names from identifiers may mangle it (letters, digits, '_', '-', '.' "
                                          "and ':' are safe)", identifier=identifier, value=odd.group()), file=descriptor, line=line_of(element))

    for resource in manifest.all_resources:
        for href, target, line in resource.files:
            if target is None:
                continue
            if (".." in href or ".." in resource.base) and climbs_out(resource.base, href):  # (cheap test first)
                report.error("outside-package", t("the manifest lists '{href}', which climbs out of the package "
                                                  "with '..': an LMS serves only the package's own files", href=href), file=descriptor, line=line,
                             path=resource.identifier)
                continue
            referenced.add(target)
            if package.missing(target):
                report.error("missing-file", t("the manifest lists '{href}', which is not in the package", href=href),
                             file=descriptor, line=line, path=resource.identifier)
        if resource.href and unplayable_launch(report, t("resource '{id}'", id=resource.identifier), resource.href, descriptor,
                                               resource.line, resource.base):
            continue
        if resource.href and resource.launch is None and resource.kind == "sco" and \
                re.match(r"(?i)(?:https?:)?//", resource.href.strip()):
            # the run-time API is found in the LMS's window: a page of another site may not reach it
            report.warning("sco-elsewhere", t("SCO '{identifier}' launches '{href}', a page of another site: "
                                              "browsers keep it from the LMS's SCORM API, so nothing is tracked",
                                              identifier=resource.identifier, href=resource.href),
                           file=descriptor, line=resource.line)
        if resource.launch is not None:
            referenced.add(resource.launch)
            if package.missing(resource.launch):
                report.error("missing-launch", t("resource '{identifier}' launches '{href}', which is not in the "
                                                 "package", identifier=resource.identifier, href=resource.href), file=descriptor, line=resource.line)
        for ref, line in resource.dependencies:
            if ref not in manifest.resources:
                report.error("bad-reference", t("dependency '{ref}' names no resource", ref=ref), file=descriptor, line=line)

    if manifest.has_organizations:
        orgs = {o.identifier for o in manifest.organizations}
        if manifest.default and manifest.default not in orgs:
            # an error by the schema (IMS CP 1.1.4 §6.1: default is an IDREF to an organization); the
            # LMSs we know then show the first organization, which may not be the one meant
            report.error("bad-reference", t("the default organization '{default}' does not exist (LMSs fall back "
                                            "to the first organization, which may not be the one meant)",
                                            default=manifest.default),
                         file=descriptor, line=manifest.organizations_line)
        if not manifest.organizations:
            report.error("no-organization", t("the manifest has no organization: an LMS has nothing to show"),
                         file=descriptor, line=manifest.organizations_line)
    for location in root.iter(f"{{{ADLCP12}}}location", f"{{{ADLCP2004}}}location"):
        # metadata kept in a file of its own (SCORM CAM: adlcp:location): LMSs do not read it
        href = (location.text or "").strip()
        target = normalise(posixpath.dirname(descriptor), href) if href else None
        if target is not None:
            referenced.add(target)
            if package.missing(target):
                report.warning("missing-metadata", t("adlcp:location names '{href}', which is not in the package "
                                                     "(LMSs do not read metadata files, but the package is "
                                                     "incomplete)", href=href), file=descriptor,
                               line=line_of(location))
    _, adlcp, type_attr = _ns(report.standard)
    launched_kinds = []
    for item in manifest.items():
        opened = manifest.resources.get(item.identifierref) if item.identifierref else None
        if opened is not None and opened.href:
            launched_kinds.append(opened.kind)
            if opened.kind is None:
                where = t(" (it has one in {found}, not in {wanted})", found=opened.kind_elsewhere,
                          wanted=adlcp) if opened.kind_elsewhere else ""
                report.warning("no-scormtype", t("resource '{identifier}', launched by item '{identifier2}', has "
                                                 "no adlcp:{type_attr}{where}: LMSs launch it as an asset and "
                                                 "track nothing",
                                                 identifier=opened.identifier, identifier2=item.identifier, type_attr=type_attr, where=where), file=descriptor, line=opened.line)
    if launched_kinds and all(kind in (None, "asset") for kind in launched_kinds):  # (another value: a schema error)
        report.warning("no-sco", t("no item launches a SCO: an LMS shows the content but records no completion and "
                                   "no score"), file=descriptor)
    for item in manifest.items():
        if item.identifierref is None and not item.children:
            report.error("empty-item", t("item '{identifier}' has neither a resource nor child items",
                                         identifier=item.identifier),
                         file=descriptor, line=item.line)
        if item.identifierref is not None:
            launched = manifest.resources.get(item.identifierref)
            if launched is None:
                report.error("bad-reference", t("item '{identifier}' points to resource '{identifierref}', which "
                                                "does not exist",
                                                identifier=item.identifier, identifierref=item.identifierref), file=descriptor, line=item.line)
            elif not launched.href:
                report.error("missing-launch", t("item '{identifier}' launches resource '{identifierref}', which "
                                                 "has no href",
                                                 identifier=item.identifier, identifierref=item.identifierref), file=descriptor, line=item.line)
        mastery = item.element.find(f"{{{ADLCP12}}}masteryscore")
        if mastery is not None and not number_in(mastery.text, 0, 100):
            report.error("mastery-range", t("masteryscore '{value}' is not a number from 0 to 100",
                                            value=(mastery.text or '').strip()),
                         file=descriptor, line=line_of(mastery))
        _check_sequencing(item.element, report, descriptor, collection)
    return referenced


def _rebase(base: str, element: etree._Element | None) -> str:
    """The folder hrefs below ``element`` are relative to: its xml:base applied to ``base``."""
    extra = element.get(XML_BASE) if element is not None else None
    return (normalise(base, extra) or base) if extra else base


def _collection(root: etree._Element) -> dict[str, etree._Element]:
    """The sequencing sets of imsss:sequencingCollection by their ID (SCORM 2004 CAM 5.1.2)."""
    found: dict[str, etree._Element] = {}
    for collection in root.iter(f"{{{IMSSS}}}sequencingCollection"):
        for sequencing in collection.findall(f"{{{IMSSS}}}sequencing"):
            key = ident(sequencing.get("ID"))
            if key is not None:
                found.setdefault(key, sequencing)
    return found


def _check_sequencing(item: etree._Element, report: Report, descriptor: str,
                      collection: dict[str, etree._Element]) -> None:
    sequencing = item.find(f"{{{IMSSS}}}sequencing")
    if sequencing is None:
        return
    # what an item takes from the collection (IDRef) is its own: its objectives count for its rules
    # (SCORM 2004 CAM 5.1.2: the item's own elements override, the rest come from the shared set)
    sets = [sequencing]
    shared_ref = ident(sequencing.get("IDRef"))
    if shared_ref:
        shared = collection.get(shared_ref)
        if shared is None:
            report.error("bad-reference", t("the sequencing of item '{value}' refers to '{shared_ref}', which no "
                                            "imsss:sequencingCollection holds",
                                            value=item.get('identifier'), shared_ref=shared_ref), file=descriptor,
                         line=line_of(sequencing))
        else:
            sets.append(shared)
    declared = {ident(o.get("objectiveID")) for s in sets
                for o in s.iter(f"{{{IMSSS}}}primaryObjective", f"{{{IMSSS}}}objective")}
    for condition in sequencing.iter(f"{{{IMSSS}}}ruleCondition"):
        ref = ident(condition.get("referencedObjective"))
        if ref and ref not in declared:
            report.error("bad-objective", t("a sequencing rule of item '{value}' reads objective '{ref}', which "
                                            "the item does not declare", value=item.get('identifier'), ref=ref), file=descriptor, line=line_of(condition))
    for measure in sequencing.iter(f"{{{IMSSS}}}minNormalizedMeasure"):
        if not number_in(measure.text, -1, 1):
            report.error("mastery-range", t("minNormalizedMeasure '{text}' is outside -1 to 1", text=measure.text),
                         file=descriptor, line=line_of(measure))


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
        if package.missing(target):
            report.info("schema-not-shipped", t("the manifest names '{href}' in xsi:schemaLocation but does not "
                                                "ship it; LMSs do not need it", href=href), file=descriptor)
    return named


def structure(root: etree._Element, report: Report) -> dict[str, Any]:
    """Organizations, items and resources, for `modpack info`."""
    manifest = read_manifest(root, report.standard or "scorm2004")

    def item_info(item: Item) -> dict[str, Any]:
        resource = manifest.resources.get(item.identifierref) if item.identifierref else None
        data: dict[str, Any] = {"identifier": item.identifier, "title": item.title}
        if resource is not None:
            data["launch"] = (resource.href or "") + item.parameters
            data["type"] = resource.kind
        mastery = item.element.findtext(f"{{{ADLCP12}}}masteryscore")
        if mastery:
            data["mastery_score"] = mastery.strip()
        measure = item.element.find(f".//{{{IMSSS}}}primaryObjective/{{{IMSSS}}}minNormalizedMeasure")
        if measure is not None:
            data["mastery_score"] = measure.text
        if item.children:
            data["items"] = [item_info(c) for c in item.children]
        return data

    kinds = [r.kind for r in manifest.resources.values()]
    return {
        "identifier": manifest.identifier,
        "version": manifest.version,
        "title": manifest.title,
        "organizations": [{"identifier": o.identifier, "title": o.title, "items": [item_info(i) for i in o.items]}
                          for o in manifest.organizations],
        "scos": kinds.count("sco"),
        "assets": kinds.count("asset"),
        "resources": len(manifest.resources),
    }
