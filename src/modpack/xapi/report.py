"""JP per learner: facilitated JP from attendance records, self-paced JP from statements in an LRS.

Civil servants owe 20 JP of training a year; the report puts each learner's total beside that
target (``annual_target_jp`` of the course, or --target).
"""

from __future__ import annotations

import csv
import io
import json
import math
import time
import urllib.parse
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, Callable, Iterable

from ..cells import safe_cell
from ..model import Module
from .records import Record, read_records
from .send import Lrs, SendError, next_page, read_page
from .statements import StatementBuilder
from .vocabulary import VERBS, jp_extension
from ..messages import t


@dataclass
class LearnerHours:
    learner: str
    name: str = ""
    facilitated: float = 0.0
    self_paced: float = 0.0

    @property
    def total(self) -> float:
        return self.facilitated + self.self_paced


def _learner(actor: dict[str, Any]) -> str | None:
    """One key per learner however the actor names them (xAPI §2.4.2.3: an mbox, its SHA-1, an
    OpenID or an account), or None when it names none. An e-mail address is one learner whatever
    its case, an account's home page with or without its final '/'."""
    mbox, sha1, openid, account = (actor.get(k) for k in ("mbox", "mbox_sha1sum", "openid", "account"))
    if isinstance(mbox, str) and mbox.strip():
        return mbox.strip().lower()
    if isinstance(sha1, str) and sha1.strip():
        return "sha1:" + sha1.strip().lower()
    if isinstance(openid, str) and openid.strip():
        return "openid:" + openid.strip()
    if isinstance(account, dict) and isinstance(account.get("name"), str) and account["name"].strip():
        return f"{str(account.get('homePage') or '').strip().rstrip('/')}|{account['name'].strip()}"
    return None


def _year_of(timestamp: Any, zone: tzinfo) -> int | None:
    """The calendar year of an xAPI timestamp where the report's days are (a bare one is UTC)."""
    if not isinstance(timestamp, str) or len(timestamp) > 40:
        return None
    try:
        moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(zone).year


def facilitated_hours(records_path: str, modules: list[Module], year: int | None, account_homepage: str | None,
                      hours: dict[str, LearnerHours]) -> list[str]:
    """Adds JP of attended sessions; returns the problems of rows that could not count."""
    builders = [StatementBuilder(m) for m in modules]
    problems = []
    attended: dict[tuple[str, str], float] = {}  # a session counts once, however many rows say so
    for record in read_records(records_path, account_homepage):
        if not isinstance(record, Record):
            problems += [str(e) for e in record]
            continue
        if record.kind != "attendance" or (year and record.timestamp.year != year):
            continue
        for builder in builders:
            statement = builder.build(record)
            if isinstance(statement, dict):
                key = _learner(statement["actor"]) or ""
                entry = hours.setdefault(key, LearnerHours(key, record.name or ""))
                jp = statement["context"]["extensions"][builder.jp_key]
                session = (key, statement["object"]["id"])
                before = attended.get(session, 0.0)
                if jp > before:
                    entry.facilitated += jp - before
                    attended[session] = jp
                break
        else:
            problems.append(t("row {row}: item: '{value}' is a session of none of the modules", row=record.row,
                                     value=record.item))
    return problems


WIB = timezone(timedelta(hours=7), "WIB")  # where the programme's year begins, unless told otherwise
MAX_PAGE = 64 * 1024 * 1024  # one page of statements from the LRS; a longer answer is refused, not read


def _object(value: Any) -> dict[str, Any]:
    """A JSON object of the LRS's answer, or an empty one for anything else it may have sent."""
    return value if isinstance(value, dict) else {}


