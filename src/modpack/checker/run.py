"""Running every check on one package, and describing it for `modpack info`."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lxml import etree

from ..pictures import Budget
from ..weight import Weights, weigh
from . import cmi5, names, pictures, scorm, tincan
from .reader import LIMITS, Limits, Package, Unreadable
from .report import Report
from .xmlsafe import parse
from ..messages import t

DESCRIPTORS = {"imsmanifest.xml": "scorm", "cmi5.xml": "cmi5", "tincan.xml": "tincan"}


def _find_descriptor(package: Package, report: Report) -> tuple[str, str] | None:
    """(kind, path) of the package's descriptor; a misplaced or misnamed one is an error but still read."""
    for name, kind in DESCRIPTORS.items():
        if package.exists(name):
            return kind, name
    for entry in package.names():
        base = posixpath.basename(entry)
        if base.lower() in DESCRIPTORS:
            kind = DESCRIPTORS[base.lower()]
            if "/" in entry:
                report.error("not-at-root", t("the package's {base} is inside '{value}/', not at the root: LMSs "
                                              "look for it at the root (zip the folder's contents, not the folder)",
                                              base=base, value=posixpath.dirname(entry)), file=entry)
            else:
                report.error("descriptor-case", t("the descriptor must be named '{value}' exactly; LMSs on Linux "
                                                  "will not find it", value=base.lower()), file=entry)
            return kind, entry
    return None


def _open(source: str | os.PathLike[str], limits: Limits) -> tuple[Report, Package | None]:
    path = Path(source)
    report = Report(str(source))
    if not path.exists():
        report.readable = False
        report.error("unreadable", t("no such file or folder"))
        return report, None
    try:
        return report, Package(path, report, limits)
    except Unreadable as exc:
        report.readable = False
        report.error("unreadable", t("cannot be read: {exc}", exc=exc))
        return report, None


def _inspect(source: str | os.PathLike[str], limits: Limits) -> tuple[Report, Package | None, Any, str | None]:
    report, package = _open(source, limits)
    if package is None:
        return report, None, None, None
    found = _find_descriptor(package, report)
    if found is None:
        report.error("unknown-package", t("no imsmanifest.xml, cmi5.xml or tincan.xml: this is not a SCORM, cmi5 "
                                          "or Tin Can package"))
        return report, package, None, None
    kind, descriptor = found
    root = parse(package, descriptor, report)
    if root is None:
        return report, package, None, descriptor
    if kind == "scorm":
        report.standard = scorm.detect(root, report, descriptor)
        if report.standard is None:
            report.error("unknown-package", t("imsmanifest.xml is not a SCORM 1.2 or 2004 manifest (its namespace "
                                              "is '{value}')", value=root.nsmap.get(None, '')), file=descriptor)
    else:
        report.standard = kind
    return report, package, root, descriptor


@dataclass
class Judged:
    """A package after every check, still open for reading (what `preview` serves from)."""

    report: Report
    package: Package | None
    root: etree._Element | None
    descriptor: str | None

    def close(self) -> None:
        if self.package is not None:
            self.package.close()

    def __enter__(self) -> "Judged":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def judge(source: str | os.PathLike[str], limits: Limits = LIMITS) -> Judged:
    """Every check on a package, which is left open; close it (or use ``with``). Never raises."""
    report, package, root, descriptor = _inspect(source, limits)
    if package is None:
        report.close()
        return Judged(report, None, None, None)
    try:
        # every entry inflated once, text scanned as it goes (in batches, in order: see CredentialScan),
        # pictures judged whole (no picture is a text: each goes to one of the two)
        scanner = names.CredentialScan(package, report, batch=package.is_zip)
        walks = Budget()  # the package's pictures share one budget of parts walked

        def scan(name: str, data: bytes) -> None:
            if pictures.is_picture(name):  # (a picture is handed here only when pictures.wanted it)
                pictures.judge(name, data, report, walks)
            else:
                scanner.scan(name, data)

        try:
            try:
                package.verify(scan, lambda entry: scanner.wanted(entry) or pictures.wanted(entry))
            except Unreadable:
                scanner.flush()  # what was read before the damage is judged, as one by one it was
                raise
            scanner.finish()
        finally:
            scanner.abandon()  # whatever stopped the check, its searching child is not left behind
        names.check_names(package, report)
        names.check_size(package, report)
        referenced: set[str] = set()
        if root is not None and report.standard is not None and descriptor is not None:
            data = package.read(descriptor, limits.max_descriptor_size)
            module = {"scorm12": scorm, "scorm2004": scorm, "cmi5": cmi5, "tincan": tincan}[report.standard]
            module.validate_schema(data, report, descriptor)
            referenced = module.check(root, package, descriptor, report)
            if module is scorm:
                referenced |= scorm.schema_locations(root, package, descriptor, report)
            _unreferenced(package, referenced, descriptor, report)
            if package.standalone and report.standard != "cmi5":
                report.info("descriptor-only", t("only the descriptor was given: the files it names are not "
                                                 "checked (check the zip or the folder for that)"), file=descriptor)
    except Unreadable as exc:
        report.readable = False
        report.error("unreadable", t("cannot be read: {exc}", exc=exc))
    if package.standalone and descriptor is not None:  # findings name the file as the user knows it
        given = Path(source).name
        report.findings = [replace(f, file=given) if f.file == descriptor else f for f in report.findings]
    report.close()
    return Judged(report, package, root, descriptor)


