"""What every package carries, whatever its standard: rendered pages, assets, player data.

Targets read this and add their own descriptor (imsmanifest.xml, cmi5.xml, tincan.xml).
Source names are mapped to safe archive names once, here, and every link is rewritten to
match, so a page's images and downloads work whatever the files were called.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

import nh3
import orjson

from ..definition import blocks as definition_blocks
from ..definition import markdown
from ..definition.checks import is_page_body
from ..definition.files import Folder, ModuleFile, RefusedFile, is_local_url, module_path, url_path
from ..messages import t
from ..model import Assessment, Module
from ..model.fields import model_files
from ..model.page import Page
from . import media
from .answers import package_salt, seal
from .blocks import STATEFUL, block_data, block_html
from .names import NameMap

CONTENT_DIR = "content"


@dataclass
class PackageContent:
    """The files of the learner-facing content: archive name -> bytes or an approved file."""

    module: Module
    files: dict[str, bytes | ModuleFile] = field(default_factory=dict)
    assets: NameMap = field(default_factory=lambda: NameMap("assets"))
    # Markdown files read (once, through the file rule) by module-relative path
    markdown: dict[str, str] = field(default_factory=dict)
    salt: str = ""  # seals the answer keys (answers.py)
    # a page's Markdown file (module-relative) -> the page's id: a link to it goes to that page in
    # the player ("#mp-page-<id>"), and the raw Markdown is not packed
    page_links: dict[str, str] = field(default_factory=dict)
    # page id -> the data of its interactive blocks, in the module's language (what trackers report)
    blocks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # archive name -> a raster picture of the module, to be made light (media.py), and what it became
    rasters: dict[str, ModuleFile] = field(default_factory=dict)
    pictures: dict[str, "PackedPicture"] = field(default_factory=dict)

    def page_file(self, page: Page) -> str:
        return f"{CONTENT_DIR}/pages/{page.id}.js"

    def asset(self, rel: str) -> str | None:
        """The archive name of a file the module names (as written in the definition)."""
        return self.assets.get(module_path("", rel))


@dataclass(frozen=True)
class PackedPicture:
    """A picture made light: its size as shown, its copy for dense screens (archive name, width),
    and its WebP copies (archive names) when lighter."""

    width: int
    height: int
    double: str | None = None
    double_width: int = 0
    webp: str | None = None
    double_webp: str | None = None


# What survives sanitising with a file behind it: the only references worth packing.
_PACKED_ATTRIBUTES = {("img", "src"), ("a", "href")}


class ContentClash(ValueError):
    """A part of the module cannot be packed as it is (two parts to one file, a page nested too
    deep, a block unreadable); ``page``: the id of the page it is about, when it is one page's."""

    def __init__(self, message: str, page: str | None = None):
        super().__init__(message)
        self.page = page


class UnsafeReference(ValueError):
    """The module names files the file rule refuses: nothing is packed."""

    def __init__(self, refused: list[RefusedFile]):
        self.refused = refused
        super().__init__("; ".join(dict.fromkeys(r.message for r in refused)))


