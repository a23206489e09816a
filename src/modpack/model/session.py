"""Facilitated sessions: taught by a person, not packaged, recorded as xAPI statements."""

from typing import Literal

from pydantic import Field

from .common import LangText, Slug, StrictModel


class FacilitatedSession(StrictModel):
    id: Slug
    title: LangText
    description: LangText | None = None
    jp: float = Field(gt=0, le=200, description="Lesson hours (JP) the session counts for.")
    mode: Literal["face-to-face", "online"] = "face-to-face"
    facilitator_role: LangText | None = Field(None, description="e.g. widyaiswara, pendamping, pekerja sosial")
    objectives: list[Slug] = Field(default_factory=list)
