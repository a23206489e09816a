"""One module as one package per lesson, for an LMS whose upload limit the whole module is over.

Each part is a module of its own, derived from the one model: the module's identity and rules,
one lesson, the pre-test with the first lesson and the post-test with the last. A part's id is
the module's id and the lesson's (``rujukan-terpadu-mengenal-slrt``), so it stays the same across
revisions and an LMS updates the part instead of adding a new one. Parts are per lesson, not
lessons grouped to fill the limit: a grouping would move lessons between packages when a picture
is added, and learners' records would follow the package, not the lesson.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..model import Module

_MAX_ID = 64


def part_id(module_id: str, lesson_id: str) -> str:
    """The module's id and the lesson's; shortened, with a hash of the lesson's id, when over 64 characters."""
    joined = f"{module_id}-{lesson_id}"
    if len(joined) <= _MAX_ID:
        return joined
    digest = hashlib.sha1(lesson_id.encode()).hexdigest()[:8]
    return f"{module_id[:_MAX_ID - len(digest) - 1].rstrip('-')}-{digest}"


def by_lesson(module: Module) -> list[Module]:
    """One module per lesson of ``module`` (a module of one lesson is returned as it is)."""
    if len(module.lessons) < 2:
        return [module]
    data = module.model_dump(by_alias=True)
    total_pages = module.page_count()
    count = len(module.lessons)
    rule = module.completion
    parts = []
    for n, lesson in enumerate(module.lessons):
        first, last = n == 0, n == count - 1
        part: dict[str, Any] = dict(data)
        part["id"] = part_id(module.id, lesson.id)
        part["title"] = {lang: f"{text} ({n + 1}/{count}): {module.text(lesson.title, lang)}"
                         for lang, text in module.title.items()}
        part["lessons"] = [data["lessons"][n]]
        part["pre_test"] = data["pre_test"] if first else None
        part["post_test"] = data["post_test"] if last else None
        # study time in proportion to the lesson's pages; the facilitated part is told once, with the first
        part["workload"] = dict(data["workload"],
                                self_paced_jp=round(module.workload.self_paced_jp * len(lesson.pages) / total_pages, 2),
                                facilitated_jp=module.workload.facilitated_jp if first else 0)
        part["facilitated_sessions"] = data["facilitated_sessions"] if first else []
        part["objectives"] = _served(module, n, data["objectives"])
        with_test = last and module.post_test is not None and "post-test" in (rule.requires or [])
        part["completion"] = {"requires": ["pages", "post-test"] if with_test else ["pages"],
                              "pages_percent": rule.pages_percent,
                              "report": rule.report if with_test else "completed-incomplete"}
        one = Module.model_validate(part)
        one._root = module.root
        parts.append(one)
    return parts


def _served(module: Module, n: int, objectives: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The module's objectives the part's lesson, tests and sessions serve; all of them when the
    module ties none to anything (then each part serves the whole list)."""
    lesson = module.lessons[n]
    tests = [lesson.quiz] + ([module.pre_test] if n == 0 else []) + ([module.post_test] if n == len(module.lessons) - 1
                                                                     else [])
    sessions = module.facilitated_sessions if n == 0 else []  # told with the first part
    served = set(lesson.objectives) | {o for a in tests if a for q in a.all_questions() for o in q.objectives}
    served |= {o for session in sessions for o in session.objectives}
    anywhere = {o for one in module.lessons for o in one.objectives} | {o for q in module.questions() for o in q.objectives}
    anywhere |= {o for session in module.facilitated_sessions for o in session.objectives}
    if not anywhere:
        return objectives
    return [objective for objective in objectives if objective["id"] in served]