def _collect_files(module: Module, content: PackageContent) -> None:
    """Approve, through the one file rule, every file the module names, in any field or any of
    its Markdown; map each into the package. Raises :class:`UnsafeReference` for any refusal."""
    folder = (Folder(module.root, frozenset(module.delivery.trusted_active_files), module._page_texts)
              if module.root is not None else None)
    refused: list[RefusedFile] = []

    def pack(file: ModuleFile) -> None:
        """Into the package as it is, or an SVG sanitised (svg.py): a picture only, whoever opens it."""
        if folder is not None and file.rel.lower().endswith(".svg"):
            try:
                content.files[content.assets.add(file.rel)] = folder.svg(file, module.delivery.optimise_images).data
            except RefusedFile as exc:
                refused.append(exc)
            return
        name = content.assets.add(file.rel)
        content.files[name] = file
        if module.delivery.optimise_images and media.is_raster(name):
            content.rasters[name] = file

    def approved(rel: str) -> ModuleFile | None:
        if folder is None:
            refused.append(RefusedFile(rel, t("needs the module folder, but the module was not loaded from one"),
                                       "no-folder"))
            return None
        try:
            return folder.approve(rel)
        except RefusedFile as exc:
            refused.append(exc)
            return None

    def references(text: str, base: str) -> None:
        for ref in markdown.references(text):
            if not ref.is_local:
                continue
            try:
                rel = url_path(base, ref.target)
            except RefusedFile as exc:
                refused.append(exc)
                continue
            if rel in content.page_links and (ref.element, ref.attribute) == ("a", "href"):
                continue  # a link to another page: the player goes there
            file = approved(rel)
            if file is not None and (ref.element, ref.attribute) in _PACKED_ATTRIBUTES:
                pack(file)

    def page_blocks(text: str, base: str) -> None:
        """The files an interactive block names, through the same rule."""
        for found in definition_blocks.find(text):
            block, _, problems = definition_blocks.parse(found, "", 1, module.language)
            if block is None:
                raise ContentClash(t("a {kind} block cannot be read: {reason}", kind=found.kind,
                                     reason="; ".join(d.message for d in problems)))
            for _, block_how, block_value in model_files(type(block), block):
                if block_how == "markdown":
                    references(block_value, base)
                    continue
                try:
                    rel = module_path(base, block_value)
                except RefusedFile as exc:
                    refused.append(exc)
                    continue
                file = approved(rel)
                if file is not None:
                    pack(file)

    for path, how, value in model_files(Module, module):
        if how == "markdown":
            references(value, "")
            if is_page_body(path):
                page_blocks(value, "")
            continue
        file = approved(value)
        if file is None:
            continue
        if how == "file":
            pack(file)
        elif file.rel not in content.markdown:
            try:
                content.markdown[file.rel] = folder.texts.read(file) if folder is not None else file.read_text()
            except UnicodeDecodeError:
                refused.append(RefusedFile(file.rel, t("is not valid UTF-8 text"), "encoding"))
                continue
            except RefusedFile as too_large:  # grew past the page limit since it was validated
                refused.append(too_large)
                continue
            references(content.markdown[file.rel], posixpath.dirname(file.rel))
            page_blocks(content.markdown[file.rel], posixpath.dirname(file.rel))
    if refused:
        raise UnsafeReference(refused)


def _make_pictures_light(content: PackageContent) -> None:
    """Each raster picture replaced by its light copy when there is one, in parallel (Pillow
    decodes, scales and encodes without holding the GIL); the module's files are only read."""
    if not content.rasters:
        return
    cache = media.cache_folder()
    names = sorted(content.rasters)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        made = list(pool.map(lambda name: media.optimise(content.rasters[name], cache), names))
    for name, picture in zip(names, made):
        if picture is None:
            continue
        content.files[name] = picture.data
        stem, _, extension = name.rpartition(".")

        def free(data: bytes | None, archive_name: str) -> str | None:
            """The copy's name, unless there is no copy or the module's own files use that name."""
            return archive_name if data is not None and archive_name not in content.files else None

        double = free(picture.double, f"{stem}.2x.{extension}")
        webp, double_webp = free(picture.webp, f"{stem}.webp"), free(picture.double_webp, f"{stem}.2x.webp")
        if webp is None or (double is None) != (double_webp is None):
            webp = double_webp = None  # offered as a pair with the JPEG/PNG sizes, or not at all
        for archive_name, data in ((double, picture.double), (webp, picture.webp), (double_webp, picture.double_webp)):
            if archive_name is not None and data is not None:
                content.files[archive_name] = data
        content.pictures[name] = PackedPicture(picture.width, picture.height, double,
                                               picture.double_width if double else 0, webp, double_webp)


