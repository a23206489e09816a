"""`modpack import`: a conventional Word module (.docx) into a module definition.

The pipeline: read the document safely into blocks (``word``) -> recognise its parts: title,
lessons and pages, objectives, questions and keys, JP (``recognise``) -> put them together as a
definition with Markdown pages and images (``assemble``, ``render``) -> write it to a temporary
folder, check it as ``modpack validate`` does, and rename it into place. May import:
``modpack.checker`` (its safe zip reader), ``modpack.definition`` (to validate what it writes),
``modpack.model``, ``modpack.xmltree`` (the one XML parser), ``modpack.messages`` and ``modpack.signals``.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..definition.diagnostics import Diagnostic, Severity, errors
from ..definition.files import MAX_MARKDOWN_BYTES
from ..definition.loader import read_module
from .. import signals
from ..messages import clip, t, os_reason
from .assemble import Assembler, Imported
from .word import NotADocument, read

__all__ = ["ImportResult", "ImportError_", "import_docx"]


class ImportError_(Exception):
    """The document cannot be imported; ``diagnostics`` say why. Nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("; ".join(d.message for d in diagnostics))


@dataclass
class ImportResult:
    folder: Path
    diagnostics: list[Diagnostic]
    questions: int


def _severity(value: str) -> Severity:
    return {"warning": Severity.WARNING, "info": Severity.INFO}.get(value, Severity.WARNING)


def _given_values(module_id: str | None, iri_base: str | None) -> list[Diagnostic]:
    """What is wrong with the id and IRI base the caller gave (--id, --iri-base), checked as the
    model checks them."""
    from pydantic import HttpUrl, TypeAdapter, ValidationError

    from ..model.common import _check_slug

    found = []
    if module_id is not None:
        try:
            _check_slug(module_id)
        except ValueError as exc:
            found.append(Diagnostic("--id", None, None, "", str(exc), code="value"))
    if iri_base is not None:
        try:
            TypeAdapter(HttpUrl).validate_python(iri_base)
        except ValidationError:
            found.append(Diagnostic("--iri-base", None, None, "", t("'{value}' is not an http(s) URL",
                                                                    value=clip(iri_base, 200)), code="value"))
    return found


def import_docx(path: str | os.PathLike[str], out: str | os.PathLike[str], *, module_id: str | None = None,
                language: str = "id-ID", lesson_level: int = 1, split_level: int | None = None,
                iri_base: str | None = None) -> ImportResult:
    """Import a Word document into a new module folder ``out``; returns it with the diagnostics.

    Lessons come from headings at ``lesson_level`` (1: Heading 1, or "BAB I" typed in bold), pages
    from the level below, and longer pages are split at the level ``split_level`` when given.
    Raises :class:`ImportError_` for a file that is not a readable .docx, or when ``out`` exists
    and is not empty; nothing is written then.
    """
    source, target = Path(path), Path(out)
    shown = str(source)
    given = _given_values(module_id, iri_base)  # the caller's own values: said as theirs, not the document's
    if given:
        raise ImportError_(given)
    if target.is_symlink():  # (a dangling one too: written through, the module would land elsewhere)
        raise ImportError_([Diagnostic(str(target), None, None, "", t("'{target}' is a link; choose a new folder",
                                                                      target=target), code="exists")])
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ImportError_([Diagnostic(str(target), None, None, "", t("'{target}' already exists and is not an "
                                                                      "empty folder; choose a new folder", target=target),
                                       code="exists")])
    try:
        document = read(source)
    except NotADocument as exc:
        raise ImportError_([Diagnostic(shown, None, None, "", t("not imported: {reason}", reason=str(exc)),
                                       code="not-a-docx")]) from None
    imported = Assembler(document, module_id, language, lesson_level, split_level).build()
    too_long = _pages_too_long(imported)
    if too_long:
        raise ImportError_([Diagnostic(shown, None, None, "", message, code="page-too-long") for message in too_long])
    if iri_base:
        imported.data = {"id": imported.data["id"], "iri_base": iri_base, **imported.data}  # second, as authors write it
    found = [Diagnostic(shown, note.index, None, note.path, note.message, _severity(note.severity), note.code)
             for note in imported.notes]
    try:
        folder = _write(imported, target)
    except OSError as exc:  # a folder that cannot be made or written: said, not a traceback
        reason = os_reason(exc)
        blocking = next((p for p in (target, *target.parents) if p.exists() and not p.is_dir()), None)
        if isinstance(exc, (FileExistsError, NotADirectoryError)) and blocking is not None:
            reason = t("'{path}' is a file, not a folder", path=blocking)  # ("File exists" said of a folder to make)
        raise ImportError_([Diagnostic(str(target), None, None, "", t("not imported: '{target}' cannot be written: "
                                                                      "{reason}", target=target, reason=reason),
                                       code="not-written")]) from None
    return ImportResult(folder, found, imported.questions)


