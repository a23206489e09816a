"""A Moodle SCORM report as a second source, for modules delivered as SCORM packages.

Moodle keeps SCORM tracking to itself; its SCORM activity's basic report (Reports > Basic report,
"Download in text format", tab-separated, or as CSV) gives a row per attempt: the learner's name
and identity fields (email address, username or ID number, as the site shows them), Attempt,
Started on, Last accessed on, Score, and with "detailed report" a column per SCO with its status
or score. Headers are read in English or Indonesian; dates as Moodle writes them in either.
"""

from __future__ import annotations

import os
import csv
import re
from datetime import datetime
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

from ..messages import t
from .cohort import account_keys, email_keys
from ..lines import bounded_lines
from .sources import SourceError, SourceNote
from .tally import Tally
from ..xapi.records import csv_reason

MAX_LINE = 64 * 1024

_HEADERS = {
    "email": ("email address", "email", "alamat email", "surel", "e-mail"),
    "username": ("username", "nama pengguna", "pengguna"),
    "idnumber": ("id number", "idnumber", "nomor id", "nomor induk"),
    "attempt": ("attempt", "percobaan", "upaya"),
    "started": ("started on", "dimulai pada", "mulai pada", "dimulai"),
    "last": ("last accessed on", "terakhir diakses pada", "terakhir diakses", "akses terakhir"),
    "score": ("score", "nilai", "skor"),
    "status": ("status",),
}
_COLUMN = {alias: name for name, aliases in _HEADERS.items() for alias in aliases}
# SCORM statuses as Moodle's language packs print them
_STATUS = {
    "passed": "passed", "lulus": "passed",
    "completed": "completed", "selesai": "completed", "lengkap": "completed",
    "failed": "failed", "gagal": "failed", "tidak lulus": "failed",
    "incomplete": "incomplete", "belum selesai": "incomplete", "tidak lengkap": "incomplete",
    "browsed": "incomplete", "dilihat": "incomplete",
    "not attempted": "", "notattempted": "", "belum dicoba": "", "tidak dicoba": "",
}
_MONTHS = {name: number for number, names in enumerate((
    ("january", "januari", "jan"), ("february", "februari", "feb", "pebruari"), ("march", "maret", "mar"),
    ("april", "apr"), ("may", "mei"), ("june", "juni", "jun"), ("july", "juli", "jul"),
    ("august", "agustus", "aug", "agu", "agt"), ("september", "sep", "sept"),
    ("october", "oktober", "oct", "okt"), ("november", "nopember", "nov"),
    ("december", "desember", "dec", "des")), start=1) for name in names}
_DATE = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\s+(\d{4})(?:,?\s+(\d{1,2})[:.](\d{2})(?:\s*([AaPp][Mm]))?)?")


def parse_moodle_date(text: str, zone: ZoneInfo) -> float:
    """POSIX seconds of a date as Moodle prints it ("Wednesday, 4 March 2026, 9:05 AM", "Rabu, 4 Maret
    2026, 09.05", ISO 8601); 0.0 for "-" or anything else."""
    text = text.strip()
    if not text or text == "-" or len(text) > 80:
        return 0.0
    try:
        moment = datetime.fromisoformat(text)
        return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).timestamp()
    except ValueError:
        pass
    match = _DATE.search(text)
    if not match:
        return 0.0
    month = _MONTHS.get(match[2].lower())
    if month is None:
        return 0.0
    hour, minute = int(match[4] or 0), int(match[5] or 0)
    if match[6]:
        hour = hour % 12 + (12 if match[6].lower() == "pm" else 0)
    try:
        return datetime(int(match[3]), month, int(match[1]), hour, minute, tzinfo=zone).timestamp()
    except ValueError:
        return 0.0


def _score(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:/\s*(\d+(?:\.\d+)?))?\s*%?", text)
    if not match:
        return None
    value = float(match[1])
    if match[2]:
        top = float(match[2])
        return round(value * 100 / top, 2) if top > 0 else None
    return value if value <= 100 else None


