"""Building xAPI statements from records, with the module model as the source of every name and id.

Statement ids are UUIDv5 under MODPACK_NAMESPACE of the key

    "<kind>|<object activity id>|<learner>|<timestamp in UTC>"

where <learner> is "mailto:<email>" or "<account home page>|<account name>". Converting the same
records twice gives the same ids, so an LRS stores each event once; a corrected score for the same
event keeps its id and the LRS reports the conflict instead of storing a second result.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from typing import Any, Callable, TypeVar

T = TypeVar("T")

from ..model import Course, Module
from ..xmltree import iso_duration
from .records import Record, RowError, utc
from .shared import share
from .vocabulary import ACTIVITY_TYPES, PLATFORM, VERBS, jp_extension
from ..messages import t

MODPACK_NAMESPACE = uuid.UUID("5b0f3d7e-6a1c-5d0e-9c43-6d6f64706163")  # fixed forever: ids depend on it
XAPI_VERSIONS = {"1.0.3": "1.0.3", "2.0": "2.0.0"}


_NAMESPACE_BYTES = MODPACK_NAMESPACE.bytes


def uuid5(name: str) -> str:
    """uuid.uuid5(MODPACK_NAMESPACE, name) as text, without building UUID objects (a hot path)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def statement_id(kind: str, activity_id: str, learner: str, timestamp_utc: str) -> str:
    return uuid5(f"{kind}|{activity_id}|{learner}|{timestamp_utc}")


def _text_map(value: dict[str, str] | None) -> dict[str, str] | None:
    return dict(value) if value else None


def _activity(activity_id: str, kind: str, name: dict[str, str] | None,
              description: dict[str, str] | None) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": ACTIVITY_TYPES[kind]}
    if name:
        definition["name"] = _text_map(name)
    if description:
        definition["description"] = _text_map(description)
    return share({"objectType": "Activity", "id": activity_id, "definition": definition})


class _Memo(dict[Any, Any]):
    """A bounded memo: parts built once per learner, instructor or score, then shared."""

    limit = 20_000

    def get_or(self, key: Any, make: Callable[[], T]) -> T:
        value: Any = self.get(key)
        if value is None:
            if len(self) >= self.limit:
                self.clear()
            value = self[key] = make()
        made: T = value
        return made


