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

import typing
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
        problems = scene_problems([(s.id, [c.next for c in s.choices], s.outcome is not None) for s in self.items])
        if problems:
            raise ValueError("; ".join(problems))
        return self


def scene_problems(scenes: list[tuple[str, list[str], bool]]) -> list[str]:
    """Every way a scenario's scenes fail to make a case, all at once: each scene as (its id, the
    ids its choices lead to, whether it has an outcome). The loader also asks it of a scenario
    whose other fields are wrong, so that an author sees these in the same run."""
    problems = []
    seen: set[str] = set()
    for ident, _, _ in scenes:
        if ident in seen:
            problems.append(t("duplicate scene id '{value}'", value=ident))
        seen.add(ident)
    for ident, leads, ending in scenes:
        problems += [t("a choice of scene '{scene}' leads to '{value}', which is no scene here", scene=ident, value=n)
                     for n in leads if n not in seen]
        if not leads and not ending:
            problems.append(t("scene '{scene}' has no choices: give it an outcome (good, fair or poor) as an "
                              "ending", scene=ident))
    if not scenes:
        return problems
    by_id: dict[str, list[str]] = {}
    for ident, leads, _ in scenes:
        by_id.setdefault(ident, leads)
    first = scenes[0][0]
    reached, queue = {first}, [first]
    while queue:
        for lead in by_id.get(queue.pop(), []):
            if lead in by_id and lead not in reached:
                reached.add(lead)
                queue.append(lead)
    unreached = [ident for ident, _, _ in scenes if ident not in reached]
    if unreached:
        problems.append(t("no choice leads to scene(s) {scenes}", scenes=", ".join(unreached)))
    endings = [ident for ident in reached if not by_id[ident]]
    if not endings:
        problems.append(t("the scenario has no ending: every scene leads on"))
        return problems
    # scenes from which some path ends: found back from the endings, every choice once
    back: dict[str, list[str]] = {}
    for ident in reached:
        for lead in by_id[ident]:
            back.setdefault(lead, []).append(ident)
    ends, queue = set(endings), list(endings)
    while queue:
        for before in back.get(queue.pop(), []):
            if before not in ends:
                ends.add(before)
                queue.append(before)
    trapped = [ident for ident, _, _ in scenes if ident in reached and ident not in ends]
    if trapped:
        problems.append(t("from scene(s) {scenes} no path leads to an ending: a learner there would go round for "
                          "ever; give one of them a choice that leads on", scenes=", ".join(dict.fromkeys(trapped))))
    return problems


Block = Annotated[Union[Accordion, Tabs, FlipCards, Steps, Hotspots, Timeline, Callout, Check, Scenario],
                  Field(discriminator="type")]
BLOCK_TYPES = ("accordion", "tabs", "flip-cards", "steps", "hotspots", "timeline", "callout", "check", "scenario")
# each block's model by its type: what its files are read by when the block as a whole is not valid
BLOCK_MODELS: dict[str, type[StrictModel]] = {
    typing.get_args(model.model_fields["type"].annotation)[0]: model
    for model in (Accordion, Tabs, FlipCards, Steps, Hotspots, Timeline, Callout, Check, Scenario)}
# Blocks whose body may be a plain YAML list: it stands for their items.
LIST_BLOCKS = ("accordion", "tabs", "flip-cards", "steps", "timeline")
