"""From the tally to the report's tables: who is where, per learner, district, day and cohort.

The rules, in docs/progress.md:
- a module is completed when a completion says so (the module, its single AU, every AU of the
  per-lesson structure, or Moodle's status); a lesson is done when every page in it was read, or
  its module completed; the course is completed when every module is;
- passed: completed, and every module's post-test passed;
- JP: a completed module's self-paced JP (or what its completion statement says), plus the JP of
  each facilitated session attended, once each;
- behind: not completed, with fewer modules completed than the days elapsed would have, were the
  course spread evenly over the diklat's days;
- needs follow-up: not started ``not_started_after`` days after the cohort began, inactive for
  ``inactive_after`` days, or a post-test failed twice and not passed since.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .catalogue import Catalogue
from .cohort import Learner
from .tally import ModuleProgress, Tally

NOT_STARTED, IN_PROGRESS, COMPLETED = "not-started", "in-progress", "completed"
MAX_DAYS = 400  # the day line covers at most this many days, the latest ones


@dataclass
class Options:
    as_of: datetime
    zone: ZoneInfo
    days: int = 15
    not_started_after: int = 3
    inactive_after: int = 3


@dataclass(slots=True)
class ModuleRow:
    module: str
    status: str
    lessons_done: int
    lessons: int
    pages_read: int
    post_test: float | None
    passed: bool
    failed_attempts: int
    jp: float
    first: datetime | None
    last: datetime | None
    completed: datetime | None


@dataclass(slots=True)
class LearnerRow:
    index: int  # the learner's place in the cohort (and the tally)
    learner: Learner
    status: str
    passed: bool
    modules_done: int
    lessons_done: int
    post_test: float | None  # the mean of the best post-test scores of the modules that have one
    jp: float
    last: datetime | None
    days_inactive: int
    behind: bool
    reasons: list[tuple[str, str]]  # (reason, module id or ''): why to follow this learner up
    first: datetime | None = None
    completed: datetime | None = None

    @property
    def lagging(self) -> bool:
        return self.status != COMPLETED and (self.behind or bool(self.reasons))


@dataclass
class DistrictRow:
    district: str
    province: str
    enrolled: int = 0
    not_started: int = 0
    in_progress: int = 0
    completed: int = 0
    passed: int = 0
    lagging: int = 0
    jp: float = 0.0

    @property
    def lagging_share(self) -> float:
        return self.lagging / self.enrolled if self.enrolled else 0.0

    @property
    def mean_jp(self) -> float:
        return self.jp / self.enrolled if self.enrolled else 0.0


@dataclass
class DayRow:
    day: date
    started: int  # learners active at least once, up to this day
    completed: int  # learners who completed the course, up to this day
    completions: int  # modules completed this day


@dataclass
class Summary:
    enrolled: int = 0
    not_started: int = 0
    in_progress: int = 0
    completed: int = 0
    passed: int = 0
    lagging: int = 0
    follow_up: int = 0
    jp: float = 0.0
    at_target: int = 0  # learners whose JP from this course reach the annual target


def pseudonym(key: bytes, learner_id: str) -> str:
    """A stable code for a learner: the same key and learner give the same code, and without the
    key the code cannot be traced back by trying likely emails."""
    digest = hmac.new(key, learner_id.encode("utf-8"), hashlib.sha256).digest()
    return "P-" + base64.b32encode(digest)[:10].decode("ascii")


def _local(when: float, zone: ZoneInfo) -> datetime | None:
    return datetime.fromtimestamp(when, zone) if when > 1.0 else None


def module_row(facts_index: int, catalogue: Catalogue, entry: ModuleProgress | None, zone: ZoneInfo) -> ModuleRow:
    facts = catalogue.modules[facts_index]
    lessons = len(facts.lesson_masks)
    if entry is None:
        return ModuleRow(facts.id, NOT_STARTED, 0, lessons, 0, None, False, 0, 0.0, None, None, None)
    done = bool(entry.completed)
    # a lesson is done when its pages were all read, or its cmi5 AU completed (bit k: lesson k's unit)
    lessons_done = lessons if done else sum(1 for k, mask in enumerate(facts.lesson_masks)
                                            if (mask and entry.pages & mask == mask) or entry.units & (1 << k))
    passed = entry.passed or (entry.best is not None and facts.pass_mark is not None and entry.best >= facts.pass_mark)
    jp = (entry.completed_jp if entry.completed_jp is not None else facts.self_paced_jp) if done else 0.0
    jp += sum((entry.session_jp or {}).values())
    status = COMPLETED if done else (IN_PROGRESS if entry.first or entry.pages or entry.best is not None else NOT_STARTED)
    if not done and entry.session_jp:
        status = IN_PROGRESS
    return ModuleRow(facts.id, status, lessons_done, lessons, bin(entry.pages).count("1"), entry.best, passed,
                     len(entry.failed or ()), round(jp, 2), _local(entry.first, zone), _local(entry.last, zone),
                     _local(entry.completed, zone) if done else None)


def module_rows(tally: Tally, index: int, zone: ZoneInfo) -> list[ModuleRow]:
    """One learner's row per module, made when asked (a cohort's would not all fit in memory)."""
    progress = tally.progress[index] or [None] * len(tally.catalogue.modules)
    return [module_row(i, tally.catalogue, progress[i], zone) for i in range(len(progress))]


def learner_rows(tally: Tally, options: Options, completions: dict[date, int] | None = None) -> list[LearnerRow]:
    """Each learner's row; ``completions`` gathers how many modules were completed each day."""
    catalogue = tally.catalogue
    today = options.as_of.astimezone(options.zone).date()
    count = len(catalogue.modules)
    with_post = [m.index for m in catalogue.modules if m.module.post_test is not None]
    rows = []
    for index, learner in enumerate(tally.learners):
        modules = module_rows(tally, index, options.zone)
        done = sum(1 for m in modules if m.status == COMPLETED)
        started = any(m.status != NOT_STARTED for m in modules)
        status = COMPLETED if done == count else (IN_PROGRESS if started else NOT_STARTED)
        passed = status == COMPLETED and all(modules[i].passed for i in with_post)
        scores = [s for s in (modules[i].post_test for i in with_post) if s is not None]
        lasts = [m.last for m in modules if m.last is not None]
        firsts = [m.first for m in modules if m.first is not None]
        last = max(lasts) if lasts else None
        start = learner.start or today
        elapsed = (today - start).days + 1  # the cohort's first day is day 1
        inactive = max((today - last.date()).days, 0) if last is not None else max(elapsed - 1, 0)
        expected = count * min(max(elapsed, 0), options.days) // options.days
        behind = status != COMPLETED and elapsed > 0 and done < expected
        reasons: list[tuple[str, str]] = []
        if status == NOT_STARTED and elapsed - 1 >= options.not_started_after:
            reasons.append(("not-started", ""))
        if status == IN_PROGRESS and inactive >= options.inactive_after:
            reasons.append(("inactive", ""))
        for m in modules:
            if m.failed_attempts >= 2 and not m.passed:
                reasons.append(("failed-twice", m.module))
            if completions is not None and m.completed is not None:
                completions[m.completed.date()] = completions.get(m.completed.date(), 0) + 1
        ends = [m.completed for m in modules if m.completed is not None]
        rows.append(LearnerRow(index, learner, status, passed, done, sum(m.lessons_done for m in modules),
                               round(sum(scores) / len(scores), 1) if scores else None,
                               round(sum(m.jp for m in modules), 2), last, inactive, behind, reasons,
                               min(firsts) if firsts else None,
                               max(ends) if status == COMPLETED and ends else None))
    return rows