class StatementBuilder:
    """Turns records about one module into statements. Everything constant is built once."""

    def __init__(self, module: Module, course: Course | None = None, xapi_version: str = "1.0.3"):
        if xapi_version not in XAPI_VERSIONS:
            raise ValueError(f"xAPI version must be one of {', '.join(XAPI_VERSIONS)}")
        self.module = module
        self.version = XAPI_VERSIONS[xapi_version]
        self.minutes = module.workload.minutes_per_jp
        base = module.effective_iri_base
        self.jp_key = jp_extension(base)
        self.module_activity = _activity(module.iri, "module", module.title, module.description)
        self.parent = share([{"objectType": "Activity", "id": module.iri}])
        self.grouping: list[Any] = []
        if course is not None:
            course_base = course.iri_base or base
            course_base = course_base if course_base.endswith("/") else course_base + "/"
            self.grouping = share([_activity(f"{course_base}courses/{course.id}", "course", course.title,
                                             course.description)])
        self.sessions = {s.id: (_activity(f"{module.iri}/sessions/{s.id}", "meeting", s.title, s.description), s.jp)
                         for s in module.facilitated_sessions}
        self.tests = {a.id: (_activity(f"{module.iri}/assessments/{a.id}", "assessment", a.title or {module.language: a.id}, None),
                             a, a is module.pre_test)
                      for a in module.assessments()}
        self.verbs = {name: share({"id": iri, "display": dict(display)}) for name, (iri, display) in VERBS.items()}
        with_parent = {"parent": self.parent} | ({"grouping": self.grouping} if self.grouping else {})
        self.context_activities = {True: share(with_parent),
                                   False: share({"grouping": self.grouping}) if self.grouping else None}
        self._actors, self._registrations, self._instructors = _Memo(), _Memo(), _Memo()
        self._extensions, self._results = _Memo(), _Memo()

    def _actor(self, record: Record) -> tuple[dict[str, Any], str]:
        return self._actors.get_or((record.email, record.account, record.account_homepage, record.name),
                                   lambda: self._make_actor(record))

    @staticmethod
    def _make_actor(record: Record) -> tuple[dict[str, Any], str]:
        if record.email:
            actor: dict[str, Any] = {"objectType": "Agent", "mbox": f"mailto:{record.email.lower()}"}
            key = actor["mbox"]
        else:
            actor = {"objectType": "Agent", "account": {"homePage": record.account_homepage, "name": record.account}}
            key = f"{record.account_homepage}|{record.account}"
        if record.name:
            actor["name"] = record.name
        return share(actor), key

    def _context(self, record: Record, learner: str, parent: bool, jp: float | None = None) -> dict[str, Any]:
        registration = record.registration or self._registrations.get_or(
            learner, lambda: uuid5(f"registration|{self.module.iri}|{learner}"))
        context: dict[str, Any] = {"registration": registration, "platform": PLATFORM, "language": self.module.language}
        activities = self.context_activities[parent]
        if activities:
            context["contextActivities"] = activities
        if record.instructor_email or record.instructor_name:
            context["instructor"] = self._instructors.get_or((record.instructor_email, record.instructor_name),
                                                             lambda: _instructor(record))
        if jp is not None:
            context["extensions"] = self._extensions.get_or(jp, lambda: share({self.jp_key: jp}))
        return context

    def build(self, record: Record) -> dict[str, Any] | RowError:
        """The statement for one record, or why the record does not fit this module."""
        actor, learner = self._actor(record)
        result: dict[str, Any]
        if record.kind == "attendance":
            found = self.sessions.get(record.item or "")
            if found is None:
                return RowError(record.row, "item", t("'{value}' is not a facilitated session of module '{module}' "
                                                      "({choices})", value=record.item, module=self.module.id,
                                                      choices=", ".join(self.sessions) or t("it has none")))
            activity, jp = found
            jp = record.jp or jp
            verb = self.verbs["attended"]
            result = self._done(jp)
            context = self._context(record, learner, True, jp)
        elif record.kind == "test":
            found_test = self.tests.get(record.item or "")
            if found_test is None:
                return RowError(record.row, "item", t("'{value}' is not a test of module '{module}' ({choices})",
                                                      value=record.item, module=self.module.id,
                                                      choices=", ".join(self.tests)))
            activity, assessment, is_pre = found_test
            assert record.score is not None
            score = record.score
            scaled = round(score / record.max_score, 4)
            # compared unrounded, in whole numbers where possible: 29/100 against 29 % is a pass
            success = None if is_pre else record.score * 100 >= assessment.pass_mark * record.max_score
            verb = self.verbs["scored" if is_pre else ("passed" if success else "failed")]
            result = self._results.get_or((record.score, record.max_score, success),
                                          lambda: _score(score, record.max_score, scaled, success))
            context = self._context(record, learner, True)
        else:
            if record.item and record.item != self.module.id:
                return RowError(record.row, "item", t("'{value}' is not this module ('{module}')", value=record.item, module=self.module.id))
            activity = self.module_activity
            verb = self.verbs["completed"]
            jp = record.jp or self.module.workload.self_paced_jp
            result = self._done(jp)
            context = self._context(record, learner, False, jp)
        statement = {
            "id": statement_id(record.kind, activity["id"], learner, record.when_utc or utc(record.timestamp)),
            "actor": actor,
            "verb": verb,
            "object": activity,
            "result": result,
            "context": context,
            "timestamp": record.when or record.timestamp.isoformat(),
        }
        if self.version != "1.0.3":
            statement["version"] = self.version
        return statement


    def _done(self, jp: float) -> dict[str, Any]:
        """The result of attending or completing: done, and how long, from the JP."""
        return self._results.get_or(("done", jp), lambda: share({"completion": True,
                                                                  "duration": iso_duration(jp * self.minutes)}))


def _instructor(record: Record) -> dict[str, Any]:
    instructor: dict[str, Any] = {"objectType": "Agent"}
    if record.instructor_name:
        instructor["name"] = record.instructor_name
    if record.instructor_email:
        instructor["mbox"] = f"mailto:{record.instructor_email.lower()}"
    return share(instructor)


def _score(raw: float, maximum: float, scaled: float, success: bool | None) -> dict[str, Any]:
    result: dict[str, Any] = {"score": {"scaled": scaled, "raw": raw, "min": 0, "max": maximum}, "completion": True}
    if success is not None:
        result["success"] = success
    return share(result)


def to_tincan(statement: dict[str, Any]) -> Any:
    """The statement as a ``tincan.Statement``, for code that already uses the tincan library."""
    import json

    from tincan import Statement

    return Statement.from_json(json.dumps(statement))


def from_tincan(statement: Any) -> dict[str, Any]:
    """A ``tincan.Statement`` (or a dict) as a plain statement dict."""
    import json

    if isinstance(statement, dict):
        return copy.deepcopy(statement)
    data: dict[str, Any] = json.loads(statement.to_json())
    return data
