"""Finding the interactive blocks of a page's Markdown and reading each into the model, with
its problems located in the Markdown file (line and column) like every other diagnostic."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pyromark
from pydantic import TypeAdapter, ValidationError

from ..messages import t
from ..model.blocks import BLOCK_TYPES, LIST_BLOCKS, Block, scene_problems
from ..model.common import default_language, is_slug
from .diagnostics import Diagnostic
from .source import Source, parse_text

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH


@dataclass
class FoundBlock:
    """A fenced block of a known kind: where it stands in the Markdown and its YAML body."""

    kind: str
    body: str
    line: int  # of the body's first line in the Markdown text, from 1
    start: int  # byte offsets of the whole fence in the text's UTF-8
    end: int


def find(text: str) -> list[FoundBlock]:
    """Every ```kind fence of an interactive block (``BLOCK_TYPES``) in ``text``, in order."""
    # one character first: memchr finds it sixty times faster than a three-character search
    if ("`" not in text or "```" not in text) and ("~" not in text or "~~~" not in text):
        return []
    data = text.encode("utf-8")
    found: list[FoundBlock] = []
    current: tuple[str, int] | None = None
    body: list[str] = []
    counted, lines = 0, 1  # lines before byte `counted`: counted on from the block before, not from 0
    for event, span in pyromark.events_with_range(text, options=_OPTIONS):
        if not isinstance(event, dict):
            continue
        start = event.get("Start")
        if isinstance(start, dict) and isinstance(start.get("CodeBlock"), dict):
            kind = str(start["CodeBlock"].get("Fenced", "")).strip().split(" ")[0]
            if kind in BLOCK_TYPES:
                current, body = (kind, span["start"]), []
        elif current is not None and "Text" in event:
            body.append(str(event["Text"]))
        elif current is not None and event.get("End") == "CodeBlock":
            kind, begin = current
            lines += data.count(b"\n", counted, begin)
            counted = begin
            line = lines + 1  # the line after the opening fence
            found.append(FoundBlock(kind, "".join(body), line, begin, span["end"]))
            current = None
    return found


@lru_cache(maxsize=1)
def _adapter() -> TypeAdapter[Any]:
    return TypeAdapter(Block)


def parse(found: FoundBlock, file: str, first_line: int, language: str) -> tuple[Any, Source | None, list[Diagnostic]]:
    """The block as the model reads it (or None), its source with positions in the Markdown file,
    and its problems. ``first_line`` is the line the Markdown text starts on in ``file``."""
    from .loader import _not_said_before, _schema_diagnostics  # one place turns pydantic errors into our words

    offset = first_line + found.line - 2
    src, problems = parse_text(found.body or "\n", file)
    # where in the block, as the schema's problems say it ('hotspots.items[1].x')
    problems = [_shifted(replace(d, field=_field(found.kind, d.field)), offset) for d in problems]
    if src is None:
        if not found.body.strip():
            return None, None, [Diagnostic(file, offset + 1, 1, found.kind, t("the {kind} block is empty",
                                                                             kind=found.kind), code="block")]
        return None, None, problems
    _shift(src, offset)
    data = src.data
    if isinstance(data, list) and found.kind in LIST_BLOCKS:
        data = {"items": data}
        src.positions = {("items", *path): position for path, position in src.positions.items()}
        src.key_positions = {("items", *path): position for path, position in src.key_positions.items()}
        src.text_lines = {("items", *path): line for path, line in src.text_lines.items()}
        src.positions.setdefault((), (offset + 1, 1))
    if not isinstance(data, dict):
        return None, src, problems + [Diagnostic(file, offset + 1, 1, found.kind,
                                                 t("the {kind} block must hold fields (e.g. 'title: ...') or, for "
                                                   "{lists}, a list of items", kind=found.kind,
                                                   lists=", ".join(LIST_BLOCKS)), code="block")]
    src.data = {"type": found.kind, **data}
    token = default_language.set(language)
    try:
        block = _adapter().validate_python(src.data)
    except ValidationError as exc:
        found_problems = _not_said_before(problems, _schema_diagnostics(src, exc, root=Block))
        told = problems + [Diagnostic(d.file, d.line, d.column, _field(found.kind, d.field), d.message,
                                      d.severity, d.code) for d in found_problems]
        if found.kind == "scenario":  # how its scenes connect, said now too: pydantic skips it after a field error
            said = " ".join(d.message for d in told)
            told += [Diagnostic(file, offset + 1, 1, _field(found.kind, "items"), message, code="block")
                     for message in scene_problems(_raw_scenes(src.data)) if message not in said]
        return None, src, told
    finally:
        default_language.reset(token)
    return block, src, problems


def _raw_scenes(data: dict[str, Any]) -> list[tuple[str, list[str], bool]]:
    """A scenario's scenes as written, for scene_problems; none if they are not even scenes with ids."""
    items = data.get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) and is_slug(i.get("id")) for i in items):
        return []  # an id that is wrong is told as such; its connections would be told wrongly
    scenes = []
    for item in items:
        choices = item.get("choices") if isinstance(item.get("choices"), list) else []
        if not all(isinstance(c, dict) and is_slug(c.get("next")) for c in choices):
            return []  # a choice whose 'next' is wrong or missing is told as such
        leads = [c["next"] for c in choices]
        scenes.append((item["id"], leads, item.get("outcome") is not None))
    return scenes


def _field(kind: str, field: str) -> str:
    return f"{kind}.{field}" if field else kind


def _shifted(d: Diagnostic, offset: int) -> Diagnostic:
    return Diagnostic(d.file, d.line + offset if d.line else d.line, d.column, d.field, d.message, d.severity, d.code)


def _shift(src: Source, offset: int) -> None:
    src.positions = {path: (line + offset, col) for path, (line, col) in src.positions.items()}
    src.key_positions = {path: (line + offset, col) for path, (line, col) in src.key_positions.items()}
    src.text_lines = {path: line + offset for path, line in src.text_lines.items()}
