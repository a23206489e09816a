"""JP per learner: facilitated JP from attendance records, self-paced JP from statements in an LRS.

Civil servants owe 20 JP of training a year; the report puts each learner's total beside that
target (``annual_target_jp`` of the course, or --target).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any, Iterable

from ..model import Module
from .records import Record, read_records
from .send import Lrs, SendError
from .statements import StatementBuilder
from .vocabulary import VERBS, jp_extension


@dataclass
class LearnerHours:
    learner: str
    name: str = ""
    facilitated: float = 0.0
    self_paced: float = 0.0

    @property
    def total(self) -> float:
        return self.facilitated + self.self_paced


def _learner(actor: dict[str, Any]) -> str:
    if "mbox" in actor:
        return str(actor["mbox"])
    account = actor.get("account") or {}
    return f"{account.get('homePage')}|{account.get('name')}"


def facilitated_hours(records_path: str, modules: list[Module], year: int | None, account_homepage: str | None,
                      hours: dict[str, LearnerHours]) -> list[str]:
    """Adds JP of attended sessions; returns the problems of rows that could not count."""
    builders = [StatementBuilder(m) for m in modules]
    problems = []
    for record in read_records(records_path, account_homepage):
        if not isinstance(record, Record):
            problems += [str(e) for e in record]
            continue
        if record.kind != "attendance" or (year and record.timestamp.year != year):
            continue
        for builder in builders:
            statement = builder.build(record)
            if isinstance(statement, dict):
                key = _learner(statement["actor"])
                entry = hours.setdefault(key, LearnerHours(key, record.name or ""))
                entry.facilitated += statement["context"]["extensions"][builder.jp_key]
                break
        else:
            problems.append(f"row {record.row}: item: '{record.item}' is a session of none of the modules")
    return problems


def self_paced_hours(lrs: Lrs, iri_bases: Iterable[str], year: int | None, hours: dict[str, LearnerHours]) -> int:
    """Adds JP of 'completed' statements that carry modpack's JP extension; returns how many were read."""
    keys = {jp_extension(b if b.endswith("/") else b + "/") for b in iri_bases}
    query = {"verb": VERBS["completed"][0], "limit": "500"}
    if year:
        # 'since' filters on when the LRS stored a statement, which is never before it happened;
        # the year itself is read from each statement's own timestamp below
        query["since"] = f"{year}-01-01T00:00:00Z"
    status, body = lrs.get(query)
    count = 0
    while True:
        if status != 200:
            raise SendError(f"the LRS answered {status} when reading statements back")
        page = json.loads(body)
        for statement in page.get("statements", []):
            extensions = (statement.get("context") or {}).get("extensions") or {}
            jp = next((extensions[k] for k in keys if k in extensions), None)
            if jp is None or statement.get("object", {}).get("definition", {}).get("type", "").endswith("/meeting"):
                continue
            if year and not str(statement.get("timestamp", "")).startswith(str(year)):
                continue
            key = _learner(statement["actor"])
            entry = hours.setdefault(key, LearnerHours(key, statement["actor"].get("name", "")))
            entry.self_paced += float(jp)
            count += 1
        more = page.get("more")
        if not more:
            return count
        status, body = lrs.request("GET", more if more.startswith("/") else "/" + more)


def report_csv(hours: dict[str, LearnerHours], target: float) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["learner", "name", "facilitated_jp", "self_paced_jp", "total_jp", "target_jp", "remaining_jp", "met"])
    for entry in sorted(hours.values(), key=lambda h: h.learner):
        remaining = max(target - entry.total, 0)
        writer.writerow([entry.learner.removeprefix("mailto:"), entry.name, f"{entry.facilitated:g}",
                         f"{entry.self_paced:g}", f"{entry.total:g}", f"{target:g}", f"{remaining:g}",
                         "yes" if entry.total >= target else "no"])
    return out.getvalue()
