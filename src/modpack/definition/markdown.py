"""Markdown pages: rendering to safe HTML, and finding the files a page refers to.

pulldown-cmark (through pyromark) parses CommonMark with tables; it is some sixty times
faster than the pure-Python parsers, which matters for 2,000-page modules, and it gives the
source range of every element, which the loader turns into line numbers. nh3 (ammonia)
then removes anything that could run script inside a package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
import pyromark

from . import files

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "details", "div", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre",
    "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
}


URL_SCHEMES = {"http", "https", "mailto", "tel"}


def to_html(text: str) -> str:
    """Markdown to HTML as the parser writes it: NOT safe until sanitised."""
    return pyromark.html(text, options=_OPTIONS)


def render(text: str) -> str:
    """Markdown to HTML with no script, event handler, style or foreign URL scheme left in it."""
    html = to_html(text)
    return html if needs_no_sanitising(text, html) else sanitise(html)


def needs_no_sanitising(text: str, html: str) -> bool:
    """Whether the parser's HTML is safe as it is: without '<' the Markdown holds no raw HTML nor
    autolink, so every tag is one the parser writes for Markdown (p, em, table...); without '="'
    none has an attribute (no link, image, alignment), as text never holds '"' unescaped. Most
    pages of a module are such prose, and sanitising was a third of their build."""
    return "<" not in text and ('"' not in html or '="' not in html)  # '"' alone first: memchr, far faster


# Elements open at once past which a page is refused. A browser's parser (html5ever, in nh3) walks
# the stack of open elements at many start and end tags ("a p element in button scope"), so N
# elements nested N deep cost N² (80,000 nested <div>s took 13 s to sanitise, 160,000 over 100 s).
# Pages nest a dozen deep; browsers themselves stop nesting at 512.
MAX_NESTING = 256
# a comment (skipped whole), or a tag: its name, and whether it ends '/>'
_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>", re.DOTALL)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# elements a sibling of the same kind closes (<li>a<li>b): never counted, lest a long list count as deep
_SIBLINGS = frozenset("p li dt dd option optgroup tr td th thead tbody tfoot caption colgroup rb rt rp rtc".split())
# where the parser stops looking for the element an end tag closes ("has an element in scope")
_SCOPE = frozenset("table template applet marquee object html svg math".split())
_FOREIGN = frozenset({"svg", "math"})  # inside them '/>' closes an element; in HTML it does not


class TooDeep(ValueError):
    """HTML (or Markdown that renders to it) nested past MAX_NESTING."""


def too_deep(html: str) -> int | None:
    """Where the first element opened past MAX_NESTING starts in ``html``, or None.

    A stack kept as the parser keeps its own, erring on the deep side: an end tag closes the
    nearest open element of its name unless a table (or another scope's edge) stands between,
    as the parser does; one that matches nothing is ignored. Each end tag looks at most
    MAX_NESTING elements down, so the pass is linear in the text."""
    if "<" not in html:
        return None
    stack: list[str] = []
    where: dict[str, list[int]] = {}  # name -> its places in the stack, the nearest last
    edges: list[int] = []  # places of the scope's edges in the stack
    foreign = 0  # svg or math elements open
    for match in _TAG.finditer(html):
        name = match.group(2)
        if name is None:  # a comment
            continue
        name = name.lower()
        if name in _VOID or name in _SIBLINGS:
            continue
        if match.group(1):  # an end tag: each element is popped once, so all of them cost linear time
            places = where.get(name)
            if not places or (edges and edges[-1] > places[-1]):
                continue  # nothing of its name open, or not within scope: the parser ignores it
            at = places[-1]
            while len(stack) > at:
                popped = stack.pop()
                where[popped].pop()
                if popped in _SCOPE:
                    edges.pop()
                foreign -= popped in _FOREIGN
            continue
        if foreign and match.group(3).rstrip().endswith("/"):
            continue  # <path/> in an SVG: closed as it opens
        where.setdefault(name, []).append(len(stack))
        if name in _SCOPE:
            edges.append(len(stack))
        stack.append(name)
        foreign += name in _FOREIGN
        if len(stack) > MAX_NESTING:
            return match.start()
    return None


def deep_line(text: str) -> int | None:
    """The line of ``text`` (Markdown) where its HTML, as the sanitiser would be given it, nests past
    MAX_NESTING, or None. Rendered, because Markdown nests too (quotes in quotes) and code or a '<'
    in prose is not a tag. A page the sanitiser never sees is not rendered here: without '<', a
    link, an image or an aligned table, its HTML has no attribute, and it goes out as rendered."""
    if "<" not in text and "[" not in text and ":-" not in text and "-:" not in text:
        return None
    html = to_html(text)
    if needs_no_sanitising(text, html) or too_deep(html) is None:
        return None
    raw = too_deep(text)  # where raw HTML nests, as written; Markdown's own nesting is told at line 1
    return text.count("\n", 0, raw) + 1 if raw is not None else 1


def sanitise(html: str) -> str:
    if too_deep(html) is not None:
        raise TooDeep(f"elements nested more than {MAX_NESTING} deep")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


# Attributes whose value is a URL a browser would load or follow; srcset holds several.
URL_ATTRIBUTES = frozenset({
    "src", "href", "xlink:href", "srcset", "poster", "data", "background", "cite", "action", "formaction",
    "longdesc", "lowsrc", "dynsrc", "manifest", "icon", "archive", "codebase", "usemap",
})
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Reference:
    """A URL in a page (an image, a link, or an attribute of raw HTML), at a 1-based line.

    ``element`` and ``attribute`` say where it stands once rendered: a Markdown image is
    ``img``/``src``, a Markdown link ``a``/``href``, raw HTML as written.
    """

    kind: str  # "image" (Markdown or <img src>), "link" (Markdown), or "html" (any other URL attribute)
    target: str
    text: str  # alt text or link text
    line: int
    element: str = ""
    attribute: str = ""

    @property
    def is_local(self) -> bool:
        """A file inside the package rather than a web address or an anchor on the page."""
        return files.is_local_url(self.target)

    @property
    def local_path(self) -> str:
        return files.decode_url(self.target)


class _HtmlUrls(HTMLParser):
    """Collects every URL-valued attribute of a fragment of raw HTML, with its line."""

    def __init__(self, first_line: int, found: list[Reference]):
        super().__init__(convert_charrefs=True)
        self.first_line, self.found = first_line, found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.first_line + self.getpos()[0] - 1
        values = {name: value or "" for name, value in attrs}
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcset":
                urls = [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
            elif name == "style":
                urls = [m.group(2) for m in _CSS_URL.finditer(value)]
            elif name in URL_ATTRIBUTES:
                urls = [value]
            else:
                continue
            # an <img src> is an image like a Markdown one: it needs alt text too
            kind = "image" if (tag, name) == ("img", "src") else "html"
            for url in urls:
                self.found.append(Reference(kind, url.strip(), values.get("alt", "").strip(), line, tag, name))

    handle_startendtag = handle_starttag


def references(text: str) -> list[Reference]:
    """Every URL in ``text`` (Markdown images and links, raw HTML attributes), with its line."""
    if "[" not in text and "<" not in text:
        # no image, link or raw HTML can be written without one of these (CommonMark §6.3-6.6, 6.9;
        # GFM's extended autolinks, www. and http://, never name a file): nothing to parse
        return []
    data = text.encode("utf-8")  # the parser's ranges are byte offsets
    found: list[Reference] = []
    stack: list[tuple[str, str, int, list[str]]] = []
    html_block: int | None = None

    counted = [0, 1]  # an offset, and its line: the events come in order, so each byte is counted once

    def line_at(offset: int) -> int:
        at, line = counted
        if offset < at:  # (not expected: counted again from the start)
            at, line = 0, 1
        line += data.count(b"\n", at, offset)
        counted[:] = [offset, line]
        return line

    def raw_html(start: int, end: int) -> None:
        parser = _HtmlUrls(line_at(start), found)
        parser.feed(data[start:end].decode("utf-8", "replace"))
        parser.close()

    for event, span in pyromark.events_with_range(text, options=_OPTIONS):
        if not isinstance(event, dict):
            continue
        start = event.get("Start")
        if start == "HtmlBlock":
            html_block = span["start"]
        elif event.get("End") == "HtmlBlock" and html_block is not None:
            raw_html(html_block, span["end"])  # the whole block at once: a tag may span lines
            html_block = None
        elif "InlineHtml" in event:
            raw_html(span["start"], span["end"])
        elif isinstance(start, dict):
            for kind, key in (("Image", "image"), ("Link", "link")):
                if kind in start:
                    stack.append((key, start[kind]["dest_url"], line_at(span["start"]), []))
        elif event.get("End") in ("Image", "Link") and stack:
            kind, target, line, words = stack.pop()
            element, attribute = ("img", "src") if kind == "image" else ("a", "href")
            found.append(Reference(kind, target, "".join(words).strip(), line, element, attribute))
        elif stack and ("Text" in event or "Code" in event):
            for open_ref in stack:
                open_ref[3].append(str(event.get("Text") or event.get("Code") or ""))
    found.sort(key=lambda ref: ref.line)
    return found
