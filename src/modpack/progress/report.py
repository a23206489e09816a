"""One call from sources to a report: read the cohort, count every source, work out the tables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock, timedelta, timezone
from pathlib import Path
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..model import Course, Module
from ..messages import t
from ..xapi.send import Lrs, SendError
from .catalogue import Catalogue, catalogue as make_catalogue
from .cohort import Learner, read_cohort
from .figures import (DayRow, DistrictRow, LearnerRow, ModuleRow, Options, Summary, day_rows, district_rows,
                      learner_rows, module_rows, pseudonym, summary)
from .moodle import read_moodle_report
from .sources import SourceError, SourceNote, read_jsonl, read_lrs, voided_ids
from .tally import Tally


class ProgressError(Exception):
    """The report cannot be made: a source or option is unusable. Says which and why."""


@dataclass
class Report:
    course: Course
    modules: list[Module]
    catalogue: Catalogue
    tally: Tally
    options: Options
    cohort_path: str
    learners: list[LearnerRow]
    summary: Summary
    districts: list[DistrictRow]
    days: list[DayRow]
    sources: list[SourceNote]
    made: datetime
    since: str | None = None
    district: str | None = None
    pseudonymised: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def follow_up(self) -> list[LearnerRow]:
        """Learners to contact, by district, then the longest inactive first."""
        return sorted((r for r in self.learners if r.reasons),
                      key=lambda r: (r.learner.district, -r.days_inactive, r.learner.name))

    def module_rows(self, row: LearnerRow) -> list[ModuleRow]:
        return module_rows(self.tally, row.index, self.options.zone)

    @property
    def target_jp(self) -> float:
        return self.course.annual_target_jp


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ProgressError(t("'{zone}' is not a time zone (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)",
                              zone=name)) from None


YEARS = (1900, 9998)  # of --since and --as-of: a day before or after them cannot be written in UTC (year 1 or 9999)


def since_moment(value: str | date | datetime | None, zone: ZoneInfo) -> datetime | None:
    """``since`` as a moment: a date is its midnight in ``zone``, a time without a zone is in it."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value or " " in value.strip() else date.fromisoformat(value)
        except ValueError:
            raise ProgressError(t("--since: '{value}' is not a date (YYYY-MM-DD) or time (ISO 8601)",
                                  value=value)) from None
    if not isinstance(value, datetime):
        value = datetime.combine(value, clock(0), zone)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    _within_years("--since", value)
    return value


