"""Rules a schema cannot express: unique ids, references between parts, files on disk.

They read the definition as parsed data, not the validated model, so that they still run
when the schema check failed elsewhere in the file: an author sees every problem at once.
Each rule skips what is malformed; the schema check reports that.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

from . import markdown
from .diagnostics import Diagnostic, Severity, format_field
from .model.common import _check_relative_path
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
                yield src.diagnostic(path + ("id",), f"duplicate {kind} id '{ident}' (first used on line {line})",
                                     code="duplicate-id")
            else:
                first[ident] = path
    objectives = {o.get("id") for _, o in _items(data, "objectives")}
    referrers = [(("lessons", i), x) for i, x in _items(data, "lessons")]
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
                yield src.diagnostic(path + ("objectives", k), f"no objective has the id '{ref}'",
                                     code="unknown-reference")
    for i, objective in _items(data, "objectives"):
        if isinstance(objective.get("id"), str) and objective["id"] not in served:
            yield src.diagnostic(("objectives", i, "id"),
                                 f"objective '{objective['id']}' is served by no lesson, question or session",
                                 severity=Severity.WARNING, code="unused-objective")


def _paths_in(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """A path field: a plain string, or a map of language -> string."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for lang, item in value.items():
            if isinstance(item, str):
                yield path + (lang,), item


def _file_fields(data: dict[str, Any]) -> Iterator[tuple[Path_, str, bool]]:
    """(path, file, is_markdown) for every field of a module that names a file."""
    for path, page in _pages(data):
        for field_path, value in _paths_in(page.get("file"), path + ("file",)):
            yield field_path, value, True
        for media in ("audio", "video"):
            block = page.get(media)
            if isinstance(block, dict):
                for key in ("file", "poster", "captions"):
                    for field_path, value in _paths_in(block.get(key), path + (media, key)):
                        yield field_path, value, False
        for k, attachment in _items(page, "attachments"):
            for field_path, value in _paths_in(attachment.get("file"), path + ("attachments", k, "file")):
                yield field_path, value, False


def _inside(root: Path, target: Path) -> bool:
    """Whether ``target`` stays in ``root`` once '..' and symbolic links are followed."""
    real_root = os.path.realpath(root)
    return os.path.realpath(target).startswith(real_root + os.sep)


def files(src: Source, root: Path, display_root: str) -> Found:
    """Every file the module names exists, is a file, and stays inside the module folder."""
    data = src.data
    if not isinstance(data, dict):
        return
    for path, value, is_markdown in _file_fields(data):
        try:
            _check_relative_path(value)
        except ValueError:
            continue  # the schema check reports malformed paths
        target = root / value
        if not _inside(root, target):
            yield src.diagnostic(path, f"'{value}' leads outside the module folder (through a symbolic link)",
                                 code="path-escape")
        elif not target.is_file():
            yield src.diagnostic(path, f"file '{value}' does not exist in the module folder", code="missing-file")
        elif is_markdown:
            yield from _markdown_file(target, root, os.path.normpath(os.path.join(display_root, value)), path)
    for path, page in _pages(data):
        for field_path, text in _paths_in(page.get("text"), path + ("text",)):
            line = src.text_lines.get(field_path) or src.position(field_path)[0]
            yield from _markdown_references(text, root, root, src.file, line or 1, field_path)


def _markdown_file(file: Path, root: Path, display: str, field: Path_) -> Found:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        yield Diagnostic(display, 1, 1, format_field(field), "the Markdown file is not valid UTF-8 text", code="encoding")
        return
    yield from _markdown_references(text, file.parent, root, display, 1, field)


def _markdown_references(text: str, base: Path, root: Path, display: str, first_line: int, field: Path_) -> Found:
    field_name = format_field(field)
    for ref in markdown.references(text):
        line = first_line + ref.line - 1
        if ref.kind == "image" and not ref.text:
            yield Diagnostic(display, line, 1, field_name,
                             f"image '{ref.target}' has no alt text: write ![what the image shows]({ref.target})",
                             code="missing-alt-text")
        if not ref.is_local:
            continue
        target = base / ref.local_path
        if ref.local_path.startswith("/") or not _inside(root, target):
            yield Diagnostic(display, line, 1, field_name,
                             f"{ref.kind} '{ref.target}' leads outside the module folder", code="path-escape")
        elif not target.is_file():
            yield Diagnostic(display, line, 1, field_name,
                             f"{ref.kind} '{ref.target}' does not exist", code="missing-file")
