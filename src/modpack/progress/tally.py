"""Statements in, one small record per learner and module out: the only state a report keeps.

Each statement is read once and forgotten; what stays is, per learner and module, a handful of
numbers and bit sets (pages read, units satisfied, sessions attended). Every rule is idempotent
(reading a statement twice changes nothing), so the same statement found by two queries, or in
the LRS and in a file, counts once; failed attempts are told apart by their time.
"""

from __future__ import annotations

import math

from datetime import datetime
from typing import Any

from ..xapi.vocabulary import jp_extension
from .catalogue import MODULE, OTHER, PAGE, POST_TEST, PRE_TEST, SESSION, UNIT, Catalogue
from .cohort import Learner, homepage_key

ADL = "http://adlnet.gov/expapi/verbs/"
COMPLETED, PASSED, FAILED = ADL + "completed", ADL + "passed", ADL + "failed"
EXPERIENCED, ATTENDED, VOIDED = ADL + "experienced", ADL + "attended", "http://adlnet.gov/expapi/verbs/voided"
# cmi5's LMS verbs: an AU waived (e.g. tested out) moves on as completed; the course satisfied is done
WAIVED, SATISFIED = "https://w3id.org/xapi/adl/verbs/waived", "https://w3id.org/xapi/adl/verbs/satisfied"
MAX_FAILED_KEPT = 16  # attempts told apart per learner and module; more cannot change "failed twice"
MAX_STRANGERS = 100_000  # learners outside the cohort counted one by one; beyond, only their statements


class ModuleProgress:
    """One learner in one module."""

    __slots__ = ("first", "last", "pages", "units", "completed", "completed_jp", "passed", "best", "failed",
                 "sessions", "session_jp")

    def __init__(self) -> None:
        self.first = self.last = 0.0  # POSIX seconds; 0: never
        self.pages = self.units = self.sessions = 0
        self.completed = 0.0  # when it was completed; 0: not (yet)
        self.completed_jp: float | None = None  # JP a completion statement said it counts for
        self.passed = False
        self.best: float | None = None  # the best post-test score, in percent
        self.failed: set[float] | None = None  # when post-test attempts failed
        self.session_jp: dict[int, float] | None = None

    def seen(self, when: float) -> None:
        if when:
            if not self.first or when < self.first:
                self.first = when
            if when > self.last:
                self.last = when

    def complete(self, when: float) -> None:
        if when and (not self.completed or when < self.completed):
            self.completed = when
        elif not self.completed:
            self.completed = when or 1.0  # completed, at a time no statement said

    def score(self, percent: float | None) -> None:
        if percent is not None and (self.best is None or percent > self.best):
            self.best = percent

    def fail(self, when: float) -> None:
        if self.failed is None:
            self.failed = set()
        if len(self.failed) < MAX_FAILED_KEPT:
            self.failed.add(when)


def timestamp(value: Any) -> float:
    """POSIX seconds of an ISO 8601 timestamp; 0.0 when it is missing or not one."""
    if not isinstance(value, str) or len(value) > 40:
        return 0.0
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return 0.0
    if moment.tzinfo is None:  # xAPI says timestamps carry an offset; read a bare one as UTC
        return moment.replace(tzinfo=_UTC).timestamp()
    return moment.timestamp()


from datetime import timezone as _timezone  # noqa: E402

_UTC = _timezone.utc


def _percent(result: Any) -> float | None:
    score = result.get("score") if isinstance(result, dict) else None
    if not isinstance(score, dict):
        return None
    scaled = score.get("scaled")
    if isinstance(scaled, (int, float)) and not isinstance(scaled, bool) and -1 <= scaled <= 1:
        return round(scaled * 100, 2)
    raw, top = score.get("raw"), score.get("max")
    if isinstance(raw, (int, float)) and isinstance(top, (int, float)) and top > 0 and not isinstance(raw, bool):
        percent = raw * 100 / top  # 1e308 over 1e-300 is infinite: no score, not a report that cannot be written
        return round(percent, 2) if math.isfinite(percent) and 0 <= percent <= 100 else None
    return None


