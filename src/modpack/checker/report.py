"""Findings and the report `modpack check` prints (text or JSON, see docs/check.md)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from ..messages import t


class Severity(str, Enum):
    ERROR = "error"      # an LMS will reject the package or it will not work
    WARNING = "warning"  # some LMSs will reject it, or it will misbehave in some
    INFO = "info"        # worth knowing; nothing to fix


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None  # where in the descriptor, e.g. an item identifier

    def location(self) -> str:
        where = self.file or ""
        if self.line:
            where += f":{self.line}"
        if self.path:
            where += f" ({self.path})" if where else self.path
        return where

    def __str__(self) -> str:
        where = self.location()
        label = {"error": t("error"), "warning": t("warning"), "info": t("info")}[self.severity.value]
        return f"{label}: {where + ': ' if where else ''}{self.message} [{self.code}]"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


# Findings that mean the package must not be unpacked or served at all: what `preview` refuses.
REFUSALS = frozenset({"unreadable", "zip-slip", "symlink", "duplicate-entry", "name-not-utf8", "xml-dtd",
                      "descriptor-refused"})


MAX_PER_CODE = 500


@dataclass
class Report:
    """What `check` found in one package."""

    source: str
    standard: str | None = None          # scorm12, scorm2004, cmi5, tincan, or None (nothing known)
    edition: str | None = None           # for SCORM 2004: 2nd, 3rd or 4th
    readable: bool = True                # False: the package could not be read at all (exit 2)
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    size: int = 0

    counts: dict[str, int] = field(default_factory=dict)  # findings made, by code (kept or not)

    def add(self, severity: Severity, code: str, message: str, **where: Any) -> None:
        # a hostile package can make the same finding a hundred thousand times: keep the first ones
        made = self.counts[code] = self.counts.get(code, 0) + 1
        if made <= MAX_PER_CODE:
            self.findings.append(Finding(severity, code, message, **where))

    def close(self) -> None:
        """Say how many findings of each code were not kept (called once, when every rule has run)."""
        for code, made in self.counts.items():
            if made > MAX_PER_CODE:
                self.findings.append(Finding(Severity.INFO, "more-findings", f"... and {made - MAX_PER_CODE} more "
                                             f"'{code}' findings like those above"))
        self.counts = {}

    def error(self, code: str, message: str, **where: Any) -> None:
        self.add(Severity.ERROR, code, message, **where)

    def warning(self, code: str, message: str, **where: Any) -> None:
        self.add(Severity.WARNING, code, message, **where)

    def info(self, code: str, message: str, **where: Any) -> None:
        self.add(Severity.INFO, code, message, **where)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def refusals(self) -> list[Finding]:
        """Errors that make the package unsafe to unpack or serve (see REFUSALS)."""
        return [f for f in self.errors if f.code in REFUSALS]

    @property
    def exit_code(self) -> int:
        """0 no errors, 1 errors, 2 the package could not be read, 3 its descriptor fails its schema."""
        if not self.readable:
            return 2
        if any(f.code == "schema" for f in self.errors):
            return 3
        return 1 if self.errors else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "standard": self.standard,
            "edition": self.edition,
            "readable": self.readable,
            "ok": self.exit_code == 0,
            "files": self.files,
            "size": self.size,
            "counts": {s.value: sum(1 for f in self.findings if f.severity is s) for s in Severity},
            "findings": [f.to_dict() for f in self.findings],
        }


def _schema_hint(message: str) -> str:
    """What the validator's commonest words mean to an administrator, said after them."""
    value = re.search(r"'([^']*)' is not a valid value of the atomic type 'xs:(?:ID|IDREF|NCName)'", message)
    # (a well-formed id refused as xs:ID is one used twice: said by its own finding, duplicate-id)
    if value and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", value.group(1)):
        return t(" (an XML identifier starts with a letter or '_' and holds only letters, digits, '_', '-' and '.': "
                 "no spaces, commas or brackets; authoring tools that build ids from the course title break this. "
                 "Moodle imports the package all the same; an LMS that validates manifests refuses it)")
    if "This element is not expected" in message:
        return t(" (an element the schema does not allow here, or not in the order it sets)")
    return ""


def schema_findings(problems: list[str], report: Report, descriptor: str, limit: int = 25) -> None:
    """Turn the validator's 'line N: message' strings into located findings (at most ``limit``)."""
    for problem in problems[:limit]:
        where, _, message = problem.partition(": ")
        line = int(where.split()[1]) if where.startswith("line ") and where.split()[1].isdigit() else None
        message += _schema_hint(message)
        report.error("schema", message, file=descriptor, line=line)
    if len(problems) > limit:
        report.error("schema", t("... and {value} more schema errors", value=len(problems) - limit), file=descriptor)


def number_in(text: str | None, low: float, high: float) -> bool:
    """Whether ``text`` is a number from ``low`` to ``high`` (mastery scores, measures)."""
    try:
        return low <= float((text or "").strip()) <= high
    except ValueError:
        return False
