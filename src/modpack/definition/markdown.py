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
from .css import css_urls

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
# its stack of open elements at many start and end tags ("a p element in button scope", the
# adoption agency...), so N elements nested N deep cost N² (80,000 nested <div>s took 13 s to
# sanitise, 160,000 over 100 s). Pages nest a dozen deep; browsers stop nesting at 512.
MAX_NESTING = 256
_VOID = frozenset("area base br col embed hr img input link meta source track wbr param keygen".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# a start tag of one of these closes an open one of its kind on top (<li>a<li>b, <p>a<p>b): so
# counted, a long list does not count as deep
_SIBLINGS = frozenset("p li dt dd option tr td th thead tbody tfoot caption colgroup a h1 h2 h3 h4 h5 h6".split())
# kinds that close one another (<dt>a<dd>b; <td>a<th>b; a heading closes a heading)
_KIND = {"dd": "dt", "th": "td", "tbody": "thead", "tfoot": "thead", "h2": "h1", "h3": "h1", "h4": "h1", "h5": "h1",
         "h6": "h1"}
# HTML elements that leave SVG or MathML when they start in it (the parser's "breakout" list)
_BREAKOUT = frozenset("b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li "
                      "listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var".split())
_TAG_END = re.compile(r"[\"'>]")
_NAME_END = re.compile(r"[\s/>]")


def too_deep(html: str) -> int | None:
    """Where the first element opened past MAX_NESTING starts in ``html``, or None.

    An upper bound of the parser's stack, in one pass: every start tag of an element that is not
    void opens one (a '/>' too, but in SVG and MathML, where it closes what it opens, and an HTML
    element starting there leaves them first, as the parser does); an end tag closes the
    element on top if it has that name, and nothing otherwise (the parser may close more, never
    fewer, so the count errs deep). Tags are read as the parser reads them: a name up to a space,
    '/' or '>'; quoted attribute values skipped whole; comments to their '-->'."""
    if "<" not in html:
        return None
    stack: list[str] = []
    foreign = -1  # where the outermost open svg or math element is in the stack
    at, size = html.find("<"), len(html)
    while 0 <= at < size - 1:
        after = html[at + 1]
        if after == "!":
            if html.startswith("<!--", at):
                if html.startswith("<!-->", at) or html.startswith("<!--->", at):
                    at = html.find("<", at + 4)  # closed at once
                    continue
                end = html.find("-->", at + 4)
                if end < 0:
                    return None  # the rest is a comment
                at = html.find("<", end + 3)
                continue
            end = html.find(">", at + 2)  # <!DOCTYPE ...>, <![CDATA[ ...]]> outside foreign content: bogus
            if end < 0:
                return None
            at = html.find("<", end + 1)
            continue
        closing = after == "/"
        start = at + 2 if closing else at + 1
        if start >= size or not ("a" <= html[start].lower() <= "z"):
            at = html.find("<", at + 1)  # '<' that opens no tag: text
            continue
        name_end = _NAME_END.search(html, start)
        stop = name_end.start() if name_end else size
        name = html[start:stop].lower()
        # the tag's end: the first '>' outside a quoted value
        cursor, end = stop, -1
        while True:
            found = _TAG_END.search(html, cursor)
            if found is None:
                break
            if found.group() == ">":
                end = found.start()
                break
            closing_quote = html.find(found.group(), found.end())
            if closing_quote < 0:
                break
            cursor = closing_quote + 1
        if end < 0:
            return None  # a tag the text ends inside: the parser drops it
        at = html.find("<", end + 1)
        if name in _VOID:
            continue
        if closing:
            if stack and (stack[-1] == name or (name in _HEADINGS and stack[-1] in _HEADINGS)):
                stack.pop()
                if len(stack) <= foreign:
                    foreign = -1
            continue
        if foreign >= 0:
            if name in _BREAKOUT:
                del stack[foreign:]
                foreign = -1
            elif html[end - 1] == "/":
                continue  # <path/>: closed as it opens
        if foreign < 0 and name in ("svg", "math"):
            foreign = len(stack)
        if stack and name in _SIBLINGS and _KIND.get(stack[-1], stack[-1]) == _KIND.get(name, name):
            stack.pop()
        stack.append(name)
        if len(stack) > MAX_NESTING:
            return end
    return None


def may_nest_deep(html: str) -> bool:
    """Whether the parser's HTML of Markdown without raw HTML could nest past MAX_NESTING: not
    unless it holds more than twice MAX_NESTING tags (the parser closes every element it opens),
    counted at memchr speed (some 2.5 µs a page; six counts of the tags Markdown nests took 16): :func:`too_deep`
    then decides."""
    return html.count("<") > 2 * MAX_NESTING


class TooDeep(ValueError):
    """HTML (or Markdown that renders to it) nested past MAX_NESTING."""


def deep_line(text: str) -> int | None:
    """The line of ``text`` (Markdown) where its HTML, as the sanitiser would be given it, nests past
    MAX_NESTING, or None. Rendered, because Markdown nests too (quotes in quotes) and code or a '<'
    in prose is not a tag. Only a page with raw HTML is rendered here."""
    if "<" not in text:
        # no raw HTML: Markdown nested that deep alone (quotes in quotes) is refused as the page
        # is rendered (package/content.py, may_nest_deep), by the build and by `validate`, which
        # renders every page for its download figures; rendering every page here too would cost
        # each build a tenth of its time
        return None
    if too_deep(to_html(text)) is None:  # (with raw HTML, the page always goes to the sanitiser)
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
                urls = css_urls(value)
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
