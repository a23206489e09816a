"""Learning records to convert: CSV or JSON Lines, read one row at a time (see docs/statements.md).

Each row is one event: a learner attended a facilitated session, scored in an offline test, or
completed a module. Every problem in a row is reported with its row number and column; a row
with problems is never silently dropped.
"""

from __future__ import annotations

import csv
import json
import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator
from ..messages import clip, t
from ..definition.files import open_regular

KINDS = ("attendance", "test", "completion")
COLUMNS = ("kind", "email", "account", "account_homepage", "name", "item", "timestamp", "score", "max_score",
           "jp", "instructor_email", "instructor_name", "registration")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to make, and a million are made
class Record:
    """One validated row."""

    row: int
    kind: str
    item: str | None
    timestamp: datetime
    email: str | None = None
    account: str | None = None
    account_homepage: str | None = None
    name: str | None = None
    score: float | None = None
    max_score: float = 100.0
    jp: float | None = None
    instructor_email: str | None = None
    instructor_name: str | None = None
    registration: str | None = None
    when: str = ""      # the timestamp as written into statements (ISO 8601, its own offset)
    when_utc: str = ""  # the same instant in UTC, part of the statement id's key


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.column:
            return t("row {row}: {column}: {reason}", row=self.row, column=self.column, reason=self.reason)
        return t("row {row}: {reason}", row=self.row, reason=self.reason)