def _query_time(moment: datetime) -> str:
    """A moment as an xAPI query's ``since`` or ``until`` holds it: UTC, ISO 8601, to the second."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _within_years(option: str, moment: datetime) -> None:
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise ProgressError(t("{option}: {value} is out of range: give a time between the years {low} and {high}",
                              option=option, value=moment.isoformat(), low=YEARS[0], high=YEARS[1]))


def progress(course: Course, cohort: str | os.PathLike[str], *, lrs: str | None = None, lrs_auth: str | None = None,
             statements: Iterable[str | os.PathLike[str]] = (), moodle: Mapping[str, str | os.PathLike[str]] | None = None,
             since: str | date | datetime | None = None, as_of: datetime | None = None, timezone_name: str = "Asia/Jakarta",
             days: int = 15, not_started_after: int = 3, inactive_after: int = 3, start: date | None = None,
             district: str | None = None, pseudonymise_key: bytes | None = None) -> Report:
    """The progress of a cohort in a course, from an LRS, JSON Lines files and Moodle SCORM reports.

    ``course`` comes from :func:`modpack.load` (its modules loaded); ``cohort`` is the cohort CSV.
    Raises :class:`ProgressError` (or :class:`~modpack.progress.cohort.CohortError`, with every
    problem of the cohort file) when the report cannot be made.
    """
    modules = course.loaded_modules
    if not modules:
        raise ProgressError(t("the course has no loaded modules: load it with modpack.load(course.yaml)"))
    if days < 1:
        raise ProgressError(t("--days must be at least 1"))
    zone = zone_of(timezone_name)
    made = datetime.now(zone)
    given = as_of is not None
    as_of = (as_of.replace(tzinfo=zone) if as_of.tzinfo is None else as_of) if as_of else made
    _within_years("--as-of", as_of)
    options = Options(as_of, zone, days, not_started_after, inactive_after)
    since_at = since_moment(since, zone)
    if since_at is not None and since_at > as_of:  # every learner would show as not started
        raise ProgressError(t("--since ({since}) is after the report's moment ({as_of}): nothing could be in it",
                              since=since_at.isoformat(), as_of=as_of.isoformat(timespec="seconds")))
    since_text = _query_time(since_at) if since_at is not None else None
    learners: list[Learner] = read_cohort(cohort, start)
    if pseudonymise_key is not None:
        for learner in learners:
            learner.code = pseudonym(pseudonymise_key, learner.id)
    catalogue = make_catalogue(course, modules)
    tally = Tally(catalogue, learners)
    # the report's moment, when asked for one: what happened after it is not in it (yesterday's report
    # made today), and the LRS is asked for nothing stored over a day after it (they come late, not
    # early). A report of now keeps what a phone whose clock runs ahead says happened later.
    until_text = None
    if given:
        tally.until = as_of.timestamp()
        until_text = _query_time(as_of + timedelta(days=1))
    notes: list[SourceNote] = []
    by_id = {m.id: i for i, m in enumerate(modules)}
    if not lrs and not statements and not moodle:
        raise ProgressError(t("no source of statements: give --lrs, --statements or --moodle-report"))
    try:
        if lrs:
            client = Lrs(lrs, lrs_auth)
            try:
                notes.append(read_lrs(client, catalogue.queries(), tally, since_text, until=until_text))
            finally:
                client.close()
        if since_text:
            tally.since = datetime.fromisoformat(since_text).timestamp()  # files: what the LRS would have left out
        statements = list(statements)
        for path in statements:  # a statement voided in another file of the export is left out too
            if Path(path).is_file():
                voided_ids(path, tally)
        for path in statements:
            notes.append(read_jsonl(path, tally, find_voided=False))
        for module_id, path in (moodle or {}).items():
            if module_id not in by_id:
                raise ProgressError(t("--moodle-report: '{module}' is not a module of the course ({modules})",
                                      module=module_id, modules=", ".join(by_id)))
            notes.append(read_moodle_report(path, by_id[module_id], tally, zone))
    except (SourceError, SendError) as exc:
        raise ProgressError(str(exc)) from None
    completions: dict[date, int] = {}
    rows = learner_rows(tally, options, completions)
    if district:
        wanted = district.strip().casefold()
        rows = [r for r in rows if r.learner.district.casefold() == wanted]
        if not rows:
            known = sorted({l.district for l in learners if l.district})
            raise ProgressError(t("--district: no learner of the cohort is in '{district}' (districts: {known})",
                                  district=district, known=", ".join(known[:30]) or "-"))
    report_notes = []
    if tally.strangers:
        report_notes.append(t("left out: {statements} statement(s) of {learners} learner(s) not in the cohort",
                              statements=tally.stranger_statements, learners=len(tally.strangers)))
    if tally.unreadable:
        report_notes.append(t("{count} statements without a readable actor or verb were left out", count=tally.unreadable))
    for note in notes:
        for problem in note.problems:
            report_notes.append(problem)
        if note.problem_count > len(note.problems):
            report_notes.append(t("{path}: {count} more lines left out", path=note.source,
                                  count=note.problem_count - len(note.problems)))
    return Report(course, modules, catalogue, tally, options, str(cohort), rows, summary(rows, course.annual_target_jp),
                  district_rows(rows), day_rows(rows, completions, options), notes, made, since_text, district,
                  pseudonymise_key is not None, report_notes)
