"""Interactive blocks as the player receives them: HTML that reads well without JavaScript (an
accordion is ``<details>``, tabs are sections with headings, steps an ordered list), which the
player then makes interactive; and, for knowledge checks and scenarios, the data it needs.

Every text from the author is Markdown rendered and sanitised like a page (``render``), or
escaped; attributes are written here, from numbers and ids the model has checked.
"""

from __future__ import annotations

import html
from typing import Any, Callable

from ..model.blocks import Accordion, Callout, Check, FlipCards, Hotspots, Scenario, Steps, Tabs, Timeline

Render = Callable[[str], str]  # Markdown -> sanitised HTML, links and images mapped to the package
STATEFUL = ("accordion", "tabs", "flip-cards", "steps", "hotspots", "check", "scored-check", "scenario")


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def _inside(axis: str, percent: float) -> str:
    """A spot's centre at ``percent`` of the picture, but never closer than its half (22 px) to an edge;
    the bare percentage first, for a browser without clamp() (Chrome before 79), which drops the second."""
    return f"{axis}:{percent:g}%;{axis}:clamp(22px,{percent:g}%,calc(100% - 22px))"


def block_html(block: Any, number: int, render: Render, image: Callable[[str], str | None]) -> str:
    """The block's HTML; ``number`` is its place among the page's blocks (``data-block``)."""
    kind = block.type
    head = f'<div class="mp-block mp-{kind}" data-block="{number}" data-kind="{kind}">'
    if isinstance(block, Accordion):
        inner = "".join(f"<details><summary>{_attr(i.title)}</summary><div>{render(i.text)}</div></details>"
                        for i in block.items)
    elif isinstance(block, Tabs):
        inner = "".join(f'<section class="mp-tab"><h3>{_attr(i.title)}</h3><div>{render(i.text)}</div></section>'
                        for i in block.items)
    elif isinstance(block, FlipCards):
        inner = "".join(f'<div class="mp-card"><div class="mp-front">{render(c.front)}</div>'
                        f'<div class="mp-back">{render(c.back)}</div></div>' for c in block.items)
    elif isinstance(block, Steps):
        inner = "<ol>" + "".join(f"<li><h3>{_attr(i.title)}</h3>{render(i.text)}</li>" for i in block.items) + "</ol>"
    elif isinstance(block, Hotspots):
        source = image(block.image) or ""
        # a spot (44 px) at 0 or 100 would stick out of the picture and scroll the page sideways: kept inside
        spots = "".join(f'<button type="button" class="mp-spot" style="{_inside("left", s.x)};{_inside("top", s.y)}">'
                        f'<span aria-hidden="true">{n}</span><span class="mp-sr">{_attr(s.label)}</span></button>'
                        for n, s in enumerate(block.items, start=1))
        listing = "".join(f'<li value="{n}"><strong>{_attr(s.label)}</strong> {render(s.text)}</li>'
                          for n, s in enumerate(block.items, start=1))
        inner = (f'<div class="mp-hs-image"><img src="{_attr(source)}" alt="{_attr(block.alt)}">{spots}</div>'
                 f"<ol>{listing}</ol>")
    elif isinstance(block, Timeline):
        inner = "<ol>" + "".join(f'<li><span class="mp-when">{_attr(e.when)}</span> <strong>{_attr(e.title)}</strong>'
                                 f"{render(e.text) if e.text else ''}</li>" for e in block.items) + "</ol>"
    elif isinstance(block, Callout):
        title = f'<p class="mp-callout-title">{_attr(block.title)}</p>' if block.title else ""
        source = f"<footer>{_attr(block.source)}</footer>" if block.source else ""
        inner = f'{title}{render(block.text)}{source}'
        # a note, not a landmark: a page of four callouts had four unnamed "complementary" regions
        return (f'<aside class="mp-block mp-callout mp-{block.kind}" role="note" data-kind="callout" '
                f'data-callout="{block.kind}">{inner}</aside>')
    elif isinstance(block, Check):
        inner = ""  # the player draws the question from the page's data
    elif isinstance(block, Scenario):
        scenes = "".join(f'<li id="{_attr(block.id)}-{_attr(s.id)}">{render(s.text)}'
                         + ("<ul>" + "".join(f"<li>{render(c.text)}</li>" for c in s.choices) + "</ul>"
                            if s.choices else "") + "</li>" for s in block.items)
        inner = f'<h3>{_attr(block.title)}</h3><ol class="mp-scenes">{scenes}</ol>'
    else:  # pragma: no cover - every kind is above
        raise ValueError(kind)
    return f"{head}{inner}</div>"


def block_data(block: Any, render: Render, question: Callable[[Any], dict[str, Any]]) -> dict[str, Any] | None:
    """What the player needs beyond the HTML: the question of a check, the scenes of a scenario."""
    if isinstance(block, Check):
        return {"kind": "check", "scored": block.scored, "question": question(block.question)}
    if isinstance(block, Scenario):
        return {"kind": "scenario", "id": block.id, "title": block.title, "scenes": [
            {"id": s.id, "html": render(s.text), "outcome": s.outcome,
             "choices": [{"html": _inline(render(c.text)), "next": c.next,
                          **({"feedback": render(c.feedback)} if c.feedback else {})} for c in s.choices]}
            for s in block.items]}
    return {"kind": block.type}


def _inline(text: str) -> str:
    text = text.strip()
    if text.startswith("<p>") and text.endswith("</p>") and text.count("<p>") == 1:
        return text[3:-4]
    return text
