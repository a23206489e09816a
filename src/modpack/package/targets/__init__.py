"""One module per target standard. Each plans a package from the model: the files it holds."""

from __future__ import annotations

from dataclasses import dataclass
from ... import xsd
from ..content import PackageContent
from ...definition.files import ModuleFile
from ..launch import launch_page, player_files
from ..structure import Unit


@dataclass
class PackagePlan:
    """Everything a package holds, before anything is written: archive name -> bytes or file."""

    module_id: str
    version: str
    standard: str
    descriptor: str  # imsmanifest.xml, cmi5.xml or tincan.xml: first in the zip
    files: dict[str, bytes | ModuleFile]

    @property
    def file_name(self) -> str:
        return zip_name(self.module_id, self.version, self.standard)


def zip_name(module_id: str, version: str, standard: str) -> str:
    """The name of a module's package of ``standard``: what a build writes, and what a course
    build looks for among an unchanged module's zips."""
    return f"{module_id}-{version}-{standard}.zip"


def package_files(content: PackageContent, units: list[Unit], standard: str,
                  schema_set: str) -> dict[str, bytes | ModuleFile]:
    """What every package holds whatever its descriptor: content, player, launch pages, schemas."""
    files: dict[str, bytes | ModuleFile] = dict(content.files)
    files.update(player_files(standard))
    for unit in units:
        files[unit.launch] = launch_page(content.module, unit, standard)
    for name, path in xsd.package_schema_files(schema_set):
        files[name] = path
    return files
