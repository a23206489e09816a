"""Blocks to Markdown: paragraphs with bold, italic and links; nested lists; tables; images
(extracted into gambar/ and named from the page); captions; footnotes as notes at the page end."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from ..definition.files import is_active
from ..definition.markdown import URL_SCHEMES
from ..definition.svg import InvalidSvg, sanitise
from ..messages import t
from .word import Block, Image, Inline

# what a link target keeps as it is (RFC 3986's reserved and unreserved characters, and '%'); the
# rest, '(' ')' '<' '>' spaces and control characters among them, is percent-encoded
_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_ITEM = re.compile(r"^\s*(?:-|\d+\.)\s")
_LETTERED = {"lowerLetter": "abcdefghijklmnopqrstuvwxyz", "upperLetter": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
             "lowerRoman": "", "upperRoman": ""}


_BULLETS = ("•", "◦", "▪")  # a bulleted item in a table cell, by its level


def _counted(counts: dict[tuple[str | None, int], int], list_id: str | None, level: int) -> int:
    """The number of this item in its Word list and level; the levels below it start again."""
    for key in [k for k in counts if k[0] == list_id and k[1] > level]:
        del counts[key]
    counts[(list_id, level)] = counts.get((list_id, level), 0) + 1
    return counts[(list_id, level)]


def _label(number: int, list_format: str | None) -> str:
    """a, b, ... or i, ii, ... for the ``number``-th item of a lettered or roman Word list."""
    if list_format in ("lowerRoman", "upperRoman"):
        roman, left = "", number
        for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                              (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while left >= value:
                roman, left = roman + digits, left - value
        return roman.upper() if list_format == "upperRoman" else roman
    letters = _LETTERED.get(list_format or "lowerLetter") or _LETTERED["lowerLetter"]
    label, left = "", number
    while left > 0:  # a, ..., z, aa, ab...
        left, rest = divmod(left - 1, 26)
        label = letters[rest] + label
    return label


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
    unlinked: dict[str, Block] = field(default_factory=dict)  # link targets that are no web address -> where


def web_link(target: str) -> str | None:
    """A link's target as a page may keep it: a web, mail or phone address (www.… as typed, made
    http://); None for what is not one (a file on the author's computer, a relative path, a
    script), which the module's own check would refuse, and the whole import with it."""
    target = target.strip()
    try:
        scheme = urlsplit(target).scheme.lower() if ":" in target else ""
    except ValueError:  # 'http://[foo': no address a browser can open
        return None
    if scheme in URL_SCHEMES:
        return target
    if not scheme and target.lower().startswith("www."):
        return "http://" + target
    return None


_WEB_PICTURES = frozenset({"png", "jpg", "jpeg", "jpe", "gif", "webp", "svg", "bmp", "avif", "ico"})
_DRAWINGS = frozenset({"emf", "wmf", "emz", "wmz", "tif", "tiff", "wdp", "jxr"})


def _not_a_picture(image: Image) -> str | None:
    """Why an embedded picture cannot be packed as one (the module's own check would refuse it,
    and the whole import with it), or None."""
    if is_active(image.name):
        return t("its name makes it a file that runs script")
    suffix = image.name.lower().rpartition(".")[2] if "." in image.name else ""
    if suffix in _DRAWINGS:  # Windows' own formats, which Word keeps and no browser shows
        return t("browsers cannot show {kind} pictures: in Word, right-click it, 'Save as Picture' as PNG, and insert "
                 "that", kind=suffix.upper())
    if suffix not in _WEB_PICTURES:
        return t("'.{suffix}' is not a picture a browser shows", suffix=suffix)
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
            # its spaces either side kept outside the bold or the link (strip, not a pattern: a lazy
            # match before trailing spaces is quadratic in a run of a million spaces)
            core = text.strip()
            start = len(text) - len(text.lstrip())
            lead, trail = text[:start], text[start + len(core):]
            core = escape(core)
            if core and piece.bold:
                core = f"**{core}**"
            if core and piece.italic:
                core = f"*{core}*"
            link = web_link(piece.link) if piece.link else None
            if piece.link and link is None:
                page.unlinked.setdefault(piece.link, block)
            if core and link:  # the target percent-encoded: a ')' or a space in it cannot end the link
                core = f"[{core}]({quote(link, safe=_URL_SAFE)})"
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
        rows = [[self.cell(cell, page).replace("|", "\\|") or " " for cell in row] for row in block.rows if row]
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [" "] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    def cell(self, paragraphs: list[Block], page: Page) -> str:
        """A table cell's paragraphs, a line each. A Markdown table holds no list: an item of one
        keeps its bullet, number or letter as text, indented by its level; nor a table: a row of
        one is a line, its cells apart by '|' (two paragraphs of one of its cells by ';')."""
        lines: list[str] = []
        counts: dict[tuple[str | None, int], int] = {}
        last: tuple[int, int] | None = None  # the inner table's row and cell of the paragraph before
        for paragraph in paragraphs:
            text = self.inline(paragraph.inlines, page, paragraph)
            if paragraph.cell_list is not None and text:
                level, list_format, list_id = paragraph.cell_list
                number = _counted(counts, list_id, level)
                if list_format in _LETTERED:
                    marker = f"{_label(number, list_format)}."
                elif list_format == "decimal":
                    marker = f"{number}."
                else:
                    marker = _BULLETS[min(level, len(_BULLETS) - 1)]
                text = "&nbsp;" * (3 * level) + f"{marker} {text}"
            here = paragraph.nested_cell
            if here is not None and last is not None and here[0] == last[0] and lines:
                lines[-1] += (" | " if here[1] != last[1] else "; ") + text  # (table() escapes the '|')
            else:
                lines.append(text)
            last = here
        return " <br> ".join(lines)

    def blocks(self, blocks: list[Block], page: Page, heading_offset: int = 0,
               headings: dict[int, int] | None = None) -> str:
        """Markdown of ``blocks``; ``headings`` (index -> level) are written as Markdown headings."""
        parts: list[str] = []
        list_base: int | None = None
        counts: dict[tuple[str | None, int], int] = {}  # items of each Word list and level so far
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
                number = _counted(counts, block.list_id, block.list_level)
                if block.list_format in _LETTERED:  # Markdown has no a. b. c. lists: the item keeps its letter
                    parts.append(f"{indent}{_label(number, block.list_format)}. {text}")
                    continue
                # Word numbers on after a paragraph between items (3., 4.): so does the Markdown
                marker = f"{number}." if block.list_format == "decimal" else "-"
                item = f"{indent}{marker} {text}"
                if parts and _ITEM.match(parts[-1]) and not parts[-1].startswith("|"):
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
