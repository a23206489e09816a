"""Markdown pages: rendering to safe HTML, and finding the files a page refers to.

pulldown-cmark (through pyromark) parses CommonMark with tables; it is some sixty times
faster than the pure-Python parsers, which matters for 2,000-page modules, and it gives the
source range of every element, which the loader turns into line numbers. nh3 (ammonia)
then removes anything that could run script inside a package.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import nh3
import pyromark

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
    return sanitise(to_html(text))


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


@dataclass(frozen=True)
class Reference:
    """An image or link in a page, at a 1-based line of its source."""

    kind: str  # "image" or "link"
    target: str
    text: str
    line: int

    @property
    def is_local(self) -> bool:
        """A file inside the package rather than a web address or an anchor on the page."""
        parts = urlsplit(self.target)
        return not (parts.scheme or parts.netloc or self.target.startswith("#") or not parts.path)

    @property
    def local_path(self) -> str:
        return unquote(urlsplit(self.target).path)


def references(text: str) -> list[Reference]:
    """Every image and link in ``text``, with its alt text or link text and its line."""
    data = text.encode("utf-8")  # the parser's ranges are byte offsets
    found: list[Reference] = []
    stack: list[tuple[str, str, int, list[str]]] = []
    for event, span in pyromark.events_with_range(text, options=_OPTIONS):
        if isinstance(event, dict) and "Start" in event and isinstance(event["Start"], dict):
            start = event["Start"]
            for kind, key in (("Image", "image"), ("Link", "link")):
                if kind in start:
                    line = data.count(b"\n", 0, span["start"]) + 1
                    stack.append((key, start[kind]["dest_url"], line, []))
        elif isinstance(event, dict) and "End" in event and event["End"] in ("Image", "Link") and stack:
            kind, target, line, words = stack.pop()
            found.append(Reference(kind, target, "".join(words).strip(), line))
        elif stack and isinstance(event, dict) and ("Text" in event or "Code" in event):
            for open_ref in stack:
                open_ref[3].append(event.get("Text") or event.get("Code") or "")
    return found