class Tally:
    def __init__(self, catalogue: Catalogue, learners: list[Learner]):
        self.catalogue = catalogue
        self.learners = learners
        self.by_key: dict[str, int] = {}
        for index, learner in enumerate(learners):
            for key in learner.keys:
                self.by_key[key] = index
        count = len(catalogue.modules)
        self.progress: list[list[ModuleProgress | None] | None] = [None] * len(learners)
        self.width = count
        self.jp_keys = [jp_extension(m.module.effective_iri_base) for m in catalogue.modules]
        self.read = 0  # statements read
        self.counted = 0  # statements of the cohort in the course
        self.strangers: set[str] = set()  # learners in statements but not in the cohort
        self.stranger_statements = 0
        self.unreadable = 0  # statements with no actor or verb modpack can read
        self.since = 0.0  # statements stored before this are left out (for files; an LRS filters itself)
        self.until = 0.0  # statements made after this (the report's moment, --as-of) are left out; 0: none
        self.voided: set[str] = set()  # ids of statements voided (files: an LRS leaves them out itself)

    def _entry(self, learner: int, module: int) -> ModuleProgress:
        row = self.progress[learner]
        if row is None:
            row = self.progress[learner] = [None] * self.width
        entry = row[module]
        if entry is None:
            entry = row[module] = ModuleProgress()
        return entry

    def learner_of(self, actor: Any) -> int | None | str:
        """The cohort index of an actor; the actor's key if it is not in the cohort; None if unreadable."""
        if not isinstance(actor, dict):
            return None
        mbox = actor.get("mbox")
        if isinstance(mbox, str):
            key = mbox.lower()
        elif isinstance(actor.get("account"), dict):
            account = actor["account"]
            name, home = account.get("name"), account.get("homePage")
            if not isinstance(name, str):
                return None
            key = f"acct:{homepage_key(home) if isinstance(home, str) else home}|{name}"
            found = self.by_key.get(key)
            if found is None:
                found = self.by_key.get(f"acct:|{name}")  # the cohort gave no home page: any will do
            return found if found is not None else key
        elif isinstance(actor.get("mbox_sha1sum"), str):
            key = "sha1:" + actor["mbox_sha1sum"].lower()
        else:
            return None
        found = self.by_key.get(key)
        return found if found is not None else key

    def add(self, statement: Any) -> None:
        """Count one statement (a parsed JSON object); anything else is counted as unreadable."""
        self.read += 1
        if not isinstance(statement, dict):
            self.unreadable += 1
            return
        verb = statement.get("verb")
        verb_id = verb.get("id") if isinstance(verb, dict) else None
        if not isinstance(verb_id, str):
            self.unreadable += 1
            return
        if verb_id == VOIDED:
            return  # an LRS leaves voided statements out of its answers; the voiding one says nothing more
        target = statement.get("object")
        object_id = target.get("id") if isinstance(target, dict) else None
        found = self.catalogue.find(object_id) if isinstance(object_id, str) else None
        context = statement.get("context")
        if (found is None or found[0] == OTHER) and isinstance(context, dict):
            # cmi5: the LMS may give an AU an activity id of its own; the AU's id is in the grouping
            found = self._from_context(context, found)
        if found is None:
            return
        learner = self.learner_of(statement.get("actor"))
        if learner is None:
            self.unreadable += 1
            return
        if isinstance(learner, str):
            self.stranger_statements += 1
            if len(self.strangers) < MAX_STRANGERS:
                self.strangers.add(learner)
            return
        if self.since:
            stored = timestamp(statement.get("stored")) or timestamp(statement.get("timestamp"))
            if stored and stored < self.since:
                return
        when = timestamp(statement.get("timestamp")) or timestamp(statement.get("stored"))
        if self.until and when > self.until:
            return  # after the report's moment: yesterday's report made today is yesterday's
        if self.voided and isinstance(statement.get("id"), str) and statement["id"] in self.voided:
            return
        self.counted += 1
        what, module, bit = found
        entry = self._entry(learner, module)
        entry.seen(when)
        if what == PAGE:
            if verb_id == EXPERIENCED:
                entry.pages |= bit
            return
        if what in (MODULE, UNIT, POST_TEST):
            self._result(entry, module, what, bit, verb_id, statement.get("result"), when, context)
        elif what == SESSION and verb_id == ATTENDED:
            jp = self._jp(context, module)
            if entry.session_jp is None:
                entry.session_jp = {}
            entry.session_jp[bit] = jp if jp is not None else self.catalogue.modules[module].session_jp[bit]
        elif what == PRE_TEST:
            pass  # a pre-test measures where a learner starts; it is activity, not progress

    def _from_context(self, context: dict[str, Any], found: tuple[int, int, int] | None) -> tuple[int, int, int] | None:
        activities = context.get("contextActivities")
        if not isinstance(activities, dict):
            return found
        # the most specific of what the context names: a lesson's AU, then the module's single AU,
        # then the module (the cmi5 course) itself, which the statement is only inside of
        best, rank = None, -1
        for kind in ("grouping", "parent"):
            listed = activities.get(kind)
            if isinstance(listed, dict):
                listed = [listed]
            if not isinstance(listed, list):
                continue
            for activity in listed[:20]:
                activity_id = activity.get("id") if isinstance(activity, dict) else None
                hit = self.catalogue.ids.get(activity_id) if isinstance(activity_id, str) else None
                if hit is not None and hit[0] in (MODULE, UNIT):
                    order = 0 if hit[0] == MODULE else (2 if hit[2] else 1)
                    if order > rank:
                        best, rank = hit, order
        if best is None:
            return found
        if best[0] == MODULE or found is not None:
            return (OTHER, best[1], 0)  # activity in the module: not a completion of it
        return best  # a statement about the AU itself

    def _jp(self, context: Any, module: int) -> float | None:
        extensions = context.get("extensions") if isinstance(context, dict) else None
        value = extensions.get(self.jp_keys[module]) if isinstance(extensions, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1000:
            return float(value)
        return None

    def _result(self, entry: ModuleProgress, module: int, what: int, bit: int, verb_id: str, result: Any,
                when: float, context: Any) -> None:
        facts = self.catalogue.modules[module]
        # the score of the post-test: its own activity, the post-test AU, or the whole module's unit
        scores = what == POST_TEST or (what == UNIT and (bit == 0 or bit == facts.post_bit)) or what == MODULE
        if verb_id == SATISFIED and what == MODULE:
            verb_id = COMPLETED  # the cmi5 course satisfied: every AU moved on
        if verb_id == WAIVED and what == UNIT:
            verb_id = COMPLETED  # the LMS waived the AU (tested out): it counts as done
        if verb_id == COMPLETED:
            if what == MODULE or (what == UNIT and bit == 0):
                entry.complete(when)
                jp = self._jp(context, module)
                if jp is not None:
                    entry.completed_jp = jp
            elif what == UNIT:
                entry.units |= bit
                if entry.units & facts.all_units == facts.all_units:
                    entry.complete(when)
        elif verb_id == PASSED:
            if scores and facts.module.post_test is not None:
                entry.passed = True
                entry.score(_percent(result))
            if what == UNIT and bit and bit != facts.post_bit:
                return
            if what == UNIT and bit == facts.post_bit and bit:
                entry.units |= bit  # a test AU moves on when passed
                if entry.units & facts.all_units == facts.all_units:
                    entry.complete(when)
        elif verb_id == FAILED:
            if scores and facts.module.post_test is not None:
                entry.fail(when)
                entry.score(_percent(result))

    # the second source: a Moodle SCORM report, one row per attempt (see moodle.py)
    def attempt(self, learner: int, module: int, started: float, last: float, score: float | None,
                status: str) -> None:
        """One attempt of a Moodle report; within ``since`` and ``until`` as statements are. An
        attempt still going on at ``until`` counts as begun: what it came to was after the report's moment."""
        if self.since and (last or started) and (last or started) < self.since:
            return
        begun = started or last
        if self.until and begun and begun > self.until:
            return  # begun after the report's moment (one whose dates cannot be read is counted, as before)
        self.counted += 1
        entry = self._entry(learner, module)
        entry.seen(started)
        if self.until and last > self.until:
            return
        entry.seen(last)
        facts = self.catalogue.modules[module]
        if status in ("completed", "passed"):
            entry.complete(last or started)
        if facts.module.post_test is not None and score is not None:
            entry.score(score)
            if status == "passed":
                entry.passed = True
            elif status == "failed":
                entry.fail(last or started)
