"""Reading a Word document (.docx) into blocks: paragraphs and tables, in order, with what the
recogniser needs (heading level, list level and numbering format, bold runs, links, footnotes,
images, captions) and a count of the Word noise left out.

python-docx opens the package (its parts, relationships, styles, numbering, core properties);
the paragraphs are walked here, in its XML layer, because the document's own structure is what
recognising questions and answer keys needs, and because tracked changes (``w:ins`` kept,
``w:del`` dropped: the document as it reads with changes accepted) and comments sit there.
Before python-docx reads anything, the file is checked as ``modpack check`` checks a package:
one safe zip reader with budgets, so a zip bomb inside a .docx is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator

from lxml import etree

from ..checker.names import check_names
from ..checker.reader import Limits, Package, Unreadable
from ..checker.report import Report
from ..definition.files import RefusedFile, read_regular
from ..messages import clip, t, os_reason
from ..xmltree import DtdRefused
from ..xmltree import parse as parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
_W = f"{{{W}}}"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and any password-protected Office file

# What a Word document may take: far above a 300-page module with photographs.
LIMITS = Limits(max_entries=5_000, max_total_size=300 * 1024**2, max_entry_size=200 * 1024**2, max_ratio=200,
                max_descriptor_size=64 * 1024**2)
MAX_PARAGRAPHS = 200_000
MAX_COLUMNS = 64  # cells a table row is read as (Word makes at most 63)
MAX_STYLE_CHAIN = 32  # styles based on styles: Word's own run a few deep


class NotADocument(ValueError):
    """The file is not a Word document modpack can read; the message says what it is."""


@dataclass
class Image:
    name: str  # the file name in the package (word/media/image1.png -> image1.png)
    data: bytes | None  # None: linked from outside the document (a URL), not embedded
    alt: str
    link: str | None = None


@dataclass
class Inline:
    text: str = ""
    bold: bool = False
    italic: bool = False
    link: str | None = None
    footnote: str | None = None  # the note's text, for a footnote reference
    image: Image | None = None
    marked: bool = False  # highlighted: an answer marked in colour


@dataclass
class Block:
    kind: str  # "paragraph" or "table"
    index: int  # the paragraph's number in the document, from 1, counting every paragraph
    style: str = ""
    heading: int | None = None  # 1-9 for a heading style or outline level
    title: bool = False  # the Title style
    caption: bool = False
    list_level: int | None = None
    list_format: str | None = None  # decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet...
    list_id: str | None = None
    # a list item within a table cell: (level, format, list id); kept apart from list_level, which
    # the recognisers read as the document's own lists (a question's options, its stems)
    cell_list: tuple[int, str | None, str | None] | None = None
    # a paragraph of a table inside a table cell: (its row, its cell), counted within the outer
    # cell, so that a row of the inner table is written as one line of the outer cell
    nested_cell: tuple[int, int] | None = None
    inlines: list[Inline] = field(default_factory=list)
    rows: list[list[list["Block"]]] = field(default_factory=list)  # tables: rows of cells of paragraphs

    @property
    def text(self) -> str:
        if self.kind == "table":
            return " ".join(b.text for row in self.rows for cell in row for b in cell)
        return re.sub(r"\s+", " ", "".join(i.text for i in self.inlines)).strip()

    @property
    def all_bold(self) -> bool:
        runs = [i for i in self.inlines if i.text.strip()]
        return bool(runs) and all(i.bold for i in runs)

    @property
    def any_marked(self) -> bool:
        return any(i.marked for i in self.inlines if i.text.strip())

    @property
    def images(self) -> list[Image]:
        found = [i.image for i in self.inlines if i.image is not None]
        for row in self.rows:
            for cell in row:
                for block in cell:
                    found += block.images
        return found


@dataclass
class Dropped:
    """Word noise left out, counted so the import can say so."""

    empty_paragraphs: int = 0
    page_breaks: int = 0
    deletions: list[str] = field(default_factory=list)  # text of tracked deletions
    comments: int = 0
    fields: int = 0  # tables of contents and other generated fields, by their result
    text_boxes: int = 0  # text boxes, their text kept in the paragraph that holds them
    hidden: list[str] = field(default_factory=list)  # text formatted hidden (an author's note): never published
    objects: list[str] = field(default_factory=list)  # equations, diagrams, charts: no text a page can show
    footnotes: str | None = None  # why the footnotes part could not be read, when it could not


_MAX_FIELD_CODE = 4096  # characters of a field's code kept: a URL is far shorter
_MAX_FIELD_DEPTH = 64  # fields open at once in a paragraph (Word nests a few)


@dataclass
class _Field:
    """A complex field being read (ECMA-376 Part 1, 17.16.18): its code, whether its result has
    begun, and the link that result makes."""

    code: str = ""
    result: bool = False
    link: str | None = None


# a field code's arguments: "quoted" (a '\"' within), or bare; switches are bare ('\l')
_FIELD_ARGUMENT = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')


def field_hyperlink(code: str) -> str | None:
    """The address a HYPERLINK field's code links to (17.16.5.25: HYPERLINK "address" \\l
    "bookmark" \\o "tip"...), or None: another field, or a link to a bookmark of the document
    itself (\\l alone), which has no page to go to once it is split into pages."""
    arguments = []  # (value, whether it is a switch)
    for found in _FIELD_ARGUMENT.finditer(code[:_MAX_FIELD_CODE]):
        quoted, bare = found.group(1), found.group(2)
        if quoted is not None:
            arguments.append((re.sub(r"\\(.)", r"\1", quoted), False))
        else:
            arguments.append((bare, bare.startswith("\\")))
    if not arguments or arguments[0][0].upper() != "HYPERLINK" or arguments[0][1]:
        return None
    address = anchor = None
    at = 1
    while at < len(arguments):
        value, switch = arguments[at]
        if switch:
            taken = value.lower() in ("\\l", "\\o", "\\t") and at + 1 < len(arguments)
            if value.lower() == "\\l" and taken:
                anchor = arguments[at + 1][0]
            at += 2 if taken else 1
            continue
        if address is None:
            address = value
        at += 1
    if not address or not address.strip():
        return None
    return address.strip() + (f"#{anchor}" if anchor else "")


@dataclass
class Document:
    blocks: list[Block]
    title: str | None  # from the core properties
    dropped: Dropped
    external_images: list[Image] = field(default_factory=list)


def _on(element: etree._Element | None, tag: str) -> bool:
    """Whether a w:b / w:i style toggle is on."""
    if element is None:
        return False
    toggle = element.find(f"{_W}{tag}")
    return toggle is not None and toggle.get(f"{_W}val", "true") not in ("0", "false", "off", "none")


def check_file(path: Path) -> bytes:
    """The bytes of a .docx, read once, refused (NotADocument, every problem of its zip at once)
    before anything parses them if they are not one: python-docx then reads these very bytes, so
    a file swapped after the check (for a FIFO, or a zip bomb) is never opened."""
    try:
        data = read_regular(path, MAX_DOCUMENT)  # a FIFO never ends, a device never stops: never read
    except RefusedFile as exc:
        raise NotADocument(exc.reason) from None
    except OSError as exc:
        raise NotADocument(t("cannot be read: {reason}", reason=os_reason(exc))) from None
    if len(data) > MAX_DOCUMENT:  # (it grew as it was read)
        raise NotADocument(t("is larger than {limit} bytes: refused", limit=f"{MAX_DOCUMENT:,}"))
    if data[:8] == OLE_SIGNATURE:
        raise NotADocument(t("it is an old Word document (.doc) or a password-protected one: open it in Word or "
                           "LibreOffice, remove any password, and save it as .docx"))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise NotADocument(t("it is not a Word document (.docx): not a zip package"))
    report = Report(str(path))
    try:
        package = Package(path, report, LIMITS, data=data)
    except Unreadable as exc:
        raise NotADocument(t("it cannot be read safely: {reason}", reason=exc)) from None
    tags = 0  # of every XML part: python-docx holds each part it knows as a tree, even one never used

    def count(name: str, xml: bytes) -> None:
        nonlocal tags
        tags += xml.count(b"<")

    try:
        if not package.exists("word/document.xml"):
            raise NotADocument(t("it is a zip, but not a Word document: it has no word/document.xml"))
        # every entry unpacked to nowhere against its declared size (bombs refused), the XML counted
        package.verify(count, lambda entry: _is_xml(entry.name) and entry.size <= MAX_XML_PART)
        check_names(package, report)  # Word/Document.xml beside word/document.xml: two documents in one
    except Unreadable as exc:
        raise NotADocument(t("it cannot be read safely: {reason}", reason=exc)) from None
    finally:
        package.close()
    problems = [f"{f.file}: {f.message}" if f.file else f.message for f in report.errors if f.code in REFUSED]
    # a part's tree takes some twenty times its size in memory, and more for markup without text
    problems += [t("{name} unpacks to {size} MB of XML, over the {limit} MB a Word document's part may have",
                   name=entry.name, size=f"{entry.size / 1024**2:.0f}", limit=MAX_XML_PART // 1024**2)
                 for entry in package.entries.values() if _is_xml(entry.name) and entry.size > MAX_XML_PART]
    if tags > MAX_XML_TAGS:
        problems.append(t("its XML parts hold {count} tags, over the {limit} a Word document may have (each becomes "
                          "an object in memory)", count=f"{tags:,}", limit=f"{MAX_XML_TAGS:,}"))
    if problems:
        raise NotADocument(t("it holds what no Word document has: {reasons}", reasons="; ".join(problems)))
    return data


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


# the zip's findings that refuse a document (the same that refuse a package)
REFUSED = frozenset({"zip-slip", "symlink", "duplicate-entry", "name-not-utf8", "name-nul", "name-differs",
                     "name-collision"})
MAX_XML_PART = 24 * 1024**2  # a 300-page module's document.xml is a few MB
# tags of all XML parts together: a 300-page module's hold a few hundred thousand; two million,
# each an element at worst, take some 300 MB as trees
MAX_XML_TAGS = 2_000_000
MAX_DOCUMENT = 320 * 1024**2  # bytes of a .docx read at all (its parts may unpack to 300 MB)


def _check_roots(document: Any) -> None:
    """The parts python-docx walks, each with the root element it expects: a damaged part is
    refused here, said plainly, instead of failing deep inside python-docx."""
    expected: tuple[tuple[Callable[[], Any], str], ...] = (
        (lambda: document.element, "document"), (lambda: document.styles.element, "styles"),
        (lambda: document.core_properties._element, "coreProperties"))
    for part, name in expected:
        try:
            element = part()
        except Exception:  # noqa: BLE001 - python-docx raises many kinds for a part that is not there
            continue
        if etree.QName(element).localname != name:
            raise NotADocument(t("it is damaged: its {part} part has <{found}> at its root, not <{name}>",
                                 part=name, found=etree.QName(element).localname, name=name))
    if document.element.find(f"{_W}body") is None:
        raise NotADocument(t("it is damaged: its document part has no body"))


class _Reader:
    def __init__(self, document: Any):
        self.document = document
        self.part = document.part
        self.dropped = Dropped()
        self.index = 0
        self.styles = {s.style_id: s for s in document.styles if getattr(s, "style_id", None)}
        self._chains: dict[str, tuple[Any, ...]] = {}
        self.numbering = self._numbering()
        self._in_toc = False  # within the lines of a generated table of contents
        # the complex fields open in the paragraph being read (begin ... separate ... end): for each,
        # its code so far, and, once its result begins, the link it makes (a HYPERLINK field's)
        self._fields: list[_Field] = []
        self.footnotes = self._footnotes()
        self.endnotes = self._footnotes("endnote")  # read as footnotes: at the end of the page they are on
        self.external: list[Image] = []
        self.comments = 0
        from docx.enum.style import WD_STYLE_TYPE

        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default_style = default.style_id if default is not None else None

    # -- the parts around the body ---------------------------------------------------------------

    def _numbering(self) -> dict[str, dict[str, Any]]:
        """numId -> {'levels': {ilvl: numFmt}, 'styles': {styleId: ilvl}}."""
        try:
            root = self.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return {}
        abstract = {}
        for element in root.findall(f"{_W}abstractNum"):
            levels, styles = {}, {}
            for level in element.findall(f"{_W}lvl"):
                ilvl = level.get(f"{_W}ilvl", "0")
                fmt = level.find(f"{_W}numFmt")
                levels[ilvl] = fmt.get(f"{_W}val") if fmt is not None else "decimal"
                style = level.find(f"{_W}pStyle")
                if style is not None:
                    styles[style.get(f"{_W}val")] = ilvl
            abstract[element.get(f"{_W}abstractNumId")] = {"levels": levels, "styles": styles}
        found = {}
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None and ref.get(f"{_W}val") in abstract:
                found[num.get(f"{_W}numId")] = abstract[ref.get(f"{_W}val")]
        return found

    def _footnotes(self, kind: str = "footnote") -> dict[str, str]:
        for rel in self.part.rels.values():
            if rel.reltype.endswith(f"/{kind}s") and not rel.is_external:
                try:
                    root = parse_xml(rel.target_part.blob)
                except DtdRefused:
                    self.dropped.footnotes = t("it declares a DTD, which is never read")
                    return {}
                except etree.XMLSyntaxError as exc:
                    self.dropped.footnotes = t("it is not well-formed XML: {reason}", reason=exc)
                    return {}
                notes: dict[str, str] = {}
                for note in root.findall(f"{_W}{kind}"):
                    if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                        continue
                    text = " ".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in note.iter(f"{_W}p"))
                    notes[note.get(f"{_W}id") or ""] = re.sub(r"\s+", " ", text).strip()  # its paragraphs, apart
                return notes
        return {}

    # -- styles ------------------------------------------------------------------------------

    def _style_chain(self, style_id: str | None) -> tuple[Any, ...]:
        """The style and those it is based on, nearest first: found once per style (read for every
        paragraph and run, and python-docx's base_style searches every style each step), at most
        MAX_STYLE_CHAIN deep, a cycle cut where it closes."""
        key = style_id or ""
        chain = self._chains.get(key)
        if chain is None:
            found: list[Any] = []
            seen: set[str] = set()
            style = self.styles.get(key)
            while style is not None and style.style_id not in seen and len(found) < MAX_STYLE_CHAIN:
                seen.add(style.style_id)
                found.append(style)
                based = style.element.find(f"{_W}basedOn")
                style = self.styles.get(based.get(f"{_W}val") or "") if based is not None else None
            chain = self._chains[key] = tuple(found)
        return chain

    def _heading_of(self, p: etree._Element, style_id: str | None) -> tuple[int | None, bool, bool, str]:
        name = ""
        heading = None
        title = caption = False
        outline = p.find(f"{_W}pPr/{_W}outlineLvl")
        for style in self._style_chain(style_id):
            label = (style.name or "").lower()
            name = name or style.name or ""
            match = re.fullmatch(r"heading (\d)", label)
            if match and heading is None:
                heading = int(match.group(1))
            if label == "title":
                title = True
            if label == "caption":
                caption = True
            if outline is None:
                outline = style.element.find(f"{_W}pPr/{_W}outlineLvl")
        if heading is None and outline is not None and re.fullmatch(r"[0-9]{1,3}", outline.get(f"{_W}val", "9")):
            level = int(outline.get(f"{_W}val", "9")) + 1
            heading = level if level <= 9 else None
        return heading, title, caption, name

    def _list_of(self, p: etree._Element, style_id: str | None) -> tuple[int | None, str | None, str | None]:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        num_id = ilvl = None
        if num_pr is not None:
            num = num_pr.find(f"{_W}numId")
            lvl = num_pr.find(f"{_W}ilvl")
            num_id = num.get(f"{_W}val") if num is not None else None
            ilvl = lvl.get(f"{_W}val") if lvl is not None else None
        if num_id is None:
            for style in self._style_chain(style_id):
                style_num = style.element.find(f"{_W}pPr/{_W}numPr/{_W}numId")
                if style_num is not None:
                    num_id = style_num.get(f"{_W}val")
                    style_lvl = style.element.find(f"{_W}pPr/{_W}numPr/{_W}ilvl")
                    ilvl = ilvl or (style_lvl.get(f"{_W}val") if style_lvl is not None else None)
                    break
        if num_id is None or num_id == "0" or num_id not in self.numbering:
            return None, None, None
        numbering = self.numbering[num_id]
        if ilvl is None:
            ilvl = numbering["styles"].get(style_id or "", "0")
        # Word's nine list levels, 0-8: a larger value (a crafted 10**8) would indent without bound
        level = min(int(ilvl), 8) if re.fullmatch(r"[0-9]{1,3}", str(ilvl)) else 0  # not isdigit(): '²' is one
        return level, numbering["levels"].get(str(ilvl), "decimal"), num_id

    # -- the body ------------------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        body = self.document.element.body
        found: list[Block] = []
        for child in body:
            if child.tag == f"{_W}p":
                if self._toc_entry(child, found):
                    continue
                block = self.paragraph(child)
                if block is not None:
                    found.append(block)
            elif child.tag == f"{_W}tbl":
                found.append(self.table(child))
            elif child.tag == f"{_W}sdt":  # a content control: a table of contents, often
                self._content_control(child, found)
        return found

    def _toc_entry(self, p: etree._Element, found: list[Block]) -> bool:
        """Whether ``p`` is a line of a table of contents Word generated without a content control
        (References > Custom: 'TOC 1', 'TOC 2' paragraphs): left out, with the 'Daftar Isi' line
        typed above it, as the player makes its own."""
        style = p.find(f"{_W}pPr/{_W}pStyle")
        style_id = style.get(f"{_W}val") if style is not None else None
        chain = self._style_chain(style_id or self.default_style)
        name = (chain[0].name or "") if chain else ""
        if not re.fullmatch(r"toc ?\d", name.lower()):
            self._in_toc = False
            return False
        self.index += 1
        if not self._in_toc:
            self._in_toc = True
            self.dropped.fields += 1
            if found and found[-1].kind == "paragraph" and found[-1].heading is None and \
                    re.sub(r"\s+", " ", found[-1].text).strip().lower() == "daftar isi":
                found.pop()
        return True

    def _content_control(self, sdt: etree._Element, found: list[Block]) -> None:
        gallery = sdt.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
        content = sdt.find(f"{_W}sdtContent")
        if content is None:
            return
        if gallery is not None and "Table of Contents" in (gallery.get(f"{_W}val") or ""):
            self.dropped.fields += 1
            self.index += len(content.findall(f"{_W}p"))
            return
        self._contents(content, found)

    def _contents(self, container: etree._Element, found: list[Block]) -> None:
        """The paragraphs and tables of a control's content (a bibliography is a control in a control)."""
        for child in container:
            if child.tag == f"{_W}p":
                block = self.paragraph(child)
                if block is not None:
                    found.append(block)
            elif child.tag == f"{_W}tbl":
                found.append(self.table(child))
            elif child.tag == f"{_W}sdt":
                self._content_control(child, found)
            elif child.tag == f"{_W}customXml":
                self._contents(child, found)

    def table(self, tbl: etree._Element) -> Block:
        block = Block("table", self.index + 1)
        for tr in tbl.findall(f"{_W}tr"):
            if tr.find(f"{_W}trPr/{_W}del") is not None:
                continue  # a row deleted with Track Changes on
            row = []
            for tc in tr.findall(f"{_W}tc"):
                # its own paragraphs, and those of a table inside it; a text box's are read with its run
                cell = []
                # a number for each row and cell of a table in this cell, by element (held here, so
                # lxml gives the same proxy each time); not tr.index(tc): a row of 50,000 cells
                inner_rows: dict[etree._Element, int] = {}
                inner_cells: dict[etree._Element, int] = {}
                # one walk of the cell (not each paragraph's ancestors: tables nested 80 deep made
                # that 240 steps a paragraph), knowing the text boxes and the inner cells it is in
                boxes = 0
                open_cells: list[etree._Element] = []
                for event, element in etree.iterwalk(tc, events=("start", "end")):
                    if element.tag == f"{_W}txbxContent":
                        boxes += 1 if event == "start" else -1
                    elif element.tag == f"{_W}tc" and element is not tc:
                        if event == "start":
                            open_cells.append(element)
                        else:
                            open_cells.pop()
                    elif element.tag == f"{_W}p" and event == "start" and not boxes:
                        paragraph = self.paragraph(element, in_table=True)
                        if paragraph is None:
                            continue
                        # the cell of the table right inside this one: a table deeper still is
                        # text of that cell, so one of its rows stays one line
                        inner = open_cells[0] if open_cells else None
                        parent = inner.getparent() if inner is not None else None
                        if inner is not None and parent is not None:
                            paragraph.nested_cell = (inner_rows.setdefault(parent, len(inner_rows)),
                                                     inner_cells.setdefault(inner, len(inner_cells)))
                        cell.append(paragraph)
                row.append(cell)
                span = tc.find(f"{_W}tcPr/{_W}gridSpan")
                width = int(span.get(f"{_W}val") or 1) if span is not None and (span.get(f"{_W}val") or "").isdigit() else 1
                row += [[] for _ in range(min(width, MAX_COLUMNS) - 1)]  # a cell over two columns: the next keep their place
            if len(row) > MAX_COLUMNS:
                # past what Word makes, the rest joins the last cell: the page pads every row to the widest
                row[MAX_COLUMNS - 1:] = [[para for cell in row[MAX_COLUMNS - 1:] for para in cell]]
            block.rows.append(row)
        return block

    def paragraph(self, p: etree._Element, in_table: bool = False) -> Block | None:
        self.index += 1
        if self.index > MAX_PARAGRAPHS:  # here, not between the body's children: one cell may hold millions
            raise NotADocument(t("it has more than {limit} paragraphs: split it into modules", limit=f"{MAX_PARAGRAPHS:,}"))
        # a field is read within its paragraph: one left open (a broken document, or a table of
        # contents' field over many lines) links nothing beyond it
        outer_fields, self._fields = self._fields, []
        try:
            return self._paragraph(p, in_table)
        finally:
            self._fields = outer_fields

    def _paragraph(self, p: etree._Element, in_table: bool) -> Block | None:
        style = p.find(f"{_W}pPr/{_W}pStyle")
        style_id = style.get(f"{_W}val") if style is not None else None
        style_id = style_id or self.default_style
        heading, title, caption, name = self._heading_of(p, style_id)
        # bold or italic by the paragraph's style (a paragraph mark's own bold is not its text's)
        style_bold = any(_on(s.element.find(f"{_W}rPr"), "b") for s in self._style_chain(style_id))
        style_italic = any(_on(s.element.find(f"{_W}rPr"), "i") for s in self._style_chain(style_id))
        inlines: list[Inline] = []
        self._walk(p, inlines, None, style_bold, style_italic)
        block = Block("paragraph", self.index, name, heading, title, caption, inlines=inlines)
        level, list_format, list_id = self._list_of(p, style_id)
        nested = re.fullmatch(r"List (?:Bullet|Number|Continue) (\d)", name)
        if level is not None and nested:  # "List Bullet 2" is a list of its own, one level in
            level = max(level, int(nested.group(1)) - 1)
        if not in_table:
            block.list_level, block.list_format, block.list_id = level, list_format, list_id
        elif level is not None:
            block.cell_list = (level, list_format, list_id)
        if not block.text and not block.images:
            if not any(i.footnote for i in inlines):
                self.dropped.empty_paragraphs += 1
                return None
        return block

    def _walk(self, element: etree._Element, out: list[Inline], link: str | None, bold: bool, italic: bool) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{_W}r":
                self._run(child, out, link, bold, italic)
            elif tag == f"{_W}hyperlink":
                rid = child.get(f"{{{R}}}id")
                target = None
                if rid and rid in self.part.rels and self.part.rels[rid].is_external:
                    target = self.part.rels[rid].target_ref
                self._walk(child, out, target or link, bold, italic)
            elif tag == f"{_W}fldSimple":  # a field in one element: its result is its runs
                self._walk(child, out, link or field_hyperlink(child.get(f"{_W}instr") or ""), bold, italic)
            elif tag == f"{_W}ins" or tag == f"{_W}smartTag" or tag == f"{_W}customXml" or tag == f"{_W}sdt" \
                    or tag == f"{_W}sdtContent" or tag == f"{_W}moveTo":
                self._walk(child, out, link, bold, italic)  # tracked insertions and moves read as accepted
            elif tag in (f"{_M}oMath", f"{_M}oMathPara"):
                text = "".join(t.text or "" for t in child.iter(f"{_M}t"))
                self.dropped.objects.append(t("an equation") + (f" ({text.strip()[:60]})" if text.strip() else ""))
                if text.strip():
                    out.append(Inline(text, bold, italic, link))  # its characters, as a line of text
            elif tag == f"{_W}del":
                deleted = "".join(t.text or "" for t in child.iter(f"{_W}delText"))
                if deleted.strip():
                    self.dropped.deletions.append(deleted.strip())
            elif tag == f"{_W}commentRangeStart":
                self.comments += 1

    def _run(self, r: etree._Element, out: list[Inline], link: str | None, bold: bool, italic: bool) -> None:
        props = r.find(f"{_W}rPr")
        run_style = props.find(f"{_W}rStyle") if props is not None else None
        style_bold = bold
        style_italic = italic
        if run_style is not None:
            for style in self._style_chain(run_style.get(f"{_W}val")):
                style_bold = style_bold or _on(style.element.find(f"{_W}rPr"), "b")
                style_italic = style_italic or _on(style.element.find(f"{_W}rPr"), "i")
        is_bold = _on(props, "b") or (style_bold and not (props is not None and props.find(f"{_W}b") is not None))
        is_italic = _on(props, "i") or (style_italic and not (props is not None and props.find(f"{_W}i") is not None))
        if _on(props, "vanish") or _on(props, "specVanish"):
            hidden = "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()
            if hidden:
                self.dropped.hidden.append(hidden)
            return  # formatted hidden: the author's note to themself, never the learner's page
        highlight = props.find(f"{_W}highlight") if props is not None else None
        marked = highlight is not None and highlight.get(f"{_W}val") not in (None, "none")
        outer_link = link
        link = outer_link or self._field_link()
        for child in r:
            tag = child.tag
            if tag == f"{_W}fldChar":  # a field's begin, separate or end: the link may change here
                self._field_char(child.get(f"{_W}fldCharType"))
                link = outer_link or self._field_link()
                continue
            if tag == f"{_W}instrText" and self._fields and self._fields[-1].link is None \
                    and not self._fields[-1].result:
                self._fields[-1].code = (self._fields[-1].code + (child.text or ""))[:_MAX_FIELD_CODE]
            if tag == f"{_W}t":
                out.append(Inline(child.text or "", is_bold, is_italic, link, marked=marked))
            elif tag == f"{_W}tab":
                out.append(Inline(" ", is_bold, is_italic, link))
            elif tag == f"{_W}noBreakHyphen":
                out.append(Inline("-", is_bold, is_italic, link))  # Undang-Undang, not UndangUndang
            elif tag == f"{_W}sym":
                out.append(Inline(_symbol(child.get(f"{_W}char") or ""), is_bold, is_italic, link))
            elif tag in (f"{_W}br", f"{_W}cr"):
                if child.get(f"{_W}type") == "page":
                    self.dropped.page_breaks += 1
                else:
                    out.append(Inline("\n", is_bold, is_italic, link))
            elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
                notes = self.footnotes if tag == f"{_W}footnoteReference" else self.endnotes
                note = notes.get(child.get(f"{_W}id") or "")
                if note is not None:
                    out.append(Inline(footnote=note))
            elif tag == f"{_W}commentReference":
                pass  # counted at its range start
            elif tag in (f"{_W}drawing", f"{_W}pict", "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"):
                # a picture (a box's own is read with its paragraphs), and a text box (an info box,
                # often): its paragraphs kept here. The first box only: AlternateContent repeats it.
                for image in self._images(child):
                    out.append(Inline(image=image))
                if next(child.iter(_DIAGRAM, _CHART), None) is not None:
                    self.dropped.objects.append(t("a diagram or chart"))
                box = next(child.iter(f"{_W}txbxContent"), None)
                if box is not None:
                    self.dropped.text_boxes += 1
                    for paragraph in box.iter(f"{_W}p"):
                        if next(paragraph.iterancestors(f"{_W}txbxContent")) is not box:
                            continue  # a box in the box: read when its own run is
                        out.append(Inline("\n", False, False, link))
                        self._walk(paragraph, out, link, False, False)
            elif tag == f"{_W}instrText" and "TOC" in (child.text or ""):
                self.dropped.fields += 1

    def _field_char(self, kind: str | None) -> None:
        if kind == "begin":
            if len(self._fields) < _MAX_FIELD_DEPTH:
                self._fields.append(_Field())
        elif kind == "separate" and self._fields and not self._fields[-1].result:
            field = self._fields[-1]
            field.result = True
            field.link = field_hyperlink(field.code)
        elif kind == "end" and self._fields:
            self._fields.pop()

    def _field_link(self) -> str | None:
        """The link of the innermost HYPERLINK field whose result is being read, if any."""
        for field in reversed(self._fields):
            if field.result and field.link:
                return field.link
        return None

    def _images(self, element: etree._Element) -> Iterator[Image]:
        """The picture of a drawing, but one inside a text box (read with the box's own paragraphs)."""
        doc_pr = next(element.iter(f"{{{WP}}}docPr"), None)
        alt = ""
        if doc_pr is not None:
            alt = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()

        def in_a_box(found: etree._Element) -> bool:  # a text box between it and this drawing
            for ancestor in found.iterancestors():
                if ancestor is element:
                    return False
                if ancestor.tag == f"{_W}txbxContent":
                    return True
            return False

        def outside_boxes(found: Iterator[etree._Element]) -> Iterator[etree._Element]:
            return (e for e in found if not in_a_box(e))

        for blip in outside_boxes(element.iter(f"{{{A}}}blip")):
            embed, linked = blip.get(f"{{{R}}}embed"), blip.get(f"{{{R}}}link")
            if embed and embed in self.part.rels and not self.part.rels[embed].is_external:
                target = self.part.rels[embed].target_part
                yield Image(PurePosixPath(str(target.partname)).name, target.blob, alt)
            elif linked and linked in self.part.rels:
                image = Image(PurePosixPath(self.part.rels[linked].target_ref).name or "gambar", None, alt,
                              self.part.rels[linked].target_ref)
                self.external.append(image)
                yield image
            return  # one image per drawing: AlternateContent repeats it as a fallback
        for image_data in outside_boxes(element.iter(f"{{{V}}}imagedata")):
            rid = image_data.get(f"{{{R}}}id")
            if rid and rid in self.part.rels and not self.part.rels[rid].is_external:
                target = self.part.rels[rid].target_part
                yield Image(PurePosixPath(str(target.partname)).name, target.blob, (image_data.get("title") or alt).strip())
                return


_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_DIAGRAM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}relIds"
_CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart"
# Wingdings and Symbol characters Word inserts for marks (Insert > Symbol): what they show
_SYMBOLS = {"F0FC": "✓", "F0FB": "✗", "F0FE": "☑", "F0FD": "☒", "F0A8": "☐", "F06F": "☐", "F0D8": "➢", "F0B7": "•",
            "F0A7": "▪", "F0E0": "→"}


