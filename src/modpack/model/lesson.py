"""Lessons: a titled run of pages, with an optional quiz at the end."""

from pydantic import Field

from .assessment import Assessment
from .common import LangText, Slug, StrictModel
from .page import Page


class Lesson(StrictModel):
    id: Slug
    title: LangText
    description: LangText | None = None
    objectives: list[Slug] = Field(default_factory=list, description="Ids of the objectives this lesson serves.")
    pages: list[Page] = Field(min_length=1)
    quiz: Assessment | None = Field(None, description="A practice quiz after the pages.")
