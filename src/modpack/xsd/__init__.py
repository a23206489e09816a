"""Validating manifests against the official schemas that ship inside the packages.

libxml2 ignores ``xsi:schemaLocation`` when validating with a compiled schema, so each
standard gets a small wrapper schema that imports every namespace a manifest mixes (CP, ADL
CP/Seq/Nav, IMS SS, LOM) from its file here. Every import resolves inside ``modpack/xsd``:
nothing is fetched from the network. Two SCORM 1.2 files that current libxml2 rejects are
corrected in memory only; packages ship them unchanged.

Shared by packaging (every manifest modpack writes is checked) and by ``modpack.checker``
(every package it judges). May import: ``modpack.definition.files`` (to ship the schema files as
approved files) and ``modpack.xmltree``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..xmltree import parser

if TYPE_CHECKING:
    from ..definition.files import ModuleFile

XSD_ROOT = Path(__file__).parent


@dataclass(frozen=True)
class SchemaSet:
    folder: str
    imports: tuple[tuple[str, str], ...]  # (namespace, file)
    package_files: tuple[str, ...]  # what a package of this standard ships at its root


# 3rd and 4th Edition name the same namespaces and files; the files differ (see PROVENANCE.md).
_SCORM2004_IMPORTS = (
    ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
    ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
    ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
    ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
    ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
    ("http://ltsc.ieee.org/xsd/LOM", "lom.xsd"),
)

SCHEMA_SETS = {
    "scorm12": SchemaSet(
        "scorm12",
        (
            ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
            ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
            ("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "imsmd_rootv1p2p1.xsd"),
        ),
        ("adlcp_rootv1p2.xsd", "ims_xml.xsd", "imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd"),
    ),
    "scorm2004_4th": SchemaSet(
        "scorm2004_4th",
        _SCORM2004_IMPORTS,
        (),  # every file of the folder (see package_schema_files)
    ),
    "scorm2004_3rd": SchemaSet(
        "scorm2004_3rd",
        _SCORM2004_IMPORTS,
        (),
    ),
    "cmi5": SchemaSet("cmi5", (("https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd", "CourseStructure.xsd"),), ()),
    "tincan": SchemaSet("tincan", (("http://projecttincan.com/tincan.xsd", "tincan.xsd"),), ()),
}


def _corrected(folder: str, name: str, data: bytes) -> bytes:
    """The two SCORM 1.2 defects, fixed for compiling only (see xsd/PROVENANCE.md)."""
    if folder == "scorm12" and name == "ims_xml.xsd":
        # binds the reserved xml namespace as the default namespace, which libxml2 refuses
        return data.replace(b'xmlns="http://www.w3.org/XML/1998/namespace"', b"", 1)
    if folder == "scorm12" and name == "imsmd_rootv1p2p1.xsd":
        # an ##any wildcard after elements of the same namespace is non-deterministic
        return re.sub(rb'<xsd:any namespace="##any"', b'<xsd:any namespace="##other"', data)
    return data


class _LocalOnly(etree.Resolver):
    """Serves schema files from the folder (corrected where needed) and refuses anything else."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder.resolve()

    def resolve(self, url: Any, pubid: Any, context: Any) -> Any:  # type: ignore[override]  # lxml's hook
        path = Path(re.sub(r"^file://", "", url or ""))
        candidates = [path, self.folder / path.name] if path.is_absolute() else [self.folder / path]
        for candidate in candidates:
            try:
                candidate = candidate.resolve()
                candidate.relative_to(XSD_ROOT.resolve())
            except (ValueError, OSError):
                continue
            if candidate.is_file():
                data = _corrected(candidate.parent.name, candidate.name, candidate.read_bytes())
                return self.resolve_string(data, context, base_url=str(candidate))
        raise etree.XMLSchemaParseError(f"schema file not available offline: {url}")


# libxml2 resolves a schema's imports through process-wide hooks: two threads compiling at
# once can each get the other's (uncorrected) file, so compiling and validating take turns.
_LOCK = threading.RLock()


def schema(standard: str) -> etree.XMLSchema:
    """The compiled wrapper schema of a standard ('scorm12', 'scorm2004_4th', ...)."""
    with _LOCK:
        return _compile(standard)


@lru_cache(maxsize=None)
def _compile(standard: str) -> etree.XMLSchema:
    schema_set = SCHEMA_SETS[standard]
    folder = XSD_ROOT / schema_set.folder
    imports = "".join(
        f'<xs:import namespace="{namespace}" schemaLocation="{file}"/>' for namespace, file in schema_set.imports
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    local = parser()
    local.resolvers.add(_LocalOnly(folder))
    root = etree.fromstring(wrapper.encode(), local, base_url=str(folder / "modpack-wrapper.xsd"))
    return etree.XMLSchema(root)


def validate(xml: bytes, standard: str) -> list[str]:
    """Every schema error in ``xml``, as 'line N: message'; empty when it is valid."""
    try:
        document = etree.fromstring(xml, parser())
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: {exc.msg}"]
    with _LOCK:
        compiled = schema(standard)
        if compiled.validate(document):
            return []
        log: Any = compiled.error_log  # iterable at run time; lxml-stubs do not say so
        return [f"line {e.line}: {e.message}" for e in log]


@lru_cache(maxsize=None)
def package_schema_files(standard: str) -> tuple[tuple[str, ModuleFile], ...]:
    """(name in the package, file) for the schema files a package of ``standard`` ships at its root."""
    schema_set = SCHEMA_SETS[standard]
    folder = XSD_ROOT / schema_set.folder
    if schema_set.package_files:
        names = list(schema_set.package_files)
    else:
        names = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    from ..definition.files import own_file  # (a build's: check, which ships nothing, never imports it)

    return tuple((name, own_file(f"xsd/{schema_set.folder}/{name}")) for name in names)
