"""The package a preview serves: opened with the checker's safe reader and judged first.

A zip is judged as ``modpack check`` judges it (the same reader, the same limits) and refused
for what ``check`` refuses as unsafe (zip slip, links, a DTD, a bomb...). A module is built
first, then opened the same way. Files are streamed from the package, never unpacked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..checker import Judged, judge
from ..checker.cmi5 import Au, read_course
from ..checker.scorm import read_manifest
from ..definition.loader import load
from ..model import Course
from ..package.builder import build_package

# A value that goes into an HTTP header (a Location) or a URL: no control characters at all.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class PackageRefused(ValueError):
    """The package cannot be previewed; ``findings`` says why, as ``check`` would."""

    def __init__(self, message: str, findings: list[str] | None = None):
        super().__init__(message + ("".join(f"\n  {f}" for f in findings) if findings else ""))
        self.findings = findings or []


@dataclass
class Sco:
    key: str
    title: str
    url: str


@dataclass
class Served:
    """A judged package, open for reading, and what a learner can launch from it."""

    judged: Judged
    standard: str  # cmi5, scorm12 or scorm2004
    course_id: str
    aus: list[Au]
    scos: list[Sco]

    @property
    def units(self) -> list[Au] | list[Sco]:
        return self.aus if self.standard == "cmi5" else self.scos

    def has(self, name: str) -> bool:
        package = self.judged.package
        return package is not None and package.exists(name)

    def size(self, name: str) -> int:
        assert self.judged.package is not None
        return self.judged.package.entries[name].size

    def stream(self, name: str):  # type: ignore[no-untyped-def]
        assert self.judged.package is not None
        return self.judged.package.stream(name)

    def close(self) -> None:
        self.judged.close()


def build_module(source: str | os.PathLike[str], out: Path, fmt: str) -> Path:
    """Build a module (or a course's first module) for the preview; raises InvalidDefinition."""
    loaded = load(source)
    module = loaded.loaded_modules[0] if isinstance(loaded, Course) else loaded
    return build_package(module, fmt, out)


def open_package(zip_path: str | os.PathLike[str]) -> Served:
    """Judge a package and open it for serving; raises :class:`PackageRefused`."""
    judged = judge(zip_path)
    report = judged.report
    if not report.readable or report.refusals:
        judged.close()
        raise PackageRefused(f"{zip_path}: refused, as `modpack check` refuses it:",
                             [str(f) for f in (report.refusals or report.errors)])
    root, standard = judged.root, report.standard
    try:
        if root is None or standard is None:
            raise PackageRefused(f"{zip_path}: no cmi5 or SCORM descriptor to launch from",
                                 [str(f) for f in report.errors])
        if standard == "cmi5":
            course = read_course(root)
            for au in course.aus:
                if _CONTROL.search(au.url) or not au.url:
                    raise PackageRefused(f"{zip_path}: AU '{au.id}' has an empty url or control characters in it")
            return Served(judged, standard, course.course_id or "", course.aus, [])
        if standard in ("scorm12", "scorm2004"):
            manifest = read_manifest(root, standard, judged.descriptor or "imsmanifest.xml")
            scos = [Sco(item.identifier or "", item.title, (resource.href or "") + item.parameters)
                    for item, resource in manifest.launchable()]
            if any(_CONTROL.search(sco.url) for sco in scos):
                raise PackageRefused(f"{zip_path}: a launch URL holds control characters")
            return Served(judged, standard, "", [], scos)
        raise PackageRefused(f"{zip_path}: preview serves cmi5 and SCORM packages, not {standard}")
    except BaseException:
        judged.close()
        raise
