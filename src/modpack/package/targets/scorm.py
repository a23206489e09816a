"""What SCORM 1.2 and 2004 manifests share: the resources and the identifiers."""

from __future__ import annotations

from typing import Any

from lxml import etree

from ...model import Module
from ..names import ncname
from ..structure import Unit
from ...xmltree import sub


def manifest_id(module: Module) -> str:
    # Stable across versions, so an LMS re-importing a revision updates the same course.
    return ncname("MANIFEST", module.id)


def item_id(unit: Unit) -> str:
    return ncname("ITEM", unit.key)


def resource_id(unit: Unit) -> str:
    return ncname("RES", unit.key)


SHARED_RESOURCE = "RES-shared"


def add_resources(manifest: etree._Element, cp: str, adlcp: str, scorm_type_attr: str,
                  units: list[Unit], files: dict[str, Any]) -> None:
    """One resource per SCO (its launch page) depending on one shared asset resource."""
    resources = sub(manifest, cp, "resources")
    launches = {unit.launch for unit in units}
    for unit in units:
        resource = sub(resources, cp, "resource", identifier=resource_id(unit), type="webcontent", href=unit.launch)
        resource.set(f"{{{adlcp}}}{scorm_type_attr}", "sco")
        sub(resource, cp, "file", href=unit.launch)
        sub(resource, cp, "dependency", identifierref=SHARED_RESOURCE)
    shared = sub(resources, cp, "resource", identifier=SHARED_RESOURCE, type="webcontent")
    shared.set(f"{{{adlcp}}}{scorm_type_attr}", "asset")
    for name in sorted(files):
        if name not in launches and not name.endswith((".xsd", ".dtd")) and name != "imsmanifest.xml":
            sub(shared, cp, "file", href=name)
