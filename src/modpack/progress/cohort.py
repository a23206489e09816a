"""The cohort file: who is enrolled, where they work, and when their diklat began.

A CSV (comma, semicolon or tab; UTF-8, with or without Excel's BOM) with a header row. Columns
are matched by name, in English or Indonesian (docs/progress.md); other columns, such as a phone
number an HR export carries, are ignored. Every problem is reported with its row and column, all
at once.
"""

from __future__ import annotations

import csv
import hashlib
import urllib.parse
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

from ..definition.files import RefusedFile, open_regular
from ..lines import bounded_lines
from ..messages import clip, t, os_reason
from ..xapi.records import csv_reason

MAX_LINE = 64 * 1024
MAX_LEARNERS = 200_000  # a cohort is a training's intake: ~300 MB at this size (2 million took 2.5 GB)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

COLUMNS = {
    "learner": ("learner", "id", "peserta", "learner_id"),
    "email": ("email", "mbox", "e_mail", "alamat_email", "email_address", "surel"),
    "account": ("account", "username", "akun", "account_name", "nama_pengguna"),
    "account_homepage": ("account_homepage", "homepage"),
    "name": ("name", "nama", "nama_lengkap", "full_name"),
    "district": ("district", "kabupaten", "kabupaten_kota", "kab_kota", "kota"),
    "province": ("province", "provinsi"),
    "role": ("role", "peran", "jabatan"),
    "start_date": ("start_date", "cohort_start", "tanggal_mulai", "mulai", "start"),
    "cohort": ("cohort", "angkatan", "kelas"),
}
_BY_NAME = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}


class CohortError(ValueError):
    """The cohort file cannot be used; ``problems`` says every reason, each with its place."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}:{p}" for p in problems))


@dataclass(slots=True)
class Learner:
    row: int
    id: str  # the email, else the account name: what the report shows when not pseudonymised
    keys: list[str]  # how statements may name this learner (see actor_keys)
    name: str
    district: str = ""
    province: str = ""
    role: str = ""
    start: date | None = None
    cohort: str = ""
    code: str = field(default="")  # the pseudonym, when asked for


def email_keys(email: str) -> list[str]:
    """An e-mail's keys: as an mbox (any case), and as the SHA-1 an LMS may send instead, of the
    address lower-cased or as typed (a hash cannot be lower-cased after)."""
    mbox = "mailto:" + email.lower()
    hashes = {hashlib.sha1(address.encode()).hexdigest() for address in (mbox, "mailto:" + email)}
    return [mbox, *("sha1:" + h for h in sorted(hashes))]


def homepage_key(homepage: str) -> str:
    """An account's home page as one key: scheme and host in lower case, no final '/'."""
    parts = urllib.parse.urlsplit(homepage.strip())
    if not parts.scheme or not parts.netloc:
        return homepage.strip().rstrip("/")
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"),
                                    parts.query, parts.fragment))


