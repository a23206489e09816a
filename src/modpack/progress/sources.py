"""Where statements come from: an LRS (GET /statements, page by page) or JSON Lines files.

Nothing is held but the page being read: an LRS answer is capped at ``MAX_PAGE`` bytes (inflated
too) and a file line at ``MAX_LINE``; each statement goes straight to the tally. The LRS is asked
once per activity the catalogue lists, with ``related_activities``, so statements about pages,
sessions and tests inside a module are found through their parent or grouping.
"""

from __future__ import annotations

import os
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import orjson

from ..messages import t
from ..xapi.send import Lrs, SendError, next_page, read_page
from ..lines import bounded_lines
from .tally import VOIDED, Tally

MAX_PAGE = 64 * 1024 * 1024
MAX_LINE = 1024 * 1024
PAGE_SIZE = 500
MAX_VOIDED = 1_000_000  # ids of voided statements kept from files


class SourceError(Exception):
    """A source cannot be read to the end (an LRS that refuses or fails, a file that is missing)."""


@dataclass
class SourceNote:
    """What was read from one source, for the report's provenance line."""

    source: str
    statements: int = 0
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0

    def problem(self, text: str) -> None:
        self.problem_count += 1
        if len(self.problems) < 20:
            self.problems.append(text)


def _add_all(tally: Tally, value: object, note: SourceNote) -> None:
    if isinstance(value, list):
        for item in value:
            tally.add(item)
            note.statements += 1
    else:
        tally.add(value)
        note.statements += 1


def voided_ids(path: str | os.PathLike[str], tally: Tally) -> None:
    """The ids the file's voiding statements void: an LRS leaves voided statements out of its
    answers, an export keeps both. Only lines that say 'voided' are parsed."""
    with Path(path).open("rb") as handle:
        for _, line in bounded_lines(handle, MAX_LINE):
            if line is None or b"voided" not in line:
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            for statement in value if isinstance(value, list) else [value]:
                verb = statement.get("verb") if isinstance(statement, dict) else None
                target = statement.get("object") if isinstance(statement, dict) else None
                if isinstance(verb, dict) and verb.get("id") == VOIDED and isinstance(target, dict) \
                        and target.get("objectType") == "StatementRef" and isinstance(target.get("id"), str):
                    if len(tally.voided) < MAX_VOIDED:
                        tally.voided.add(target["id"])


def read_jsonl(path: str | os.PathLike[str], tally: Tally, find_voided: bool = True) -> SourceNote:
    """Statements of a JSON Lines file (one statement, or an array of them, a line); a statement
    the file voids is left out, as an LRS leaves it out (``find_voided``: False when the caller read
    every file's voids first, as an export split over several files needs)."""
    path = Path(path)
    note = SourceNote(str(path))
    if not path.is_file():
        raise SourceError(t("{path}: not a file", path=path))
    if find_voided:
        voided_ids(path, tally)
    with path.open("rb") as handle:
        for number, line in bounded_lines(handle, MAX_LINE):
            if line is None:
                note.problem(t("{path}:{line}: longer than {limit} bytes, left out", path=path, line=number,
                               limit=MAX_LINE))
                continue
            if not line.strip():
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError:
                note.problem(t("{path}:{line}: not a JSON statement, left out", path=path, line=number))
                continue
            _add_all(tally, value, note)
    return note


def read_lrs(lrs: Lrs, activities: list[str], tally: Tally, since: str | None = None,
             sleep: Callable[[float], None] | None = None, until: str | None = None) -> SourceNote:
    """Every statement the LRS holds about these activities (stored since ``since`` and until
    ``until``, ISO 8601)."""
    note = SourceNote(lrs.base)
    sleep = sleep or _wait
    for activity in activities:
        query = {"activity": activity, "related_activities": "true", "limit": str(PAGE_SIZE)}
        if since:
            query["since"] = since
        if until:
            query["until"] = until
        path = lrs.path + "?" + urllib.parse.urlencode(query)
        seen = {urllib.parse.urljoin(lrs.base, path)}  # absolute, as next_page keeps them
        while path:
            body = _page(lrs, path, sleep)
            try:
                page = orjson.loads(body)
            except orjson.JSONDecodeError:
                raise SourceError(t("the LRS answered with something that is not JSON (asking about {activity})",
                                    activity=activity)) from None
            statements = page.get("statements") if isinstance(page, dict) else None
            if not isinstance(statements, list):
                raise SourceError(t("the LRS's answer holds no statement list (asking about {activity})",
                                    activity=activity))
            for statement in statements:
                tally.add(statement)
            note.statements += len(statements)
            more = page.get("more")
            if not more or not statements:  # an empty page ends the reading, whatever it links to
                break
            try:  # on the LRS's own host (credentials go with every ask), each page once, within MAX_PAGES
                path = next_page(lrs, more, seen)
            except SendError as exc:
                raise SourceError(str(exc)) from None
    return note


def _wait(seconds: float) -> None:
    """Wait between asks (one name, so a test can count the waits of this module alone)."""
    time.sleep(seconds)


def _page(lrs: Lrs, path: str, sleep: Callable[[float], None]) -> bytes:
    try:
        return read_page(lrs, path, MAX_PAGE, sleep)
    except SendError as exc:
        raise SourceError(str(exc)) from None
