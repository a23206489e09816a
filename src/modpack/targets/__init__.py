"""One module per target standard. Each plans a package from the model: the files it holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class PackagePlan:
    """Everything a package holds, before anything is written: archive name -> bytes or file."""

    module_id: str
    version: str
    standard: str
    descriptor: str  # imsmanifest.xml, cmi5.xml or tincan.xml: first in the zip
    files: dict[str, bytes | Path]

    @property
    def file_name(self) -> str:
        return f"{self.module_id}-{self.version}-{self.standard}.zip"
