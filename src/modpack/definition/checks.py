"""Rules a schema cannot express: unique ids, references between parts, files on disk.

They read the definition as parsed data, not the validated model, so that they still run
when the schema check failed elsewhere in the file: an author sees every problem at once.
Each rule skips what is malformed; the schema check reports that.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

from . import markdown
from .diagnostics import Diagnostic, Severity, format_field
from ..pictures import PICTURE_SUFFIXES, Budget, ends_early
from . import blocks
from ..model.blocks import BLOCK_MODELS, Check, Scenario
from .files import MAX_MARKDOWN_TOTAL, Folder, ModuleFile, PageTexts, RefusedFile, hard_link_warning, module_path, url_path
from ..messages import did_you_mean, t
from ..model import Module
from ..model.common import DEFAULT_LANGUAGE
from ..model.common import _check_relative_path
from ..model.fields import model_files
from .source import Path_, Source

Found = Iterator[Diagnostic]


def _items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _assessments(data: dict[str, Any]) -> Iterator[tuple[Path_, dict[str, Any]]]:
    if isinstance(data.get("pre_test"), dict):
        yield ("pre_test",), data["pre_test"]
    for i, lesson in _items(data, "lessons"):
        if isinstance(lesson.get("quiz"), dict):
            yield ("lessons", i, "quiz"), lesson["quiz"]
    if isinstance(data.get("post_test"), dict):
        yield ("post_test",), data["post_test"]


def _questions(data: dict[str, Any]) -> Iterator[tuple[Path_, dict[str, Any]]]:
    for path, assessment in _assessments(data):
        for j, question in _items(assessment, "questions"):
            yield path + ("questions", j), question
        for k, pool in _items(assessment, "pools"):
            for j, question in _items(pool, "questions"):
                yield path + ("pools", k, "questions", j), question


def _pages(data: dict[str, Any]) -> Iterator[tuple[Path_, dict[str, Any]]]:
    for i, lesson in _items(data, "lessons"):
        for j, page in _items(lesson, "pages"):
            yield ("lessons", i, "pages", j), page


def _id_groups(data: dict[str, Any]) -> dict[str, list[tuple[Path_, dict[str, Any]]]]:
    """The id namespaces of a module; ids must be unique within each, module-wide."""
    pools = [
        (path + ("pools", k), pool) for path, a in _assessments(data) for k, pool in _items(a, "pools")
    ]
    return {
        "objective": [(("objectives", i), o) for i, o in _items(data, "objectives")],
        "lesson": [(("lessons", i), lesson) for i, lesson in _items(data, "lessons")],
        "page": list(_pages(data)),
        "assessment": list(_assessments(data)) + pools,
        "question": list(_questions(data)),
        "facilitated session": [(("facilitated_sessions", i), s) for i, s in _items(data, "facilitated_sessions")],
    }


def cross_references(src: Source) -> Found:
    """Duplicate ids, and references to objectives that do not exist."""
    data = src.data
    if not isinstance(data, dict):
        return
    for kind, entries in _id_groups(data).items():
        first: dict[str, Path_] = {}
        for path, entry in entries:
            ident = entry.get("id")
            if not isinstance(ident, str):
                continue
            if ident in first:
                line, _ = src.position(first[ident] + ("id",))
                yield src.diagnostic(path + ("id",), t("duplicate {kind} id '{value}' (first used on line {line})",
                                                       kind=t(kind), value=ident, line=line), code="duplicate-id")
            else:
                first[ident] = path
    objectives = {o.get("id") for _, o in _items(data, "objectives")}
    referrers: list[tuple[Path_, dict[str, Any]]] = [(("lessons", i), x) for i, x in _items(data, "lessons")]
    referrers += list(_questions(data))
    referrers += [(("facilitated_sessions", i), s) for i, s in _items(data, "facilitated_sessions")]
    served: set[str] = set()
    for path, entry in referrers:
        refs = entry.get("objectives")
        if not isinstance(refs, list):
            continue
        for k, ref in enumerate(refs):
            if not isinstance(ref, str):
                continue
            served.add(ref)
            if ref not in objectives:
                hint = did_you_mean(ref, [o for o in objectives if isinstance(o, str)])
                yield src.diagnostic(path + ("objectives", k), t("no objective has the id '{value}'{hint}", value=ref,
                                                                 hint=hint), code="unknown-reference")
    for i, objective in _items(data, "objectives"):
        if isinstance(objective.get("id"), str) and objective["id"] not in served:
            yield src.diagnostic(("objectives", i, "id"),
                                 t("objective '{value}' is served by no lesson, question or session", value=objective["id"]),
                                 severity=Severity.WARNING, code="unused-objective")


def files(src: Source, root: Path, display_root: str, texts: PageTexts | None = None) -> Found:
    """Every file the module names, by any field or any Markdown or HTML in it, passes the file
    rule (modpack.files.approve): a regular file inside the module folder. The pages read are
    kept in ``texts`` for the packer."""
    data = src.data
    if not isinstance(data, dict):
        return
    folder = Folder(root, trusted_files(data), texts)
    langs = data.get("languages")
    default = langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) else DEFAULT_LANGUAGE
    markdown_total = 0  # bytes of Markdown every page shows, a file used twice counted twice
    scenarios: dict[str, tuple[tuple[Any, ...], str, int]] = {}  # id -> (its page, file, line): module-wide
    for path, how, value in model_files(Module, data):
        if how == "markdown":
            line = src.text_lines.get(path) or src.position(path)[0]
            yield from _markdown_references(value, "", folder, src.file, line or 1, path)
            if is_page_body(path):
                yield from _blocks(value, "", folder, src.file, line or 1, path, _language(path, default), scenarios)
            continue
        try:
            _check_relative_path(value)
        except ValueError:
            continue  # the schema check reports malformed paths
        try:
            file = folder.approve(value)
        except RefusedFile as refused:
            yield src.diagnostic(path, refused.message, code=refused.code)
            continue
        warning = hard_link_warning(file)
        if warning:
            yield src.diagnostic(path, warning, severity=Severity.WARNING, code="hard-link")
        broken = _broken_media_once(folder, file) if how == "file" else None
        if broken:
            yield src.diagnostic(path, broken, severity=Severity.WARNING, code="broken-media")
        for severity, code, message in _svg_notes(folder, file):
            yield src.diagnostic(path, message, severity=severity, code=code)
        if how == "markdown-file":
            display = os.path.normpath(os.path.join(display_root, file.rel))
            if markdown_total > MAX_MARKDOWN_TOTAL:
                continue  # said once, below: reading on would only repeat the work the budget bounds
            try:
                text = folder.texts.read(file)
            except UnicodeDecodeError as exc:  # where the first bad byte is, as an editor counts lines
                data = exc.object if isinstance(exc.object, bytes) else b""
                line = data.count(b"\n", 0, exc.start) + 1
                column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
                yield Diagnostic(display, line, column, format_field(path),
                                 t("the Markdown file is not valid UTF-8 text: save it as UTF-8 (in Word or Notepad: "
                                   "Save As, encoding UTF-8)"), code="encoding")
                continue
            except RefusedFile as exc:
                yield src.diagnostic(path, t("'{file}' {reason}: split the page", file=file.rel, reason=exc.reason)
                                     if exc.code == "too-large" else exc.message, code=exc.code)
                continue
            except OSError as exc:
                yield Diagnostic(display, None, None, format_field(path), t("cannot read the file: {reason}", reason=exc),
                                 code="unreadable")
                continue
            markdown_total += len(text)
            if markdown_total > MAX_MARKDOWN_TOTAL:
                yield src.diagnostic(path, t("the pages hold more than {limit} bytes of Markdown in all (a file used "
                                             "by several pages counts each time): split the module",
                                             limit=f"{MAX_MARKDOWN_TOTAL:,}"), code="too-large")
                continue
            if not text.strip():
                yield Diagnostic(display, 1, 1, format_field(path), t("the page is empty: write its text, or remove the "
                                                                      "page"), severity=Severity.WARNING, code="empty-page")
            deep = markdown.deep_line(text)
            if deep is not None:  # as rendered: sanitising it would take time squared
                yield Diagnostic(display, deep, 1, format_field(path),
                                 t("the page's HTML nests elements more than {limit} deep: nest less",
                                   limit=markdown.MAX_NESTING), code="too-deep")
                continue
            yield from _markdown_references(text, posixpath.dirname(file.rel), folder, display, 1, path)
            yield from _blocks(text, posixpath.dirname(file.rel), folder, display, 1, path, _language(path, default),
                               scenarios)


def _broken_media_once(folder: Folder, file: ModuleFile) -> str | None:
    """:func:`_broken_media`, at a file's first reference only (a field, a page or a block): a
    picture used a hundred times is looked at, and said, once."""
    if f"broken:{file.rel}" in folder.said:
        return None
    folder.said.add(f"broken:{file.rel}")
    return _broken_media(file, folder.picture_walks)


def _broken_media(file: ModuleFile, walks: Budget) -> str | None:
    """What a learner would meet instead of a file, cheaply told: an empty file (a broken picture,
    a silent video), a picture cut short (shown in part), or captions that are no WebVTT (a
    browser shows none, without a word)."""
    if file.size == 0:
        return t("'{file}' is empty: a learner would see or hear nothing; replace it", file=file.rel)
    suffix = posixpath.splitext(file.rel)[1].lower()
    if suffix in PICTURE_SUFFIXES:
        try:
            with file.open() as handle:
                cut = ends_early(handle, file.size, suffix, walks)
        except (OSError, RefusedFile):
            return None  # (said where it is read)
        if cut:
            return t("'{file}' is cut short: the file ends before its picture does (a copy or an upload that "
                     "stopped), so a learner may see only part of it; copy it again from where it came", file=file.rel)
    if file.rel.lower().endswith(".vtt"):
        try:
            with file.open() as handle:
                head = handle.read(16)
        except (OSError, RefusedFile):
            return None  # (said where it is read)
        if not head.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
            return t("'{file}' is not WebVTT (it must begin with 'WEBVTT'; an .srt renamed is not): a browser "
                     "shows no captions from it; convert it, e.g. with Subtitle Edit", file=file.rel)
    return None


def trusted_files(data: dict[str, Any]) -> frozenset[str]:
    """``delivery.trusted_active_files`` of raw data, the paths that are paths (the schema says the rest)."""
    delivery = data.get("delivery")
    listed = delivery.get("trusted_active_files") if isinstance(delivery, dict) else None
    found = set()
    for value in listed if isinstance(listed, list) else []:
        try:
            if isinstance(value, str):
                found.add(module_path("", value))
        except RefusedFile:
            continue
    return frozenset(found)


def _svg_notes(folder: Folder, file: ModuleFile) -> list[tuple[Severity, str, str]]:
    """An SVG's problems, said at its first reference only: it cannot be read, or what is taken out."""
    if not file.rel.lower().endswith(".svg") or file.rel in folder.said:
        return []
    folder.said.add(file.rel)
    try:
        clean = folder.svg(file)
    except RefusedFile as refused:
        return [(Severity.ERROR, refused.code, refused.message)]
    if clean.removed:
        return [(Severity.WARNING, "svg-sanitised", t("'{value}' holds what could run script ({what}): it is packed "
                                                      "without it, as a picture only", value=file.rel,
                                                      what=", ".join(clean.removed[:5])))]
    return []


