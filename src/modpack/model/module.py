"""The module: one training module, the single source of truth every package is built from."""

from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr, ValidationInfo, field_validator, model_validator
from pydantic.functional_validators import ModelWrapValidatorHandler

from ..messages import t
from .assessment import Assessment
from .budget import Budget
from .common import (
    DEFAULT_LANGUAGE,
    HttpUrl,
    LangList,
    LangText,
    LanguageTag,
    Slug,
    StrictModel,
    Version,
    default_language,
)
from .completion import Completion
from .delivery import Delivery
from .lesson import Lesson
from .people import Author, Institution
from .question import Question
from .session import FacilitatedSession
from .theme import Theme

MINUTES_PER_JP = 45
DEFAULT_IRI_BASE = "https://modpack.invalid/"


class Workload(StrictModel):
    """Study time in JP (jam pelajaran, lesson hours)."""

    self_paced_jp: float = Field(ge=0, le=1000, description="JP of self-study, i.e. what the package delivers.")
    facilitated_jp: float = Field(0, ge=0, le=1000, description="JP taught by a facilitator (see facilitated_sessions).")
    minutes_per_jp: int = Field(MINUTES_PER_JP, ge=1, le=120, description="Minutes in one JP (45 in Indonesian training).")

    @property
    def total_jp(self) -> float:
        return self.self_paced_jp + self.facilitated_jp

    @property
    def self_paced_minutes(self) -> float:
        return self.self_paced_jp * self.minutes_per_jp


class Objective(StrictModel):
    id: Slug
    text: LangText


def _languages_of(data: Any) -> str:
    """The default language a definition declares, before it is validated."""
    if isinstance(data, dict):
        langs = data.get("languages")
        if isinstance(langs, list) and langs and isinstance(langs[0], str):
            return langs[0]
    elif isinstance(data, StrictModel):
        return str(getattr(data, "languages", [DEFAULT_LANGUAGE])[0])
    return DEFAULT_LANGUAGE


class Localised(StrictModel):
    """Base of the top-level definitions: plain strings are read in the first declared language."""

    languages: list[LanguageTag] = Field(
        default_factory=lambda: [DEFAULT_LANGUAGE],
        min_length=1,
        description="Languages of the content; the first is the default (id-ID unless you say otherwise).",
    )

    @model_validator(mode="wrap")
    @classmethod
    def _in_default_language(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        token = default_language.set(_languages_of(data))
        try:
            return handler(data)
        finally:
            default_language.reset(token)

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError(t("a language is listed twice"))
        return value

    @property
    def language(self) -> str:
        return self.languages[0]


class Module(Localised):
    """A training module: identity, workload, objectives, lessons, assessments and rules."""

    schema_uri: str | None = Field(None, alias="$schema", description="The JSON Schema editors check this file with.")
    id: Slug = Field(description="Stable id (a slug). Keep it across revisions so LMSs update, not duplicate, the module.")
    version: Version = "1.0.0"
    title: LangText
    description: LangText | None = None
    authors: list[Author] = Field(default_factory=list)
    institution: Institution | None = None
    licence: str | None = Field(None, description="An SPDX id such as CC-BY-SA-4.0, or a short statement.")
    keywords: LangList = Field(default_factory=dict)
    audience: LangList = Field(default_factory=dict, description="Who the module is for, e.g. pendamping PKH.")
    iri_base: HttpUrl | None = Field(None, description="Base of xAPI/cmi5 activity ids, e.g. https://pelatihan.example.go.id/xapi/")
    workload: Workload
    objectives: list[Objective] = Field(default_factory=list)
    pre_test: Assessment | None = None
    lessons: list[Lesson] = Field(min_length=1)
    post_test: Assessment | None = None
    completion: Completion = Field(default_factory=Completion)
    facilitated_sessions: list[FacilitatedSession] = Field(default_factory=list)
    delivery: Delivery = Field(default_factory=Delivery)
    theme: Theme = Field(default_factory=Theme, description="The institution's colour, logo and font.")
    certificate: bool = Field(True, description="Offer a printable completion certificate once the module is complete.")
    budget: Budget = Field(default_factory=Budget, description="Download budget per page and per package (for slow links).")

    _root: Path | None = PrivateAttr(None)
    # the pages as validation read them (definition.files.PageTexts), for the packer; None if built in code
    _page_texts: Any = PrivateAttr(None)

    @model_validator(mode="after")
    def _completion_rule(self, info: ValidationInfo) -> "Module":
        rule = self.completion
        if rule.requires is None:
            rule.requires = ["pages", "post-test"] if self.post_test else ["pages"]
        if not rule.requires:
            raise ValueError(t("completion.requires must name 'pages', 'post-test' or both"))
        if "post-test" in rule.requires and self.post_test is None:
            raise ValueError(t("completion.requires 'post-test' but the module has no post_test"))
        if rule.report is None:
            rule.report = "passed-failed" if "post-test" in rule.requires else "completed-incomplete"
        elif rule.report == "passed-failed" and "post-test" not in rule.requires:
            raise ValueError(t("completion.report 'passed-failed' needs 'post-test' in completion.requires"))
        return self

    # -- what every target reads -------------------------------------------------

    @property
    def root(self) -> Path | None:
        """The folder the module was loaded from (assets are relative to it); None if built in code."""
        return self._root

    @property
    def effective_iri_base(self) -> str:
        base = self.iri_base or DEFAULT_IRI_BASE
        return base if base.endswith("/") else base + "/"

    @property
    def iri(self) -> str:
        """The module's activity id, derived from its stable id."""
        return f"{self.effective_iri_base}modules/{self.id}"

    def assessments(self) -> list[Assessment]:
        """Pre-test, lesson quizzes, post-test, in the order a learner meets them."""
        found = [self.pre_test] if self.pre_test else []
        found += [lesson.quiz for lesson in self.lessons if lesson.quiz]
        return found + ([self.post_test] if self.post_test else [])

    def questions(self) -> list[Question]:
        return [q for a in self.assessments() for q in a.all_questions()]

    def page_count(self) -> int:
        return sum(len(lesson.pages) for lesson in self.lessons)

    def text(self, value: dict[str, str] | None, language: str | None = None) -> str:
        """Text of a language map in ``language``, falling back to the module's default."""
        if not value:
            return ""
        return value.get(language or self.language) or value.get(self.language) or next(iter(value.values()))

