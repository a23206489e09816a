"""What the course's activity ids mean: one lookup table built from the model, read per statement.

Every id a modpack package, the cmi5 course structure or ``modpack statements`` can put in a
statement is listed here once: the module (Tin Can and records), each AU of both cmi5 structures,
each page, the post-test and pre-test, each facilitated session. Anything else under a module's
IRI (a question, a knowledge check, a scenario) still counts as activity in that module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Course, Module

# what an id is; ints, so that the per-statement dispatch compares small numbers
MODULE, UNIT, PAGE, POST_TEST, PRE_TEST, SESSION, OTHER = range(7)


@dataclass
class ModuleFacts:
    """What the report needs of one module, by its position in the course."""

    index: int
    module: Module
    lesson_masks: list[int]  # per lesson, the bits of its pages
    unit_bits: dict[str, int]  # cmi5 per-lesson units that must be satisfied, by key
    all_units: int  # every bit of unit_bits
    post_bit: int = 0  # the bit of the post-test's unit, whose score is the post-test's
    session_jp: list[float] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.module.id

    @property
    def self_paced_jp(self) -> float:
        return self.module.workload.self_paced_jp

    @property
    def pass_mark(self) -> float | None:
        post = self.module.post_test
        return post.pass_mark if post is not None else None


@dataclass
class Catalogue:
    modules: list[ModuleFacts]
    ids: dict[str, tuple[int, int, int]]  # activity id -> (what, module index, bit or session index)
    prefixes: dict[str, int]  # module IRI + "/" -> module index

    @property
    def lessons(self) -> int:
        return sum(len(m.lesson_masks) for m in self.modules)

    def find(self, activity_id: str) -> tuple[int, int, int] | None:
        """What an activity id is, or None when it is not of this course; a few dict lookups."""
        found = self.ids.get(activity_id)
        if found is not None:
            return found
        # an id below a module's IRI: try its ancestors, at most a handful of segments up
        cut = activity_id
        for _ in range(8):
            slash = cut.rfind("/")
            if slash <= 0:
                return None
            cut = cut[:slash]
            module = self.prefixes.get(cut + "/")
            if module is not None:
                return OTHER, module, 0
        return None

    def queries(self) -> list[str]:
        """The activity ids to ask an LRS about (with related_activities): each module's IRI, which
        Tin Can packages and records use as object or parent, and each cmi5 AU id, which the LMS
        puts in every statement's grouping (cmi5 9.6.2.3)."""
        return [activity for activity, (what, _, _) in self.ids.items() if what in (MODULE, UNIT)]


def catalogue(course: Course, modules: list[Module]) -> Catalogue:
    ids: dict[str, tuple[int, int, int]] = {}
    prefixes: dict[str, int] = {}
    facts = []
    for index, module in enumerate(modules):
        iri = module.iri
        prefixes[iri + "/"] = index
        ids[iri] = (MODULE, index, 0)
        ids[f"{iri}/au/module"] = (UNIT, index, 0)  # the single-AU structure: the whole module
        masks = []
        bit = 0
        for lesson in module.lessons:
            mask = 0
            for page in lesson.pages:
                ids[f"{iri}/pages/{page.id}"] = (PAGE, index, 1 << bit)
                mask |= 1 << bit
                bit += 1
            masks.append(mask)
        units: dict[str, int] = {}
        for lesson in module.lessons:
            units[f"lesson-{lesson.id}"] = 1 << len(units)
        if module.post_test is not None:
            units[f"test-{module.post_test.id}"] = 1 << len(units)
            ids[f"{iri}/assessments/{module.post_test.id}"] = (POST_TEST, index, 0)
        for key, unit_bit in units.items():
            ids[f"{iri}/au/{key}"] = (UNIT, index, unit_bit)
        if module.pre_test is not None:
            ids[f"{iri}/assessments/{module.pre_test.id}"] = (PRE_TEST, index, 0)
            ids[f"{iri}/au/test-{module.pre_test.id}"] = (PRE_TEST, index, 0)
        post_bit = units.get(f"test-{module.post_test.id}", 0) if module.post_test is not None else 0
        entry = ModuleFacts(index, module, masks, units, sum(units.values()), post_bit)
        for number, session in enumerate(module.facilitated_sessions):
            ids[f"{iri}/sessions/{session.id}"] = (SESSION, index, number)
            entry.session_jp.append(session.jp)
        facts.append(entry)
    return Catalogue(facts, ids, prefixes)