def _jp(value: Any) -> float | None:
    """A JP value fit to add: a finite number, not below zero (a bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None


def self_paced_hours(lrs: Lrs, iri_bases: Iterable[str], year: int | None, hours: dict[str, LearnerHours],
                     problems: list[str] | None = None, activities: Iterable[str] | None = None,
                     zone: tzinfo = WIB, sleep: Callable[[float], None] = time.sleep) -> int:
    """Adds JP of the modules' 'completed' statements that carry modpack's JP extension; returns how
    many counted. A module counts once per learner, with the most JP a completion of it said:
    completed again after a relaunch, it is not owed twice. ``activities``: only completions of
    these (the modules' ``iri``), when given. ``year`` is a calendar year where ``zone`` keeps its
    days (WIB unless told).

    The LRS is another party: a statement whose JP is not a finite number >= 0, or whose actor
    names no learner, is a problem appended to ``problems`` (naming the statement) and is not
    counted; only an answer that is not a statements result at all stops the report (SendError), or
    an LRS still busy or failing after READ_RETRIES more asks (``sleep`` waits between them)."""
    problems = [] if problems is None else problems
    keys = {jp_extension(b if b.endswith("/") else b + "/") for b in iri_bases}
    # the modules' activity ids (Module.iri): another module under the same IRI base is not this report's
    wanted = set(activities) if activities is not None else None
    completed: dict[tuple[str, str], float] = {}
    query = {"verb": VERBS["completed"][0], "limit": "500"}
    if year:
        # 'since' filters on when the LRS stored a statement, which is never before it happened;
        # the year itself is read from each statement's own timestamp below
        start = datetime(year, 1, 1, tzinfo=zone).astimezone(timezone.utc)
        query["since"] = start.isoformat().replace("+00:00", "Z")
    path = lrs.path + "?" + urllib.parse.urlencode(query)
    count = 0
    seen = {urllib.parse.urljoin(lrs.base, path)}  # absolute, as next_page keeps them
    while True:
        body = read_page(lrs, path, MAX_PAGE, sleep)
        try:
            page = json.loads(body)
        except (ValueError, RecursionError):
            raise SendError(t("the LRS's answer is not JSON")) from None
        if not isinstance(page, dict) or not isinstance(page.get("statements", []), list):
            raise SendError(t("the LRS's answer is not a statements result (xAPI §2.1.2: {example})",
                              example='{"statements": [...]}'))
        for statement in page.get("statements", []):
            if not isinstance(statement, dict):
                problems.append(t("the LRS sent a statement that is not an object: not counted"))
                continue
            shown = str(statement.get("id", "?"))[:64]
            extensions = _object(_object(statement.get("context")).get("extensions"))
            key_found = next((k for k in keys if k in extensions), None)
            target = _object(statement.get("object"))
            definition = _object(target.get("definition"))
            if key_found is None or str(definition.get("type", "")).endswith("/meeting") or \
                    (wanted is not None and target.get("id") not in wanted):
                continue
            if year and _year_of(statement.get("timestamp"), zone) != year:
                continue
            jp = _jp(extensions[key_found])
            if jp is None:
                problems.append(t("statement {id}: its JP ({value}) is not a number of 0 or more: not counted",
                                  id=shown, value=repr(str(extensions[key_found])[:40])))
                continue
            actor = statement.get("actor")
            key = _learner(actor) if isinstance(actor, dict) else None
            if key is None:
                problems.append(t("statement {id}: its actor names no learner (mbox, mbox_sha1sum, openid or "
                                  "account): not counted", id=shown))
                continue
            name = actor.get("name") if isinstance(actor, dict) else None
            entry = hours.setdefault(key, LearnerHours(key, name if isinstance(name, str) else ""))
            before = completed.get((key, str(target.get("id"))), 0.0)
            if jp > before:
                entry.self_paced += jp - before
                completed[(key, str(target.get("id")))] = jp
            count += 1
        more = page.get("more")
        if not more or not page.get("statements"):  # an empty page ends the reading, whatever it links to
            return count
        path = next_page(lrs, more, seen)


def report_csv(hours: dict[str, LearnerHours], target: float) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["learner", "name", "facilitated_jp", "self_paced_jp", "total_jp", "target_jp", "remaining_jp", "met"])
    for entry in sorted(hours.values(), key=lambda h: h.learner):
        remaining = max(target - entry.total, 0)
        writer.writerow([safe_cell(entry.learner.removeprefix("mailto:")), safe_cell(entry.name), f"{entry.facilitated:g}",
                         f"{entry.self_paced:g}", f"{entry.total:g}", f"{target:g}", f"{remaining:g}",
                         "yes" if entry.total >= target else "no"])
    return out.getvalue()