# a whole <img> tag: quoted values may hold '>' (the sanitiser escapes only '&' and '"' in them)
_IMG = re.compile(r"""<img\b((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_SRC = re.compile(r'\ssrc="([^"]+)"')


def _responsive(html: str, pictures: dict[str, PackedPicture]) -> str:
    """Each light picture of a page's HTML with its size (no jump as it loads), loaded lazily (a
    slow link fetches what the learner scrolls to), its copy for dense screens in srcset, and its
    WebP copies offered first (a browser without WebP takes the <img>)."""
    if not pictures:
        return html
    sizes = f'sizes="(max-width: {media.SHOWN_WIDTH}px) 100vw, {media.SHOWN_WIDTH}px"'

    def srcset(one: str, width: int, two: str | None, double_width: int) -> str:
        return f"{one} {width}w, {two} {double_width}w" if two else one

    def sized(match: re.Match[str]) -> str:
        attributes = match.group(1)
        found = _SRC.search(attributes)
        picture = pictures.get(found.group(1)) if found else None
        if picture is None or found is None or " width=" in attributes:
            return match.group(0)
        src = found.group(1)
        before, after = attributes[:found.start()], attributes[found.end():]
        extra = f' width="{picture.width}" height="{picture.height}" loading="lazy" decoding="async"'
        if picture.double:
            extra += f' srcset="{srcset(src, picture.width, picture.double, picture.double_width)}" {sizes}'
        img = f'<img{before}{extra} src="{src}"{after}>'
        if not picture.webp:
            return img
        webp = srcset(picture.webp, picture.width, picture.double_webp, picture.double_width)
        return (f'<picture><source type="image/webp" srcset="{webp}"{" " + sizes if picture.double_webp else ""}>'
                f"{img}</picture>")

    return _IMG.sub(sized, html)


def _page_sources(content: PackageContent, page: Page) -> dict[str, tuple[str, str]]:
    """language -> (Markdown text, folder its links are relative to, module-relative)."""
    if page.text is not None:
        return {lang: (text, "") for lang, text in page.text.items()}
    return {lang: (content.markdown[module_path("", rel)], posixpath.dirname(module_path("", rel)))
            for lang, rel in (page.file or {}).items()}


_PLACEHOLDER = "MODPACKBLOCK{}X"
_PLACED = re.compile(r"<p>MODPACKBLOCK(0|[1-9][0-9]{0,8})X</p>")  # as format() writes it: '00' is the author's


def _render_page(text: str, base: str, assets: NameMap, language: str,
                 salt: str, pages: dict[str, str] | None = None) -> tuple[str, list[dict[str, Any]]]:
    """A page's HTML with its interactive blocks in place, and the data the player needs of them."""
    found = definition_blocks.find(text)
    if not found:
        return _render(text, base, assets, pages), []
    data = text.encode("utf-8")
    pieces, last, payload = [], 0, []
    for number, item in enumerate(found):
        pieces.append(data[last:item.start].decode("utf-8"))
        pieces.append(f"\n\n{_PLACEHOLDER.format(number)}\n\n")
        last = item.end
    pieces.append(data[last:].decode("utf-8"))
    page_html = _render("".join(pieces), base, assets, pages)
    render = lambda markdown_text: _render(markdown_text, base, assets, pages)  # noqa: E731
    rendered: list[str] = []
    for number, item in enumerate(found):
        block, _, _ = definition_blocks.parse(item, "", 1, language)
        if block is None:
            raise ContentClash(t("a {kind} block cannot be read", kind=item.kind))
        rendered.append(block_html(block, number, render, lambda rel: assets.get(module_path(base, rel))))
        payload.append(block_data(block, render, lambda q: _question_data(q, assets, salt, base)) or {})
    # each placeholder's first <p> replaced in one pass (a replace per block copied the page once a
    # block: 8,000 callouts took seconds)
    parts = _PLACED.split(page_html)
    placed: set[int] = set()
    for at in range(1, len(parts), 2):
        number = int(parts[at])
        if number < len(rendered) and number not in placed:
            placed.add(number)
            parts[at] = rendered[number]
        else:
            parts[at] = f"<p>{_PLACEHOLDER.format(number)}</p>"
    return "".join(parts), payload