def is_page_body(path: Path_) -> bool:
    """Whether a Markdown field is a page's body (the only place interactive blocks are read)."""
    return len(path) >= 5 and path[0] == "lessons" and path[2] == "pages" and path[4] in ("text", "file")


def _language(path: Path_, default: str) -> str:
    return str(path[5]) if len(path) > 5 and isinstance(path[5], str) else default


def _blocks(text: str, base: str, folder: Folder, display: str, first_line: int, field: Path_, language: str,
            scenarios: dict[str, tuple[tuple[Any, ...], str, int]]) -> Found:
    """The interactive blocks of a page: each read into the model, and every file it names judged.

    Knowledge checks need their own id on their page, scenarios in the whole module: an LMS
    records each answer under it (check_<page>.<question>, scenario.<id>), so two alike would
    mix their answers. A page's versions in other languages share their scenarios' ids."""
    ids: dict[tuple[str, str], int] = {}  # (what, id) -> the line that used it first
    page = tuple(field[:4])  # lessons, i, pages, j: the same page in every language
    for found in blocks.find(text):
        block, block_src, problems = blocks.parse(found, display, first_line, language)
        yield from problems
        if block is None and block_src is not None and isinstance(block_src.data, dict):
            # its files judged all the same, from what was written: every problem at once
            yield from _block_files(BLOCK_MODELS.get(found.kind), block_src, found, base, folder, display,
                                    first_line, field)
            continue
        if block is None or block_src is None:
            continue
        ident = block.question.id if isinstance(block, Check) else block.id if isinstance(block, Scenario) else None
        if ident is not None:
            key = ("check" if isinstance(block, Check) else "scenario", ident)
            if key in ids:
                yield Diagnostic(display, found.line + first_line - 2, 1, found.kind,
                                 t("another {kind} on this page, at line {line}, has the id '{value}': an LMS would "
                                   "record both under it; give each its own",
                                   kind=t("knowledge check") if key[0] == "check" else t("scenario"), line=ids[key],
                                   value=ident), code="duplicate-id")
            else:
                ids[key] = found.line + first_line - 2  # the fence's line
            if isinstance(block, Scenario):
                here = (page, display, found.line + first_line - 2)
                first = scenarios.setdefault(ident, here)
                # another page's scenario; the same one, from a file several pages show, is itself
                if first[0] != page and first[1:] != here[1:]:
                    yield Diagnostic(display, found.line + first_line - 2, 1, found.kind,
                                     t("a scenario of another page ({file}, line {line}) has the id '{value}': an LMS "
                                       "would record both under it; give each its own", file=first[1], line=first[2],
                                       value=ident), code="duplicate-id")
        yield from _block_files(type(block), block_src, found, base, folder, display, first_line, field)