def account_keys(name: str, homepage: str = "") -> list[str]:
    return [f"acct:{homepage_key(homepage)}|{name}"] if homepage else [f"acct:|{name}"]


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD, or DD/MM/YYYY and DD-MM-YYYY as Indonesian spreadsheets write them."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def _delimiter(first: str) -> str:
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_cohort(path: str | os.PathLike[str], default_start: date | None = None) -> list[Learner]:
    """The learners of a cohort file, in file order; raises CohortError with every problem."""
    path = Path(path)
    problems: list[str] = []
    learners: list[Learner] = []
    seen: dict[str, int] = {}
    header: list[str] | None = None
    columns: dict[str, int] = {}
    delimiter = ","
    try:
        handle = open_regular(path)  # a FIFO opened would wait for a writer: refused, never read
    except RefusedFile as exc:
        raise CohortError(path, [" " + exc.reason]) from None
    except OSError as exc:
        raise CohortError(path, [" " + t("cannot be read: {reason}", reason=os_reason(exc))]) from None
    said_at: list[int] = []  # the line of each problem a line itself has (too long, not UTF-8)

    def text_lines() -> Iterator[str]:
        for number, raw in bounded_lines(handle, MAX_LINE):
            if raw is None:
                problems.append(t("{row}: the line is longer than {limit} bytes", row=number, limit=MAX_LINE))
                said_at.append(number)
                yield "\n"
                continue
            if number == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text"
                problems.append(t("1: the file is UTF-16 text: save it as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet)"))
                said_at.append(number)
                return  # every line of it would be said again
            try:
                yield raw.decode("utf-8").lstrip("\ufeff") + "\n" if number == 1 else raw.decode("utf-8") + "\n"
            except UnicodeDecodeError:
                problems.append(t("{row}: not UTF-8 text: save the file as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet)",
                                  row=number))
                said_at.append(number)
                yield "\n"

    with handle:
        lines = text_lines()
        first = ""
        header_line = 0  # where the header is: rows are numbered from it (blank lines may come first)
        for header_line, first in enumerate(lines, start=1):
            if first.strip() or said_at:
                break
        if said_at:  # the header itself could not be read: what follows it cannot be told apart
            raise CohortError(path, problems)
        if first.strip():
            delimiter = _delimiter(first)
            header = next(csv.reader([first], delimiter=delimiter))
            for position, name in enumerate(header):
                key = re.sub(r"[\s\-/]+", "_", name.strip().lower())
                column = _BY_NAME.get(key)
                if column and column not in columns:
                    columns[column] = position
            if not {"learner", "email", "account"} & columns.keys():
                raise CohortError(path, [t("{row}: the header names no learner column: give 'email', 'account' or "
                                           "'learner' (found: {found})", row=header_line,
                                           found=clip(", ".join(header) or "-", 200))])
            reader = csv.reader(lines, delimiter=delimiter)
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    problems.append(t("{row}: {reason}", row=header_line + reader.line_num, reason=csv_reason(exc)))
                    continue
                number = header_line + reader.line_num
                if not any(v.strip() for v in values):
                    continue
                if len(learners) >= MAX_LEARNERS:
                    problems.append(t("{row}: more than {limit} learners: split the cohort", row=number,
                                      limit=MAX_LEARNERS))
                    break
                learner = _learner(number, values, columns, default_start, problems)
                if learner is None:
                    continue
                repeated = next((seen[k] for k in learner.keys if k in seen), None)
                if repeated is not None:
                    problems.append(t("{row}: {column}: the same learner as row {other}", row=number,
                                      column="email" if learner.id and "@" in learner.id else "account",
                                      other=repeated))
                    continue
                for key in learner.keys:
                    seen[key] = number
                learners.append(learner)
    if header is None:
        problems.append(t("1: the file is empty: it needs a header row and a row per learner"))
    if problems:
        raise CohortError(path, problems)
    return learners


def _learner(number: int, values: list[str], columns: dict[str, int], default_start: date | None,
             problems: list[str]) -> Learner | None:
    def get(column: str) -> str:
        position = columns.get(column)
        return values[position].strip() if position is not None and position < len(values) else ""

    before = len(problems)
    email, account, homepage = get("email").removeprefix("mailto:"), get("account"), get("account_homepage")
    learner = get("learner")
    if learner and not email and not account:
        if learner.startswith("mailto:") or "@" in learner:
            email = learner.removeprefix("mailto:")
        else:
            account = learner
    if email and not _EMAIL.match(email):
        problems.append(t("{row}: email: '{value}' is not an email address", row=number, value=clip(email)))
    if not email and not account:
        problems.append(t("{row}: email: missing: each learner needs an email or an account", row=number))
    start_text = get("start_date")
    start = parse_date(start_text) if start_text else default_start
    if start_text and start is None:
        problems.append(t("{row}: start_date: '{value}' is not a date (YYYY-MM-DD or DD/MM/YYYY)", row=number,
                          value=clip(start_text)))
    elif start is None:
        problems.append(t("{row}: start_date: missing (or give --start for the whole cohort)", row=number))
    if len(problems) > before:
        return None
    keys = (email_keys(email) if email else []) + (account_keys(account, homepage) if account else [])
    ident = email.lower() if email else account
    return Learner(number, ident, keys, get("name") or ident, get("district"), get("province"), get("role"), start,
                   get("cohort"))
