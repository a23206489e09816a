"""Assessments: pre-test, lesson quizzes and post-test, with pools for random draws."""

from pydantic import Field, model_validator

from ..messages import t
from .common import LangText, Slug, StrictModel
from .question import Question


class QuestionPool(StrictModel):
    """A bank of questions of which ``draw`` are picked at random for each attempt."""

    id: Slug
    draw: int = Field(ge=1, description="How many questions each attempt draws from this pool.")
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _enough_to_draw(self) -> "QuestionPool":
        if self.draw > len(self.questions):
            raise ValueError(t("the pool draws {draw} questions but holds only {count}", draw=self.draw, count=len(self.questions)))
        return self


class Assessment(StrictModel):
    id: Slug
    title: LangText | None = None
    pass_mark: float = Field(70, ge=0, le=100, description="The score, in percent, needed to pass.")
    attempts: int = Field(0, ge=0, le=100, description="Attempts allowed; 0 means unlimited.")
    shuffle_choices: bool = Field(True, description="Show choices (and matching targets) in a random order.")
    questions: list[Question] = Field(default_factory=list, description="Questions asked in every attempt.")
    pools: list[QuestionPool] = Field(default_factory=list, description="Pools drawn from at random.")

    @model_validator(mode="after")
    def _has_questions(self) -> "Assessment":
        if not self.questions and not self.pools:
            raise ValueError(t("an assessment needs at least one question or pool"))
        return self

    def all_questions(self) -> list[Question]:
        """Every question that can be asked, fixed ones first, then each pool's."""
        return [*self.questions, *(q for pool in self.pools for q in pool.questions)]

    def asked_count(self) -> int:
        """How many questions one attempt asks."""
        return len(self.questions) + sum(pool.draw for pool in self.pools)