def _render(text: str, base: str, assets: NameMap, pages: dict[str, str] | None = None) -> str:
    def rewrite(element: str, attribute: str, value: str) -> str | None:
        if pages and (element, attribute) == ("a", "href") and is_local_url(value):
            try:
                page = pages.get(url_path(base, value))
            except RefusedFile:
                page = None
            if page is not None:
                return f"#mp-page-{page}"
        if (element, attribute) in _PACKED_ATTRIBUTES and is_local_url(value):
            try:
                return assets.get(url_path(base, value))  # None (dropped) unless approved and packed
            except RefusedFile:
                return None
        return value

    html = markdown.to_html(text)
    plain = markdown.needs_no_sanitising(text, html)
    # sanitising HTML nested that deep would take time squared; Markdown alone (quotes in quotes)
    # can nest so only past may_nest_deep's count of tags, which spares the look for nearly every page
    if (not plain or markdown.may_nest_deep(html)) and markdown.too_deep(html) is not None:
        raise ContentClash(t("its HTML nests elements more than {limit} deep: nest less",
                             limit=markdown.MAX_NESTING))
    if plain:
        return html
    return nh3.clean(
        html,
        tags=markdown.ALLOWED_TAGS,
        attributes=markdown.ALLOWED_ATTRIBUTES,
        url_schemes=markdown.URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=rewrite,
    )


def _inline(html: str) -> str:
    """Rendered Markdown of one short paragraph, without its <p> wrapper (for choices, feedback)."""
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


_INLINE_FIELDS = ("text", "feedback")


def _question_data(question: Any, assets: NameMap, salt: str, base: str = "") -> dict[str, Any]:
    """A question for the player: its texts rendered from Markdown, its answer key sealed."""
    data = question.model_dump(mode="json", exclude_none=True)

    def render(value: dict[str, str], inline: bool) -> dict[str, str]:
        return {lang: _inline(_render(text, base, assets)) if inline else _render(text, base, assets)
                for lang, text in value.items()}

    data["prompt"] = render(data["prompt"], False)
    for key in ("correct", "incorrect"):
        if key in data.get("feedback", {}):
            data["feedback"][key] = render(data["feedback"][key], True)
    for group in ("choices", "sources", "targets", "items", "categories"):
        for entry in data.get(group, []):
            for key in _INLINE_FIELDS:
                if key in entry:
                    entry[key] = render(entry[key], True)
    return seal(data, salt)


def _assessment_data(assessment: Assessment | None, kind: str, assets: NameMap, salt: str) -> dict[str, Any] | None:
    if assessment is None:
        return None
    data = assessment.model_dump(mode="json", exclude_none=True)
    data["kind"] = kind
    data["questions"] = [_question_data(q, assets, salt) for q in assessment.questions]
    for pool, original in zip(data["pools"], assessment.pools):
        pool["questions"] = [_question_data(q, assets, salt) for q in original.questions]
    return data