def _block_files(model: Any, block_src: Source, found: blocks.FoundBlock, base: str, folder: Folder, display: str,
                 first_line: int, field: Path_) -> Found:
    """Every file a block names, judged by the file rule, and the references of its Markdown."""
    if model is None:
        return
    for path, how, value in model_files(model, block_src.data):
        if not isinstance(value, str):
            continue  # (raw data: the schema says what is wrong with it)
        line = block_src.text_lines.get(path) or block_src.position(path)[0] or first_line
        if how == "markdown":
            yield from _markdown_references(value, base, folder, display, line, field)
            continue
        where = (display, line, block_src.position(path)[1], f"{found.kind}.{format_field(path)}")
        try:
            file = folder.approve(module_path(base, value))
        except RefusedFile as refused:
            reason = t("does not exist") if refused.code == "missing-file" else refused.reason
            yield Diagnostic(*where, t("{what} '{target}' {reason}", what=t("image"), target=value, reason=reason),
                             code=refused.code)
            continue
        broken = _broken_media_once(folder, file)
        if broken:
            yield Diagnostic(*where, broken, severity=Severity.WARNING, code="broken-media")
        for severity, code, message in _svg_notes(folder, file):
            yield Diagnostic(*where, message, severity=severity, code=code)


def _what(ref: markdown.Reference) -> str:
    """What a reference is, for a message: made only when one is said (a page may hold 300,000 links)."""
    return t(ref.kind) if ref.kind != "html" else f"<{ref.element} {ref.attribute}>"


