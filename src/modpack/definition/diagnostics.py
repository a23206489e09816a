"""Diagnostics: every problem found in a definition, with where it is and what is wrong.

Loading never raises for bad input; it collects diagnostics so that an author sees every
mistake at once, each as ``file:line:column: field.path: message``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import Iterable

from ..messages import t


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # what a tool did and wants said (e.g. what an import recognised or dropped)


@dataclass(frozen=True)
class Diagnostic:
    """One problem, located as precisely as the input allows."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str
    severity: Severity = Severity.ERROR
    code: str = "invalid"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        field = f" {self.field}:" if self.field else ""
        label = f" {t(self.severity.value)}:" if self.severity is not Severity.ERROR else ""
        return f"{where}:{field}{label} {self.message}"

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.WARNING]


class InvalidDefinition(Exception):
    """Raised by :func:`modpack.load` when a definition has errors.

    ``diagnostics`` holds every problem found, warnings included.
    """

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        found = errors(diagnostics)
        lines = "\n".join(str(d) for d in found)
        super().__init__(t("{count} error(s) in the definition:\n{lines}", count=len(found), lines=lines))


def format_field(path: Iterable[object]) -> str:
    """Render a location such as ("lessons", 0, "pages") as ``lessons[0].pages``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def sort_key(d: Diagnostic) -> tuple[str, int, int]:
    return (d.file, d.line or 0, d.column or 0)
