"""Interactive blocks: what a page's Markdown may hold besides text, written as fenced blocks
whose info string names the kind and whose body is YAML (docs/definition-format.md):

    ```accordion
    - title: Apa itu SLRT?
      text: Sistem Layanan dan Rujukan Terpadu ...
    ```

Texts are Markdown in the page's language; paths (a hotspot image) are relative to the page's
Markdown file, like its links. The player shows every block without JavaScript too (an accordion
is a ``<details>``, tabs are sections), and makes it interactive when it can.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import AfterValidator, Field, model_validator

from ..messages import t
from .common import FILE, MARKDOWN, Slug, StrictModel
from .question import MultipleResponse, SingleChoice, TrueFalse

Text = Annotated[str, Field(min_length=1)]
MarkdownText = Annotated[str, Field(min_length=1), MARKDOWN]
"""Markdown in the page's language."""


def _check_link_path(value: str) -> str:
    """A path as a page's links are written: relative to the page, '..' allowed (the file rule
    then decides whether it stays in the module)."""
    if not value or value.strip() != value or value.startswith("/") or "\\" in value or ":" in value.split("/")[0]:
        raise ValueError(t("'{value}' is not a path relative to the page (e.g. ../gambar/peta.png)", value=value))
    return value


BlockPath = Annotated[str, AfterValidator(_check_link_path), FILE]


class Titled(StrictModel):
    title: Text
    text: MarkdownText


class Accordion(StrictModel):
    """Sections that open one by one (a ``<details>`` each)."""

    type: Literal["accordion"]
    items: list[Titled] = Field(min_length=1)


class Tabs(StrictModel):
    """Sections side by side, one shown at a time."""

    type: Literal["tabs"]
    items: list[Titled] = Field(min_length=2)


class FlipCard(StrictModel):
    front: MarkdownText
    back: MarkdownText


class FlipCards(StrictModel):
    """Cards with a question or term on the front and the answer on the back."""

    type: Literal["flip-cards"]
    items: list[FlipCard] = Field(min_length=1)


class Steps(StrictModel):
    """A process shown step by step: the learner reveals the next step when ready."""

    type: Literal["steps"]
    items: list[Titled] = Field(min_length=2)


class Hotspot(StrictModel):
    x: float = Field(ge=0, le=100, description="From the left edge, in percent of the image's width.")
    y: float = Field(ge=0, le=100, description="From the top edge, in percent of the image's height.")
    label: Text
    text: MarkdownText


class Hotspots(StrictModel):
    """An image with labelled points; each opens a short text."""

    type: Literal["hotspots"]
    image: BlockPath
    alt: Text = Field(description="What the image shows, for learners who cannot see it.")
    items: list[Hotspot] = Field(min_length=1)


class TimelineEvent(StrictModel):
    when: Text
    title: Text
    text: MarkdownText | None = None


class Timeline(StrictModel):
    type: Literal["timeline"]
    items: list[TimelineEvent] = Field(min_length=2)


class Callout(StrictModel):
    """A box set apart from the text: 'Tahukah Anda?', a tip, a warning or a quote."""

    type: Literal["callout"]
    kind: Literal["did-you-know", "tip", "warning", "quote"] = "did-you-know"
    title: Text | None = None
    text: MarkdownText
    source: Text | None = Field(None, description="Who said it, for a quote.")


CheckQuestion = Annotated[Union[SingleChoice, MultipleResponse, TrueFalse], Field(discriminator="type")]


class Check(StrictModel):
    """One question in the middle of a page, with immediate feedback."""

    type: Literal["check"]
    question: CheckQuestion
    scored: bool = Field(False, description="Counts towards the module's score (and is reported) when true.")


class ScenarioChoice(StrictModel):
    text: MarkdownText
    next: Slug = Field(description="The id of the scene this choice leads to.")
    feedback: MarkdownText | None = None


class Scene(StrictModel):
    id: Slug
    text: MarkdownText
    choices: list[ScenarioChoice] = Field(default_factory=list, description="None: the scene is an ending.")
    outcome: Literal["good", "fair", "poor"] | None = Field(None, description="How an ending went.")


class Scenario(StrictModel):
    """A short case: each choice leads to another scene, until an ending."""

    type: Literal["scenario"]
    id: Slug
    title: Text
    items: list[Scene] = Field(min_length=2, description="The scenes; the first is where the case starts.")

    @model_validator(mode="after")
    def _scenes_connect(self) -> "Scenario":
        ids = [scene.id for scene in self.items]
        seen: set[str] = set()
        for ident in ids:
            if ident in seen:
                raise ValueError(t("duplicate scene id '{value}'", value=ident))
            seen.add(ident)
        for scene in self.items:
            for choice in scene.choices:
                if choice.next not in seen:
                    raise ValueError(t("a choice of scene '{scene}' leads to '{value}', which is no scene here",
                                       scene=scene.id, value=choice.next))
            if not scene.choices and scene.outcome is None:
                raise ValueError(t("scene '{scene}' has no choices: give it an outcome (good, fair or poor) as an "
                                   "ending", scene=scene.id))
        by_id = {scene.id: scene for scene in self.items}
        reached, queue = {ids[0]}, [ids[0]]
        while queue:
            for choice in by_id[queue.pop()].choices:
                if choice.next not in reached:
                    reached.add(choice.next)
                    queue.append(choice.next)
        unreached = [ident for ident in ids if ident not in reached]
        if unreached:
            raise ValueError(t("no choice leads to scene(s) {scenes}", scenes=", ".join(unreached)))
        if not any(not by_id[ident].choices for ident in reached):
            raise ValueError(t("the scenario has no ending: every scene leads on"))
        return self


Block = Annotated[Union[Accordion, Tabs, FlipCards, Steps, Hotspots, Timeline, Callout, Check, Scenario],
                  Field(discriminator="type")]
BLOCK_TYPES = ("accordion", "tabs", "flip-cards", "steps", "hotspots", "timeline", "callout", "check", "scenario")
# Blocks whose body may be a plain YAML list: it stands for their items.
LIST_BLOCKS = ("accordion", "tabs", "flip-cards", "steps", "timeline")