def check(source: str | os.PathLike[str], limits: Limits = LIMITS) -> Report:
    """Every finding about a package (a zip, a folder, or a descriptor file given alone: cmi5.xml,
    imsmanifest.xml, tincan.xml). Never raises for a bad package."""
    with judge(source, limits) as judged:
        return judged.report


def _unreferenced(package: Package, referenced: set[str], descriptor: str, report: Report) -> None:
    if report.standard not in ("scorm12", "scorm2004"):
        return  # cmi5 and Tin Can descriptors list launch files only; their other files are expected
    # one finding, not one per file: an Adapt or Storyline package lists its launch page only, and
    # 700 warnings buried what mattered. The LMSs we know (Moodle, SCORM Cloud) unpack every file.
    unlisted = [name for name in package.names()
                if name != descriptor and name not in referenced and not name.lower().endswith((".xsd", ".dtd"))]
    if unlisted:
        shown = ", ".join(f"'{name}'" for name in unlisted[:5]) + (t(" and {count} more", count=len(unlisted) - 5)
                                                                  if len(unlisted) > 5 else "")
        report.info("unreferenced", t("{count} file(s) listed by no resource of the manifest ({shown}): IMS CP "
                                      "expects every file listed, but the LMSs we know import them all the same",
                                      count=len(unlisted), shown=shown), file=descriptor)


def info(source: str | os.PathLike[str], limits: Limits = LIMITS) -> dict[str, Any]:
    """The structure of a package: organizations and items, or blocks and AUs; launch URLs; metadata;
    what a learner downloads to see each page ("download", see weight.py)."""
    return _described(source, limits)[0]


def weights(source: str | os.PathLike[str], limits: Limits = LIMITS) -> Weights | None:
    """What a learner downloads to see each page of a package (weight.py), or None if it cannot be read."""
    return _described(source, limits)[1]


def _described(source: str | os.PathLike[str], limits: Limits) -> tuple[dict[str, Any], Weights | None]:
    report, package, root, descriptor = _inspect(source, limits)
    out: dict[str, Any] = {"source": str(source), "standard": report.standard, "edition": report.edition,
                           "files": report.files, "size": report.size}
    weighed = None
    try:
        if root is not None:
            if report.standard in ("scorm12", "scorm2004"):
                out.update(scorm.structure(root, report))
            elif report.standard == "cmi5":
                out.update(cmi5.structure(root))
            elif report.standard == "tincan":
                out.update(tincan.structure(root))
        if package is not None and root is not None:
            weighed = _weights(package, _launches(out))
            out["download"] = weighed.to_dict()
    finally:
        if package is not None:
            package.close()
    out["problems"] = [f.to_dict() for f in report.errors]
    return out, weighed


def _weights(package: Package, launches: list[str]) -> Weights:
    def read(name: str, limit: int) -> bytes | None:
        try:
            return package.read(name, limit)
        except Unreadable:
            return None

    return weigh({name: entry.size for name, entry in package.entries.items()}, read, launches)


def _launches(structure: dict[str, Any]) -> list[str]:
    """Every launch page a structure names (SCO items, AUs, activities), in order."""
    found: list[str] = []

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            for key in ("launch", "url"):
                if isinstance(node.get(key), str):
                    found.append(node[key].split("?")[0].split("#")[0])
            walk(node.get("items") or node.get("children") or [])

    for org in structure.get("organizations", []):
        walk(org.get("items", []))
    walk(structure.get("children", []))
    walk(structure.get("activities", []))
    return found