def _symbol(code: str) -> str:
    """The character a w:sym shows, for the marks modules use; else nothing (a font's private code)."""
    return _SYMBOLS.get(code.upper(), "")


def read(path: str | Path) -> Document:
    """The blocks of a .docx; raises NotADocument for anything that is not one, said plainly."""
    path = Path(path)
    data = check_file(path)
    import docx  # python-docx: only this command needs it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a damaged package
        if "macroEnabled" in str(exc):  # a .docm renamed: python-docx names its content type
            raise NotADocument(t("it is a Word document with macros (.docm): save it in Word as a plain .docx "
                                 "document")) from None
        if isinstance(exc, KeyError):  # a relationship to a part the zip does not hold, or one of no known type
            raise NotADocument(t("it is damaged: it refers to a part it does not hold, or holds a part of no known "
                                 "type ({detail}); save it again in Word", detail=clip(str(exc.args[0] if exc.args
                                                                                           else exc), 200))) from None
        raise NotADocument(t("it is damaged or not a Word document ({kind}: {detail})", kind=type(exc).__name__,
                             detail=exc)) from None
    _check_roots(document)
    reader = _Reader(document)
    blocks = reader.blocks()
    if not blocks:  # nothing but empty paragraphs: a module of one page 'Modul' would say nothing useful
        raise NotADocument(t("it holds no text, no picture and no table: is it the right file?"))
    reader.dropped.comments = reader.comments
    title = (document.core_properties.title or "").strip() or None
    return Document(blocks, title, reader.dropped, reader.external)