def _text(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _number(raw: dict[str, Any], key: str, problems: list[RowError], row: int) -> float | None:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        problems.append(RowError(row, key, t("'{value}' is not a number", value=clip(str(value)))))
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        problems.append(RowError(row, key, t("'{value}' is not a number", value=clip(str(value)))))
        return None
    if not math.isfinite(number):
        problems.append(RowError(row, key, t("'{value}' is not a finite number", value=clip(str(value)))))
        return None
    return number


_KNOWN = frozenset(COLUMNS)


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_row(raw: dict[str, Any], row: int, account_homepage: str | None = None,
              check_columns: bool = True) -> tuple[Record | None, list[RowError]]:
    """Validate one row's fields. Returns the record, or None with every problem found."""
    problems: list[RowError] = []
    for key, value in raw.items():
        if isinstance(value, str) and not _is_utf8(value):
            problems.append(RowError(row, str(key), t("not UTF-8 text: save the file as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet)")))
            raw = {**raw, key: ""}
    if check_columns and not _KNOWN.issuperset(raw):
        problems += [RowError(row, key, t("unknown column")) for key in sorted(set(raw) - _KNOWN) if key]
    kind = _text(raw, "kind")
    if kind not in KINDS:
        problems.append(RowError(row, "kind", t("'{value}' is not one of {choices}", value=clip(kind or ""), choices=", ".join(KINDS))))
    email, account = _text(raw, "email"), _text(raw, "account")
    homepage = _text(raw, "account_homepage") or account_homepage
    if email and not _EMAIL.match(email):
        problems.append(RowError(row, "email", t("'{value}' is not an email address", value=clip(email))))
    if not email and not account:
        problems.append(RowError(row, "email", t("no learner: give email, or account (with account_homepage)")))
    if account and not email and not homepage:
        problems.append(RowError(row, "account_homepage", t("an account needs the home page of the system that issued it")))
    elif homepage and not re.match(r"^https?://\S+$", homepage):
        problems.append(RowError(row, "account_homepage", t("'{value}' is not an http(s) URL", value=clip(homepage))))
    stamp_text = _text(raw, "timestamp")
    stamp = when = None
    if not stamp_text:
        problems.append(RowError(row, "timestamp", t("missing")))
    else:
        when = _moment(stamp_text)
        if when is None:
            problems.append(RowError(row, "timestamp", t("'{value}' is not an ISO 8601 date-time", value=clip(stamp_text))))
        elif when[0].tzinfo is None:
            problems.append(RowError(row, "timestamp", t("'{value}' has no time zone: add one, e.g. +07:00 (WIB)", value=clip(stamp_text))))
        else:
            stamp = when[0]
    score = _number(raw, "score", problems, row)
    max_score = _number(raw, "max_score", problems, row)
    if max_score is not None and max_score <= 0:
        problems.append(RowError(row, "max_score", t("must be more than 0")))
    if kind == "test":
        if score is None and not any(p.column == "score" for p in problems):
            problems.append(RowError(row, "score", t("a test row needs a score")))
        elif score is not None and not 0 <= score <= (max_score or 100):
            problems.append(RowError(row, "score", t("{score} is outside 0 to {top}", score=f"{score:g}", top=f"{max_score or 100:g}")))
    jp = _number(raw, "jp", problems, row)
    if jp is not None and jp <= 0:
        problems.append(RowError(row, "jp", t("must be more than 0")))
    instructor = _text(raw, "instructor_email")
    if instructor and not _EMAIL.match(instructor):
        problems.append(RowError(row, "instructor_email", t("'{value}' is not an email address", value=clip(instructor))))
    registration = _text(raw, "registration")
    if registration:
        try:
            registration = str(uuid.UUID(registration))
        except ValueError:
            problems.append(RowError(row, "registration", t("'{value}' is not a UUID", value=clip(registration))))
    item = _text(raw, "item")
    if kind in ("attendance", "test") and not item:
        problems.append(RowError(row, "item", t("an attendance row names the session") if kind == "attendance" else t("a test row names the test")))
    if problems:
        return None, problems
    assert stamp is not None and kind is not None
    assert when is not None
    return Record(row, kind, item, stamp, email, account if not email else None, homepage if not email else None,
                  _text(raw, "name"), score, max_score or 100.0, jp, instructor, _text(raw, "instructor_name"),
                  registration, when[1], when[2]), []


_MOMENTS: dict[str, tuple[datetime, str, str] | None] = {}


def _moment(text: str) -> tuple[datetime, str, str] | None:
    """(date-time, as written in statements, in UTC) of a timestamp; remembered, as many rows share one."""
    found = _MOMENTS.get(text, False)
    if found is not False:
        return found  # type: ignore[return-value]
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        value = None
    else:
        value = (stamp, stamp.isoformat(), utc(stamp) if stamp.tzinfo is not None else "")
    if len(_MOMENTS) >= 50_000:
        _MOMENTS.clear()
    _MOMENTS[text] = value
    return value


MAX_ROW_LINE = 1024 * 1024  # a row of records is a few hundred bytes; a longer line is never read whole


def _lines(handle: Any, start: int, end: int | None, too_long: list[int]) -> Iterator[str]:
    """The text lines of a binary file from byte ``start`` up to ``end`` (a line starting before it).
    A line over MAX_ROW_LINE bytes is passed over a megabyte at a time, never held: an empty line
    stands in its place, and its number (counted from 1 in this part) is added to ``too_long``."""
    handle.seek(start)
    position = start
    count = 0
    while end is None or position < end:
        raw = handle.readline(MAX_ROW_LINE + 1)
        if not raw:
            return
        position += len(raw)
        count += 1
        if len(raw) > MAX_ROW_LINE and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = handle.readline(1 << 20)
                position += len(raw)
            too_long.append(count)
            yield "\n"
            continue
        # bytes that are not UTF-8 survive as surrogates, so parse_row can name the row and column
        yield raw.decode("utf-8", "surrogateescape")


def csv_reason(exc: csv.Error) -> str:
    """Why Python's csv could not read a row, in the user's language where it is the common case."""
    if "field limit" in str(exc):  # a value over csv's field_size_limit (128 KiB)
        return t("a value is longer than {limit} characters", limit=f"{csv.field_size_limit():,}")
    return t("cannot be read as CSV: {reason}", reason=exc)


def _too_long(number: int) -> RowError:
    return RowError(number, "", t("the line is longer than {limit} bytes: not read", limit=f"{MAX_ROW_LINE:,}"))


def csv_header(path: Path) -> tuple[list[str] | None, str, int]:
    """(column names, delimiter, byte offset of the first row) of a CSV file; no names when its
    first line is longer than MAX_ROW_LINE bytes (never read whole)."""
    with open_regular(path) as handle:
        first = handle.readline(MAX_ROW_LINE + 1)
        if len(first) > MAX_ROW_LINE and not first.endswith(b"\n"):
            return None, ",", 0
        sample = first + handle.read(4096)
    text = sample.decode("utf-8", "replace").lstrip("\ufeff")
    delimiter = ";" if text.count(";") > text.count(",") else ","  # spreadsheets set to Indonesian use ';'
    names = next(csv.reader([first.decode("utf-8-sig", "replace").rstrip("\r\n")], delimiter=delimiter), [])
    return [name.strip() for name in names], delimiter, len(first)


def read_rows(path: Path, start: int = 0, end: int | None = None,
              first_line: int = 1) -> Iterator[tuple[int, dict[str, Any] | None, RowError | None]]:
    """(row number, fields, syntax error) for every row of a CSV or JSON Lines file, streaming.

    ``start``/``end`` (byte offsets at line starts) and ``first_line`` read one part of a file,
    so that parts can be converted in parallel.
    """
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        with open_regular(path) as handle:
            too_long: list[int] = []
            for number, line in enumerate(_lines(handle, start, end, too_long), start=first_line):
                if too_long:
                    too_long.clear()
                    yield number, None, _too_long(number)
                    continue
                if not line.strip():
                    continue
                try:
                    value = json.loads(line.lstrip("\ufeff"))
                except json.JSONDecodeError as exc:
                    yield number, None, RowError(number, "", t("not valid JSON ({reason}, column {column})", reason=exc.msg, column=exc.colno))
                    continue
                except RecursionError:  # arrays or objects nested thousands deep: no record is
                    yield number, None, RowError(number, "", t("not a record: its values nest too deep"))
                    continue
                if not isinstance(value, dict):
                    yield number, None, RowError(number, "", t("each line must be a JSON object"))
                    continue
                yield number, value, None
        return
    header, delimiter, body = csv_header(path)
    if header is None:
        if start == 0:
            yield 1, None, _too_long(1)
        return
    if start == 0:
        unknown = [name for name in header if name and name not in _KNOWN]
        if unknown:
            yield 1, None, RowError(1, unknown[0], t("unknown column(s): {names} (see docs/statements.md)",
                                                     names=", ".join(unknown)))
            return
        start, first_line = body, 2
    elif any(name and name not in _KNOWN for name in header):
        return
    width = len(header)
    with open_regular(path) as handle:
        too_long = []  # lines of this part over MAX_ROW_LINE, in order
        reader = csv.reader(_lines(handle, start, end, too_long), delimiter=delimiter)
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # e.g. a value over csv's field limit (128 KiB): that row alone
                number = first_line + reader.line_num - 1
                too_long.clear()
                yield number, None, RowError(number, "", csv_reason(exc))
                continue
            number = first_line + reader.line_num - 1
            if too_long:  # a line of this row (a quoted value may span several) was not read
                too_long.clear()
                yield number, None, _too_long(number)
                continue
            if not values:
                continue
            if len(values) > width:
                yield number, None, RowError(number, "", t("more values than columns"))
                continue
            yield number, dict(zip(header, values)), None


def read_records(path: str | Path, account_homepage: str | None = None, start: int = 0, end: int | None = None,
                 first_line: int = 1) -> Iterator[Record | list[RowError]]:
    """Every row as a Record, or its errors; in file order, one at a time."""
    is_jsonl = Path(path).suffix.lower() in (".jsonl", ".ndjson", ".json")  # CSV columns are checked once
    for number, fields, error in read_rows(Path(path), start, end, first_line):
        if error is not None:
            yield [error]
            continue
        assert fields is not None
        record, problems = parse_row(fields, number, account_homepage, check_columns=is_jsonl)
        yield record if record is not None else problems


def utc(stamp: datetime) -> str:
    return stamp.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


__all__ = ["COLUMNS", "KINDS", "Record", "RowError", "parse_row", "read_records", "read_rows", "utc"]
