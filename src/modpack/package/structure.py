"""How a module is cut into launchable units: SCOs (SCORM) or AUs (cmi5).

One unit for the whole module (the default, widest LMS support), or one per lesson with the
pre-test and post-test as units of their own. Every target reads the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Assessment, Lesson, Module
from ..player import label


@dataclass(frozen=True)
class Unit:
    """One launchable part of a package."""

    key: str  # unique among units: 'module', 'lesson-<id>' or 'test-<id>'
    title: dict[str, str]
    launch: str  # the launch file in the package
    lessons: tuple[Lesson, ...] = ()
    pre_test: Assessment | None = None
    post_test: Assessment | None = None
    requires: tuple[str, ...] = field(default=())  # keys of units to complete first

    @property
    def pass_mark(self) -> float | None:
        """The mastery score this unit reports against, if it holds the post-test."""
        return self.post_test.pass_mark if self.post_test else None


def units(module: Module, per_lesson: bool) -> list[Unit]:
    if not per_lesson:
        return [Unit("module", module.title, "index.html", tuple(module.lessons), module.pre_test, module.post_test)]
    found = []
    if module.pre_test:
        title = module.pre_test.title or {module.language: label("preTest", module.language)}
        found.append(Unit(f"test-{module.pre_test.id}", title, f"sco-{module.pre_test.id}.html", pre_test=module.pre_test))
    for lesson in module.lessons:
        found.append(Unit(f"lesson-{lesson.id}", lesson.title, f"sco-{lesson.id}.html", (lesson,)))
    if module.post_test:
        title = module.post_test.title or {module.language: label("postTest", module.language)}
        lesson_keys = tuple(u.key for u in found if u.lessons)
        found.append(Unit(f"test-{module.post_test.id}", title, f"sco-{module.post_test.id}.html",
                          post_test=module.post_test, requires=lesson_keys))
    return found