def _markdown_references(text: str, base: str, folder: Folder, display: str, first_line: int, field: Path_) -> Found:
    field_name = format_field(field)
    for ref in markdown.references(text):
        line = first_line + ref.line - 1
        if ref.kind == "image" and not ref.text:
            yield Diagnostic(display, line, 1, field_name,
                             t("image '{target}' has no alt text: write ![what the image shows]({target})",
                               target=ref.target), code="missing-alt-text")
        if not ref.is_local:
            if urlsplit(ref.target).scheme.lower() == "file":
                yield Diagnostic(display, line, 1, field_name, t("{what} '{target}' is a file: URL on the author's "
                                 "machine: give a path inside the module folder", what=_what(ref), target=ref.target),
                                 code="path-escape")
            continue
        try:
            file = folder.approve(url_path(base, ref.target))
        except RefusedFile as refused:
            reason = t("does not exist") if refused.code == "missing-file" else refused.reason
            yield Diagnostic(display, line, 1, field_name, t("{what} '{target}' {reason}", what=_what(ref), target=ref.target,
                                                            reason=reason), code=refused.code)
            continue
        warning = hard_link_warning(file)
        if warning:
            yield Diagnostic(display, line, 1, field_name, warning, severity=Severity.WARNING, code="hard-link")
        broken = _broken_media_once(folder, file)
        if broken:
            yield Diagnostic(display, line, 1, field_name, broken, severity=Severity.WARNING, code="broken-media")
        for severity, code, message in _svg_notes(folder, file):
            yield Diagnostic(display, line, 1, field_name, message, severity=severity, code=code)
