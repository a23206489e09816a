"""Blocks to Markdown: paragraphs with bold, italic and links; nested lists; tables; images
(extracted into gambar/ and named from the page); captions; footnotes as notes at the page end."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from ..definition.files import is_active
from ..definition.svg import InvalidSvg, sanitise
from ..messages import t
from .word import Block, Image, Inline

# what a link target keeps as it is (RFC 3986's reserved and unreserved characters, and '%'); the
# rest, '(' ')' '<' '>' spaces and control characters among them, is percent-encoded
_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+[.)])(\s)")


def escape(text: str) -> str:
    """Text as Markdown shows it literally (no accidental emphasis, lists, HTML)."""
    return _SPECIAL.sub(r"\\\1", text)


@dataclass
class Page:
    """What one page collects while it is rendered: its footnotes and images."""

    images: dict[str, Image] = field(default_factory=dict)  # file name in gambar/ -> image
    notes: list[str] = field(default_factory=list)
    missing_alt: list[tuple[Block, Image]] = field(default_factory=list)
    external: list[tuple[Block, Image]] = field(default_factory=list)
    refused: list[tuple[Block, Image, str]] = field(default_factory=list)  # with why it is not packed


def _not_a_picture(image: Image) -> str | None:
    """Why an embedded picture cannot be packed as one (the module's own check would refuse it,
    and the whole import with it), or None."""
    if is_active(image.name):
        return t("its name makes it a file that runs script")
    if image.name.lower().endswith(".svg"):
        try:
            sanitise(image.data or b"")
        except InvalidSvg as exc:
            return str(exc)
    return None


class Renderer:
    def __init__(self) -> None:
        self.names: dict[int, str] = {}  # id(image data) -> gambar/ name, so an image used twice is stored once
        self.taken: set[str] = set()
        self.figures = 0

    def _image_name(self, image: Image) -> str:
        key = id(image.data)
        if key in self.names:
            return self.names[key]
        stem, dot, suffix = image.name.rpartition(".")
        base = re.sub(r"[^a-z0-9]+", "-", (stem or image.name).lower()).strip("-") or "gambar"
        suffix = re.sub(r"[^a-z0-9]", "", suffix.lower()) or "png"
        name, n = f"{base}.{suffix}", 2
        while name in self.taken:
            name, n = f"{base}-{n}.{suffix}", n + 1
        self.taken.add(name)
        self.names[key] = name
        return name

    def inline(self, inlines: list[Inline], page: Page, block: Block) -> str:
        out: list[str] = []
        for piece in inlines:
            if piece.image is not None:
                out.append(self.image(piece.image, page, block))
                continue
            if piece.footnote is not None:
                page.notes.append(piece.footnote)
                out.append(f"<sup>{len(page.notes)}</sup>")
                continue
            text = piece.text.replace("\n", " ")
            if not text:
                continue
            lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", text, re.DOTALL).groups()  # type: ignore[union-attr]
            core = escape(core)
            if core and piece.bold:
                core = f"**{core}**"
            if core and piece.italic:
                core = f"*{core}*"
            if core and piece.link:  # the target percent-encoded: a ')' or a space in it cannot end the link
                core = f"[{core}]({quote(piece.link, safe=_URL_SAFE)})"
            out.append(lead + core + trail)
        text = re.sub(r"[ \t]+", " ", "".join(out)).strip()
        return text.replace("****", "")  # two bold runs side by side

    def image(self, image: Image, page: Page, block: Block) -> str:
        self.figures += 1
        alt = image.alt
        if image.data is None:  # linked from outside: not fetched (a package must work offline)
            page.external.append((block, image))
            return escape(f"[{alt or 'gambar'}: {image.link}]")
        why = _not_a_picture(image)
        if why is not None:  # its name runs script, or an SVG that is no picture: the import goes on without it
            page.refused.append((block, image, why))
            return escape(f"[{alt or 'gambar'}]")
        if not alt:
            page.missing_alt.append((block, image))
            alt = f"Gambar {self.figures}"
        name = self._image_name(image)
        page.images[name] = image
        return f"![{escape(alt)}](../gambar/{name})"

    def table(self, block: Block, page: Page) -> str:
        rows = [[" <br> ".join(self.inline(p.inlines, page, p) for p in cell).replace("|", "\\|") or " "
                 for cell in row] for row in block.rows if row]
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [" "] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    def blocks(self, blocks: list[Block], page: Page, heading_offset: int = 0,
               headings: dict[int, int] | None = None) -> str:
        """Markdown of ``blocks``; ``headings`` (index -> level) are written as Markdown headings."""
        parts: list[str] = []
        list_base: int | None = None
        for block in blocks:
            if block.kind == "table":
                parts.append(self.table(block, page))
                list_base = None
                continue
            level = (headings or {}).get(block.index)
            if level is not None or block.caption:  # a heading's or caption's own style is not emphasis
                plain = [Inline(i.text, link=i.link, footnote=i.footnote, image=i.image) for i in block.inlines]
                text = self.inline(plain, page, block)
            else:
                text = self.inline(block.inlines, page, block)
            if not text:
                continue
            if level is not None:
                parts.append("#" * min(6, max(2, level - heading_offset)) + " " + text)
                list_base = None
            elif block.list_level is not None:
                if list_base is None or block.list_level < list_base:
                    list_base = block.list_level
                indent = "   " * (block.list_level - list_base)
                marker = "1." if block.list_format == "decimal" else "-"
                item = f"{indent}{marker} {text}"
                if parts and parts[-1].lstrip().startswith(("- ", "1. ")) and not parts[-1].startswith("|"):
                    parts[-1] += "\n" + item  # one list, not a list per item
                else:
                    parts.append(item)
            elif block.caption:
                parts.append(f"*{text}*")
                list_base = None
            else:  # a paragraph that starts like "1. " or "- " is text, not a list
                parts.append(_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) + m.group(3), text))
                list_base = None
        return "\n\n".join(p for p in parts if p)

    def notes(self, page: Page) -> str:
        if not page.notes:
            return ""
        return "\n\n---\n\n" + "\n".join(f"{n}. {escape(text)}" for n, text in enumerate(page.notes, start=1))