def _json(data: Any) -> bytes:
    """Compact UTF-8 JSON: orjson, several times faster than json over 2,000 pages, writes what
    json.dumps(ensure_ascii=False, separators=(",", ":")) writes but for exponents (1e-7, not
    1e-07: the same number to a browser); json takes what orjson refuses (integers past 64 bits)."""
    try:
        return orjson.dumps(data)
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def prepare(module: Module, on_page: Callable[[bytes], None] | None = None) -> PackageContent:
    """Render every page and map every asset of ``module`` into archive files; ``on_page`` is
    given each page's file as it is made (ahead.py deflates it meanwhile)."""
    content = PackageContent(module, salt=package_salt(module))
    for lesson in module.lessons:
        for page in lesson.pages:
            for rel in (page.file or {}).values():  # one per language (_page_sources reads them alike)
                content.page_links.setdefault(module_path("", rel), page.id)
    _collect_files(module, content)
    _make_pictures_light(content)
    sources = {page.id: _page_sources(content, page) for lesson in module.lessons for page in lesson.pages}
    lessons = []
    for lesson in module.lessons:
        pages = []
        for page in lesson.pages:
            html, blocks = {}, {}
            for lang, (text, base) in sources[page.id].items():
                try:
                    html[lang], found = _render_page(text, base, content.assets, lang, content.salt,
                                                     content.page_links)
                except ContentClash as exc:
                    raise ContentClash(t("page '{page}': {reason}", page=page.id, reason=exc), page=page.id) from None
                html[lang] = _responsive(html[lang], content.pictures)
                if found:
                    blocks[lang] = found
            page_data: dict[str, Any] = {"id": page.id, "html": html}
            if blocks:
                page_data["blocks"] = blocks
                content.blocks[page.id] = blocks.get(module.language) or next(iter(blocks.values()))
            payload = _json(page_data)
            # A script, not JSON fetched at run time: it loads from file:// too, for offline use.
            if content.page_file(page) in content.files:  # two pages with one id: one would replace the other
                raise ContentClash(t("two pages have the id '{value}': each page needs its own id", value=page.id),
                                   page=page.id)
            content.files[content.page_file(page)] = page_bytes = b"modpack.page(" + payload + b");\n"
            if on_page is not None:
                on_page(page_bytes)
            entry: dict[str, Any] = {"id": page.id, "title": page.title, "src": content.page_file(page)}
            kinds = [("scored-check" if b.get("scored") else "check") if b.get("kind") == "check" else b.get("kind")
                     for b in blocks.get(module.language) or next(iter(blocks.values()), [])]
            if any(kind in STATEFUL for kind in kinds):
                # the kinds of the page's blocks, in order: the player keeps their state (resume) by place
                entry["blocks"] = kinds
            if page.audio:
                entry["audio"] = {**page.audio.model_dump(mode="json", exclude_none=True),
                                  "file": content.asset(page.audio.file)}
            if page.video:
                video = page.video.model_dump(mode="json", exclude_none=True)
                for key in ("file", "poster"):
                    if key in video:
                        video[key] = content.asset(video[key])
                if "captions" in video:
                    video["captions"] = {lang: content.asset(p) for lang, p in video["captions"].items()}
                entry["video"] = video
            if page.attachments:
                entry["attachments"] = [{"file": content.asset(a.file), "title": a.title} for a in page.attachments]
            pages.append(entry)
        lessons.append({
            "id": lesson.id, "title": lesson.title, "objectives": lesson.objectives, "pages": pages,
            "quiz": _assessment_data(lesson.quiz, "quiz", content.assets, content.salt),
        })
    data = {
        "id": module.id,
        "version": module.version,
        "salt": content.salt,
        "iri": module.iri,
        "languages": module.languages,
        "title": module.title,
        "description": module.description,
        "objectives": [o.model_dump(mode="json") for o in module.objectives],
        "preTest": _assessment_data(module.pre_test, "pre-test", content.assets, content.salt),
        "lessons": lessons,
        "postTest": _assessment_data(module.post_test, "post-test", content.assets, content.salt),
        "completion": module.completion.model_dump(mode="json"),
        "minutes": module.workload.self_paced_minutes,
        "jp": module.workload.self_paced_jp,
        "institution": module.institution.name if module.institution else None,
        "certificate": module.certificate,
        "budget": module.budget.model_dump(mode="json"),  # info judges any package against its author's budget
        "theme": {"primary": module.theme.primary, "font": module.theme.font,
                  "logo": content.asset(module.theme.logo) if module.theme.logo else None},
    }
    content.files[f"{CONTENT_DIR}/module.js"] = b"modpack.module(" + _json(data) + b");\n"
    return content