def read_moodle_report(path: str | os.PathLike[str], module: int, tally: Tally, zone: ZoneInfo) -> SourceNote:
    """The attempts of a Moodle SCORM report, counted for the course's module number ``module``."""
    path = Path(path)
    note = SourceNote(str(path))
    if not path.is_file():
        raise SourceError(t("{path}: not a file", path=path))
    facts = tally.catalogue.modules[module]
    titles = {v.strip().lower() for v in facts.module.title.values()}
    with path.open("rb") as handle:
        lines = bounded_lines(handle, MAX_LINE)
        header: list[str] | None = None
        for number, raw in lines:
            if raw is None or not raw.strip():
                continue
            header_text = raw.decode("utf-8", "replace").lstrip("\ufeff")
            delimiter = "\t" if "\t" in header_text else (";" if header_text.count(";") > header_text.count(",") else ",")
            header = next(csv.reader([header_text], delimiter=delimiter))
            break
        if header is None:
            raise SourceError(t("{path}: empty: download the report again from Moodle", path=path))
        columns: dict[str, int] = {}
        others: list[int] = []
        for position, name in enumerate(header):
            key = name.strip().lower()
            column = _COLUMN.get(key)
            if column and column not in columns:
                columns[column] = position
            elif key in titles:
                columns.setdefault("status", position)  # the detailed report: a column per SCO
            elif key not in ("name", "nama", "first name", "last name", "surname", "nama depan", "nama belakang"):
                others.append(position)
        if not {"email", "username", "idnumber"} & columns.keys():
            raise SourceError(t("{path}:1: the report has no email address, username or ID number column; show one "
                                "in Moodle (Site administration > Users > Permissions > Show user identity) and "
                                "download it again", path=path))
        if "started" not in columns and "last" not in columns:
            raise SourceError(t("{path}:1: the report has no 'Started on' or 'Last accessed on' column: is it a "
                                "SCORM basic report?", path=path))
        pass_mark = facts.pass_mark

        at = [1]  # the line last read

        def text_lines() -> Iterator[str]:
            for number, raw in lines:
                at[0] = number
                yield "" if raw is None else raw.decode("utf-8", "replace")

        reader = csv.reader(text_lines(), delimiter=delimiter)
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # e.g. a quoted value of several long lines: that row alone
                note.problem(t("{path}:{line}: {reason}, left out", path=path, line=at[0], reason=csv_reason(exc)))
                continue
            if not values or not any(v.strip() for v in values):
                continue

            def cell(column: str) -> str:
                position = columns.get(column)
                return values[position].strip() if position is not None and position < len(values) else ""

            note.statements += 1
            keys: list[str] = []
            if cell("email"):
                keys += email_keys(cell("email").removeprefix("mailto:"))
            for column in ("username", "idnumber"):
                if cell(column):
                    keys += account_keys(cell(column))
            learner = next((tally.by_key[k] for k in keys if k in tally.by_key), None)
            if learner is None:
                if keys:
                    tally.stranger_statements += 1
                    tally.strangers.add(keys[0])
                continue
            if cell("attempt") in ("", "-"):
                continue  # enrolled, never launched: nothing happened
            started, last = parse_moodle_date(cell("started"), zone), parse_moodle_date(cell("last"), zone)
            score = _score(cell("score")) if cell("score") not in ("", "-") else None
            status_text = cell("status").lower()
            status = _STATUS.get(status_text)
            if status is None and status_text:
                sco_score = _score(status_text)  # a SCO column shows its score when it has one
                score = sco_score if sco_score is not None else score
                status = ""
            if not status and score is not None and pass_mark is not None:
                # no status column: the score against the post-test's pass mark decides, as the package does
                status = "passed" if score >= pass_mark else "failed"
            tally.attempt(learner, module, started, last, score, status or "")
    return note
