"""SCORM 1.2: IMS CP 1.1.2 + ADL CP 1.2 manifest with IMS MD 1.2 metadata."""

from __future__ import annotations

from lxml import etree

from ..content import PackageContent
from ...model import Module
from ..structure import units as plan_units
from ...xmltree import XML_NS, XSI, root_element, iso_duration, sub, to_bytes
from . import PackagePlan, package_files
from .lom import contributors
from .scorm import add_resources, item_id, manifest_id, resource_id

STANDARD = "scorm12"
CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
SCHEMA_LOCATION = (
    f"{CP} imscp_rootv1p1p2.xsd {MD} imsmd_rootv1p2p1.xsd {ADLCP} adlcp_rootv1p2.xsd"
)


def _langstrings(parent: etree._Element, values: dict[str, str]) -> None:
    for lang, text in values.items():
        sub(parent, MD, "langstring", text, **{f"{{{XML_NS}}}lang": lang})


def _metadata(parent: etree._Element, module: Module) -> None:
    metadata = sub(parent, CP, "metadata")
    sub(metadata, CP, "schema", "ADL SCORM")
    sub(metadata, CP, "schemaversion", "1.2")
    lom = sub(metadata, MD, "lom")
    general = sub(lom, MD, "general")
    sub(general, MD, "identifier", module.iri)
    _langstrings(sub(general, MD, "title"), module.title)
    for lang in module.languages:
        sub(general, MD, "language", lang)
    if module.description:
        _langstrings(sub(general, MD, "description"), module.description)
    for lang, words in module.keywords.items():
        for word in words:
            _langstrings(sub(general, MD, "keyword"), {lang: word})
    lifecycle = sub(lom, MD, "lifecycle")
    _langstrings(sub(lifecycle, MD, "version"), {"x-none": module.version})
    for role, card in contributors(module):  # IMS MD 1.2 writes LOM's vocabulary capitalised
        contribute = sub(lifecycle, MD, "contribute")
        role_element = sub(contribute, MD, "role")
        _langstrings(sub(role_element, MD, "source"), {"x-none": "LOMv1.0"})
        _langstrings(sub(role_element, MD, "value"), {"x-none": role.capitalize()})
        sub(sub(contribute, MD, "centity"), MD, "vcard", card)
    sub(sub(lom, MD, "metametadata"), MD, "metadatascheme", "ADL SCORM 1.2")
    technical = sub(lom, MD, "technical")
    sub(technical, MD, "format", "text/html")
    educational = sub(lom, MD, "educational")
    end_user = sub(educational, MD, "intendedenduserrole")
    _langstrings(sub(end_user, MD, "source"), {"x-none": "LOMv1.0"})
    _langstrings(sub(end_user, MD, "value"), {"x-none": "Learner"})
    sub(sub(educational, MD, "typicallearningtime"), MD, "datetime", iso_duration(module.workload.self_paced_minutes))
    if module.audience:
        _langstrings(sub(educational, MD, "description"),
                     {lang: "; ".join(groups) for lang, groups in module.audience.items() if groups})
    if module.licence:
        rights = sub(lom, MD, "rights")
        restrictions = sub(rights, MD, "copyrightandotherrestrictions")
        _langstrings(sub(restrictions, MD, "source"), {"x-none": "LOMv1.0"})
        _langstrings(sub(restrictions, MD, "value"), {"x-none": "yes"})
        _langstrings(sub(rights, MD, "description"), {"x-none": module.licence})


def plan(module: Module, content: PackageContent) -> PackagePlan:
    units = plan_units(module, per_lesson=module.delivery.scorm12.structure == "sco-per-lesson")
    files = package_files(content, units, STANDARD, "scorm12")
    nsmap = {None: CP, "adlcp": ADLCP, "imsmd": MD, "xsi": XSI}
    manifest = root_element(f"{{{CP}}}manifest", nsmap, identifier=manifest_id(module), version=module.version)
    manifest.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    _metadata(manifest, module)
    organizations = sub(manifest, CP, "organizations", default="ORG")
    organization = sub(organizations, CP, "organization", identifier="ORG")
    sub(organization, CP, "title", module.text(module.title))
    by_key = {unit.key: unit for unit in units}
    for unit in units:
        item = sub(organization, CP, "item", identifier=item_id(unit), identifierref=resource_id(unit), isvisible="true")
        sub(item, CP, "title", module.text(unit.title))
        if unit.requires:
            # AICC script: the post-test opens once every lesson SCO is completed (or passed)
            script = " & ".join(item_id(by_key[key]) for key in unit.requires)
            sub(item, ADLCP, "prerequisites", script, type="aicc_script")
        # Not when the unit's pages count too: an LMS judges lesson_status from the score alone
        # against it (Moodle at LMSFinish), so a learner who skipped the pages would pass. The
        # SCO's own passed/failed then stands, judged by the whole rule.
        pages_count = bool(unit.lessons) and "pages" in (module.completion.requires or ["pages"])  # (set on load)
        if unit.pass_mark is not None and module.completion.report == "passed-failed" and not pages_count:
            sub(item, ADLCP, "masteryscore", f"{unit.pass_mark:g}")
    add_resources(manifest, CP, ADLCP, "scormtype", units, files)
    files["imsmanifest.xml"] = to_bytes(manifest)
    return PackagePlan(module.id, module.version, STANDARD, "imsmanifest.xml", files)