def _pages_too_long(imported: Imported) -> list[str]:
    """Pages over what a module's page may hold (MAX_MARKDOWN_BYTES), each said with its title:
    the module's own check would refuse them, and the whole import with them."""
    titles = {page.get("file"): page.get("title") for lesson in imported.data.get("lessons", [])
              for page in lesson.get("pages", []) if isinstance(page, dict)}
    found = []
    for rel, content in imported.files.items():
        size = len(content) if isinstance(content, bytes) or not rel.endswith(".md") else len(content.encode("utf-8"))
        if rel.endswith(".md") and size > MAX_MARKDOWN_BYTES:
            found.append(t("not imported: the page '{title}' would hold {size} MB of text, over the {limit} MB a page "
                           "may hold: split it with headings in Word (or import with --split-at)",
                           title=clip(str(titles.get(rel) or rel)), size=f"{size / 1024**2:.1f}",
                           limit=MAX_MARKDOWN_BYTES // 1024**2))
    return found


def _write(imported: Imported, target: Path) -> Path:
    """Write the module beside ``target``, check it, then rename it into place (whole or nothing)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with signals.deferred():  # made and its removal set up before a kill is let in (signals.py)
        staging = _staging_folder(target)
    try:
        text = "# Imported by modpack from a Word document: check the titles, objectives and answers.\n"
        text += yaml.safe_dump(imported.data, allow_unicode=True, sort_keys=False, width=100)
        (staging / "module.yaml").write_text(text, encoding="utf-8")
        for rel, content in imported.files.items():
            file = staging / rel
            file.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                file.write_bytes(content)
            else:
                file.write_text(content, encoding="utf-8")
        _, found = read_module(staging)
        if errors(found):  # a module modpack wrote must be valid: what it found, said where it would have been
            raise ImportError_([Diagnostic(str(target), None, None, "", t(
                "not imported: the module made from the document does not validate (below): please report it "
                "with the document"), code="not-valid")] + [_moved(d, staging, target) for d in errors(found)])
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _staging_folder(target: Path) -> Path:
    """A new folder beside ``target``, made with the user's umask (mkdtemp's 0700 would then be
    the module's mode: renamed into place, it kept it)."""
    for _ in range(100):
        staging = target.parent / f".{target.name}.{secrets.token_hex(4)}.import"
        try:
            staging.mkdir()
        except FileExistsError:
            continue
        return staging
    raise FileExistsError(errno.EEXIST, "no free name for a temporary folder", str(target.parent))


def _moved(diagnostic: Diagnostic, staging: Path, target: Path) -> Diagnostic:
    """The diagnostic of a file in the staging folder, naming it where the module would have been."""
    # absolute, both: the loader names files relative to the working folder when it can
    file, root = os.path.abspath(diagnostic.file or ""), os.path.abspath(staging)
    if diagnostic.file and (file == root or file.startswith(root + os.sep)):
        return dataclasses.replace(diagnostic, file=str(target) + file[len(root):])
    return diagnostic