def summary(rows: list[LearnerRow], target_jp: float) -> Summary:
    found = Summary()
    for row in rows:
        found.enrolled += 1
        found.not_started += row.status == NOT_STARTED
        found.in_progress += row.status == IN_PROGRESS
        found.completed += row.status == COMPLETED
        found.passed += row.passed
        found.lagging += row.lagging
        found.follow_up += bool(row.reasons)
        found.jp += row.jp
        found.at_target += row.jp >= target_jp
    found.jp = round(found.jp, 2)
    return found


def district_rows(rows: list[LearnerRow]) -> list[DistrictRow]:
    """Per district, the most lagging first (then the most learners, then by name)."""
    found: dict[tuple[str, str], DistrictRow] = {}
    for row in rows:
        key = (row.learner.district, row.learner.province)
        entry = found.get(key)
        if entry is None:
            entry = found[key] = DistrictRow(*key)
        entry.enrolled += 1
        entry.not_started += row.status == NOT_STARTED
        entry.in_progress += row.status == IN_PROGRESS
        entry.completed += row.status == COMPLETED
        entry.passed += row.passed
        entry.lagging += row.lagging
        entry.jp += row.jp
    return sorted(found.values(), key=lambda d: (-d.lagging_share, -d.enrolled, d.district, d.province))


def day_rows(rows: list[LearnerRow], completions: dict[date, int], options: Options) -> list[DayRow]:
    """From the cohort's first day to the report's day, each day's totals."""
    today = options.as_of.astimezone(options.zone).date()
    starts = [row.learner.start for row in rows if row.learner.start]
    first_day = min(starts) if starts else today
    first_day = max(first_day, today - timedelta(days=MAX_DAYS - 1))
    if first_day > today:
        return []
    started: dict[date, int] = {}
    completed: dict[date, int] = {}
    for row in rows:
        if row.first is not None:
            day = max(row.first.date(), first_day)
            started[day] = started.get(day, 0) + 1
        if row.completed is not None:
            day = max(row.completed.date(), first_day)
            completed[day] = completed.get(day, 0) + 1
    found = []
    running_started = running_completed = 0
    day = first_day
    while day <= today:
        running_started += started.get(day, 0)
        running_completed += completed.get(day, 0)
        found.append(DayRow(day, running_started, running_completed, completions.get(day, 0)))
        day += timedelta(days=1)
    return found
