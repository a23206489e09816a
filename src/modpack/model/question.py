"""Questions, one class per type; the ``type`` field says which."""

from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from ..messages import did_you_mean, t
from .common import LangText, Markdown, Slug, StrictModel


class Feedback(StrictModel):
    correct: Markdown | None = Field(None, description="Shown after a correct answer (Markdown).")
    incorrect: Markdown | None = Field(None, description="Shown after a wrong answer (Markdown).")


class Choice(StrictModel):
    id: Slug
    text: Markdown
    feedback: Markdown | None = Field(None, description="Shown when the learner picks this choice (Markdown).")


class _Question(StrictModel):
    id: Slug
    prompt: Markdown = Field(description="The question, in Markdown.")
    points: float = Field(1, gt=0, le=1000)
    objectives: list[Slug] = Field(default_factory=list, description="Ids of the objectives this question checks.")
    feedback: Feedback = Field(default_factory=Feedback)


def _choice_ids(info: ValidationInfo) -> set[str] | None:
    choices = info.data.get("choices")
    return None if choices is None else {c.id for c in choices}


def _unique_ids(what: str) -> AfterValidator:
    def check(items: list[Any]) -> list[Any]:
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise ValueError(t("duplicate {what} id '{value}'", what=t(what), value=item.id))
            seen.add(item.id)
        return items

    return AfterValidator(check)


class SingleChoice(_Question):
    type: Literal["single-choice"]
    choices: Annotated[list[Choice], _unique_ids("choice")] = Field(min_length=2)
    correct: Slug = Field(description="The id of the one correct choice.")


    @field_validator("correct")
    @classmethod
    def _among_choices(cls, value: str, info: ValidationInfo) -> str:
        ids = _choice_ids(info)
        if ids is not None and value not in ids:
            raise ValueError(t("the correct answer '{value}' is not among the choices ({choices}){hint}", value=value,
                               choices=", ".join(sorted(ids)), hint=did_you_mean(value, ids)))
        return value


class MultipleResponse(_Question):
    type: Literal["multiple-response"]
    choices: Annotated[list[Choice], _unique_ids("choice")] = Field(min_length=2)
    correct: list[Slug] = Field(min_length=1, description="The ids of every correct choice.")


    @field_validator("correct")
    @classmethod
    def _among_choices(cls, value: list[str], info: ValidationInfo) -> list[str]:
        ids = _choice_ids(info)
        if ids is not None:
            unknown = [v for v in value if v not in ids]
            if unknown:
                raise ValueError(t("correct answer(s) {values} not among the choices ({choices})",
                                   values=", ".join(repr(u) for u in unknown), choices=", ".join(sorted(ids))))
        if len(set(value)) != len(value):
            raise ValueError(t("a correct answer is listed twice"))
        return value


class TrueFalse(_Question):
    type: Literal["true-false"]
    correct: bool


class FillIn(_Question):
    type: Literal["fill-in"]
    accepted: list[LangText] = Field(min_length=1, description="Every answer that counts as correct.")
    case_sensitive: bool = Field(False, description="Whether 'PKH' and 'pkh' are different answers.")


class MatchItem(StrictModel):
    id: Slug
    text: Markdown


class Matching(_Question):
    """Match each source to its target; extra targets act as distractors."""

    type: Literal["matching"]
    sources: Annotated[list[MatchItem], _unique_ids("source")] = Field(min_length=2)
    targets: Annotated[list[MatchItem], _unique_ids("target")] = Field(min_length=2)
    correct: dict[Slug, Slug] = Field(description="Source id -> target id.")


    @field_validator("correct")
    @classmethod
    def _pairs_exist(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        sources, targets = info.data.get("sources"), info.data.get("targets")
        if sources is None or targets is None:
            return value
        source_ids, target_ids = {s.id for s in sources}, {t.id for t in targets}
        problems = [t("'{value}' is not a source", value=s) for s in value if s not in source_ids]
        problems += [t("'{value}' is not a target", value=v) for v in value.values() if v not in target_ids]
        problems += [t("source '{value}' has no match", value=s) for s in sorted(source_ids - set(value))]
        if problems:
            raise ValueError("; ".join(problems))
        return value


class Categorize(_Question):
    """Sort items into categories: by dragging, or by tap and keyboard (pick an item, then its place)."""

    type: Literal["categorize"]
    categories: Annotated[list[MatchItem], _unique_ids("category")] = Field(min_length=2)
    items: Annotated[list[MatchItem], _unique_ids("item")] = Field(min_length=2)
    correct: dict[Slug, Slug] = Field(description="Item id -> the id of its category.")

    @field_validator("correct")
    @classmethod
    def _every_item_placed(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        categories, items = info.data.get("categories"), info.data.get("items")
        if categories is None or items is None:
            return value
        category_ids, item_ids = {c.id for c in categories}, {i.id for i in items}
        problems = [t("'{value}' is not an item", value=i) + did_you_mean(i, item_ids) for i in value if i not in item_ids]
        problems += [t("'{value}' is not a category", value=c) + did_you_mean(c, category_ids)
                     for c in value.values() if c not in category_ids]
        problems += [t("item '{value}' has no category", value=i) for i in sorted(item_ids - set(value))]
        if problems:
            raise ValueError("; ".join(problems))
        return value


class Ordering(_Question):
    type: Literal["ordering"]
    items: Annotated[list[MatchItem], _unique_ids("item")] = Field(min_length=2, description="The items in their correct order; the player shuffles them.")



class Numeric(_Question):
    """A number: exactly ``correct``, or anything from ``min`` to ``max``."""

    type: Literal["numeric"]
    correct: float | None = None
    min: float | None = None
    max: float | None = None
    unit: LangText | None = Field(None, description="Shown after the answer box, e.g. 'JP' or 'rupiah'.")

    @model_validator(mode="after")
    def _exact_or_range(self) -> "Numeric":
        if self.correct is None and (self.min is None or self.max is None):
            raise ValueError(t("a numeric question needs 'correct', or both 'min' and 'max'"))
        if self.correct is not None and (self.min is not None or self.max is not None):
            raise ValueError(t("give either 'correct' or 'min'/'max', not both"))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(t("'min' ({low}) is greater than 'max' ({high})", low=f"{self.min:g}", high=f"{self.max:g}"))
        return self


Question = Annotated[
    Union[SingleChoice, MultipleResponse, TrueFalse, FillIn, Matching, Categorize, Ordering, Numeric],
    Field(discriminator="type"),
]
QUESTION_TYPES = ("single-choice", "multiple-response", "true-false", "fill-in", "matching", "categorize", "ordering",
                  "numeric")
