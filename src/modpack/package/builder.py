"""Building packages: load -> validate into the model -> plan per target -> write.

    >>> modpack.build("samples/rujukan-terpadu", format="scorm12", out="dist")   # doctest: +SKIP
    [PosixPath('dist/rujukan-terpadu-1.2.0-scorm12.zip')]
"""

from __future__ import annotations

import math
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable, Sequence

from .. import xsd
from .. import filehash, signals
from .ahead import DeflateAhead
from .archive import stage_zip
from .content import ContentClash, PackageContent, UnsafeReference, prepare
from ..definition.diagnostics import Diagnostic, InvalidDefinition, Severity, format_field, warnings
from ..definition.files import Folder, RefusedFile
from ..messages import t, os_reason
from ..definition.loader import _display, read, read_course, read_module, revalidate
from ..definition.locate import course_modules, find_definition, is_course
from ..definition.source import read_source
from .cache import Rebuild, Unchanged
# re-exported: modpack.package.builder.BuildError and formats_of were first defined here
from .formats import DEFAULT_FORMAT as DEFAULT_FORMAT, FORMATS as FORMATS, BuildError as BuildError, formats_of as formats_of
from ..model import Course, Module
from . import media, presets, split
from .targets import PackagePlan, cmi5, scorm12, scorm2004, xapi, zip_name
from ..weight import LINKS, Weights, kb, of_files

TARGETS: dict[str, ModuleType] = {"scorm12": scorm12, "scorm2004": scorm2004, "cmi5": cmi5, "xapi": xapi}
# Which official schema set each target's descriptor is checked against.
SCHEMA_SET = {"scorm12": "scorm12", "scorm2004": "scorm2004_4th", "cmi5": "cmi5", "xapi": "tincan"}


class UnsafeFile(BuildError):
    """The module names a file the file rule refuses (outside the folder, special...): nothing was written."""


class TooLarge(BuildError):
    """A package is over the size asked for (``max_size_mb``): nothing was written."""


class PackageInvalid(BuildError):
    """A built descriptor fails the official schemas (with ``validate=True``); nothing was written."""


def make_ready() -> None:
    """Make now what a process's first build makes on its way whatever the input: each model's own
    validator (they are made when first used: defer_build), the block reader, the YAML parser's depth
    probe. For a process that builds later, so that its first build is as quick as the next: a
    watcher whose first build found nothing changed, the resident server before its first fork."""
    from ..definition import blocks, source
    from ..model.common import StrictModel

    Module.model_rebuild()
    Course.model_rebuild()
    # a default made by its model (a module's delivery, theme, budget) or a question read alone
    # would make its own validator
    todo: list[type[StrictModel]] = [StrictModel]
    while todo:
        for model in todo.pop().__subclasses__():
            if not model.__pydantic_complete__:
                model.model_rebuild()
            todo.append(model)
    blocks._adapter()
    source._libyaml_caps_flow()


def plan(module: Module, format: str = DEFAULT_FORMAT, content: PackageContent | None = None) -> PackagePlan:
    """Every file of the package for ``module`` in ``format``, nothing written yet.

    ``content`` (pages and assets, the same for every standard) may come from an earlier call
    of :func:`prepare_content`, when one module is built in several formats.
    """
    if format not in TARGETS:
        raise BuildError(t("unknown format '{value}': choose one of {choices}, or all", value=format,
                           choices=", ".join(FORMATS)))
    package: PackagePlan = TARGETS[format].plan(module, content if content is not None else prepare_content(module))
    return package


def prepare_content(module: Module, on_page: Callable[[bytes], None] | None = None) -> PackageContent:
    """The rendered pages and approved assets of ``module``; raises BuildError for what it refuses."""
    try:
        return prepare(module, on_page)
    except UnsafeReference as exc:
        raise UnsafeFile(t("{module}: not packed: {reason}", module=module.id, reason=exc)) from None
    except ContentClash as exc:
        raise BuildError(t("{module}: not packed: {reason}", module=module.id, reason=exc), page=exc.page) from None


def download(module: Module) -> Weights:
    """What a learner downloads to see each page of ``module``'s SCORM 1.2 package, planned, not written."""
    return of_files(plan(module, DEFAULT_FORMAT).files)


def validate(path: str | os.PathLike[str]) -> list[Diagnostic]:
    """Every problem in a module or course definition, errors and warnings: the definition's own
    (``definition.loader.validate``), then, for each module that has none, what its build would
    refuse in a page's content as it renders it, and what is over its download budget. What
    ``modpack validate`` reports."""
    result, found = read(path)
    for _, _, more in download_figures(result):
        found += more
    return found


def download_figures(result: Module | Course | None) -> list[tuple[Module, Weights | None, list[Diagnostic]]]:
    """(module, its download weights, its over-budget warnings) for each module of a valid
    definition; for a module whose build would refuse its content, (module, None, that error)."""
    if result is None:
        return []
    figures: list[tuple[Module, Weights | None, list[Diagnostic]]] = []
    for module in result.loaded_modules if isinstance(result, Course) else [result]:
        try:
            weights = download(module)
        except BuildError as exc:  # the page its build would refuse (its HTML nested too deep...): an error
            figures.append((module, None, [refused(module, exc)]))
            continue
        except OSError:
            continue  # a file gone since it was read: for build to say, as it is then
        figures.append((module, weights, over_budget(module, weights)))
    return figures


def over_budget(module: Module, weights: Weights) -> list[Diagnostic]:
    """A warning for each page, and for the package, over the module's download budget, and for
    each recording over 3G's bit rate, located in its definition file when it was read from one."""
    over = [(page.id if page is not None else None, message)
            for page, message in weights.over_budget(module.budget.page_kb, module.budget.package_mb)]
    over += _media_over_link(module)
    if not over:
        return []
    return _located(module, [(page_id, ("budget",), message) for page_id, message in over], Severity.WARNING,
                    "over-budget")


def refused(module: Module, error: BuildError) -> Diagnostic:
    """What stops ``module``'s build (its content refused: a page nested too deep, a block that
    cannot be read...), as the error `validate` reports: at the page's entry in its definition
    when it is one page's, else at the module."""
    return _located(module, [(error.page, (), str(error))], Severity.ERROR, "not-packed")[0]


def _located(module: Module, found: list[tuple[str | None, tuple[str | int, ...], str]], severity: Severity,
             code: str) -> list[Diagnostic]:
    """A diagnostic for each (page id or None, the field otherwise, message), at the page's entry of
    the module's definition file when it was read from one (read again, for positions only)."""
    file = find_definition(module.root) if module.root is not None else None
    src = read_source(file, _display(file))[0] if file is not None else None
    where = {page.id: ("lessons", i, "pages", j) for i, lesson in enumerate(module.lessons)
             for j, page in enumerate(lesson.pages)}
    located = []
    for page_id, otherwise, message in found:
        path = where.get(page_id or "", otherwise)
        if src is not None:
            located.append(src.diagnostic(path, message, severity=severity, code=code))
        else:
            located.append(Diagnostic(f"<module {module.id}>", None, None, format_field(path), message, severity,
                                      code))
    return located


def _media_over_link(module: Module) -> list[tuple[str, str]]:
    """(page id, message) for each audio or video a slow link cannot play as it loads: a bit rate
    over 3G's, or an MP4 whose index comes after its data (whole file first without Range requests)."""
    if module.root is None:
        return []
    folder = Folder(module.root, frozenset(module.delivery.trusted_active_files), module._page_texts)
    found = []
    for lesson in module.lessons:
        for page in lesson.pages:
            for item in (page.audio, page.video):
                rel = getattr(item, "file", None)
                if not rel:
                    continue
                try:
                    file = folder.approve(rel)
                except RefusedFile:
                    continue  # the file rule has said why
                stream = media.stream_of(file)
                if stream is not None and stream.bit_rate > LINKS["3G"]:
                    found.append((page.id, t(
                        "'{file}' plays at {rate} Mbit/s for {time}: over 3G's {link} Mbit/s, it stops to load as it "
                        "plays; encode it at 1 Mbit/s or less", file=rel, rate=f"{stream.bit_rate / 1e6:.1f}",
                        time=_duration(stream.seconds), link=f"{LINKS['3G'] / 1e6:g}")))
                if media.index_after_data(file):
                    found.append((page.id, t(
                        "'{file}' has its index after its data: where the LMS sends whole files, a phone downloads "
                        "all of it before it plays; move the index first (ffmpeg -i IN -c copy -movflags +faststart "
                        "OUT)", file=rel)))
    return found


def _duration(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def validate_plan(package: PackagePlan) -> list[str]:
    """Schema errors of the package's descriptor against the official schemas (empty when valid)."""
    descriptor = package.files[package.descriptor]
    assert isinstance(descriptor, bytes)  # a descriptor is always written, never copied
    return xsd.validate(descriptor, SCHEMA_SET[package.standard])


def _check_out(out: Path, module: Module) -> None:
    if module.root is not None:
        _check_out_of(out, Path(module.root))


def _check_out_of(out: Path, folder: Path) -> None:
    resolved = Path(os.path.realpath(out))  # (a loop of links as --out: not a RuntimeError)
    root = Path(os.path.realpath(folder))
    if resolved == root or root in resolved.parents:
        raise BuildError(t("the output folder '{out}' is inside the module folder '{root}': choose another with "
                           "--out (modpack never writes into a module's source)", out=out, root=folder))


def _check_out_of_course(out: Path, source: str | os.PathLike[str]) -> None:
    """The output folder against every module a course lists, before any is read: a module staged
    first would make the folder (inside another module's source) before that one is refused."""
    file, entries = course_modules(source)
    for entry in entries:
        if isinstance(entry, str) and entry and "\0" not in entry:
            listed = file.parent / entry
            try:
                if listed.is_dir():
                    _check_out_of(out, listed)
                elif listed.is_file() and listed.suffix.lower() in (".yaml", ".yml", ".json"):
                    _check_out_of(out, listed.parent)  # a module's definition file: its folder
            except OSError:
                continue  # (a name the system refuses: the loader says what is wrong with it)


def _staged(module: Module, format: str, out_dir: Path, validate: bool, just_read: bool = False,
            content: PackageContent | None = None, ahead: DeflateAhead | None = None) -> tuple[Path, Path]:
    """(temporary zip, final path) of one module's package, written but not yet published.

    A module is checked again unless this very call chain has just read and checked it from
    disk (``just_read``): one a caller holds may have been changed since (no flag on the model).
    """
    if not just_read:
        checked, found = revalidate(module)
        if checked is None:
            raise InvalidDefinition(found)
        module = checked
    _check_out(out_dir, module)
    try:
        package = plan(module, format, content)
    except OSError as exc:
        raise BuildError(t("cannot read {file}: {reason}", file=exc.filename, reason=os_reason(exc))) from None
    if validate:
        problems = validate_plan(package)
        if problems:
            raise PackageInvalid(t("{descriptor} of {module} fails the {format} schemas:\n{problems}",
                                   descriptor=package.descriptor, module=module.id, format=format,
                                   problems="\n".join(problems)))
    target = out_dir / package.file_name
    try:
        return stage_zip(target, package.files, first=package.descriptor, ahead=ahead), target
    except RefusedFile as exc:  # a file changed between its check and its packing
        raise UnsafeFile(t("{module}: not packed: {reason}", module=module.id, reason=exc)) from None
    except OSError as exc:
        raise BuildError(t("cannot write {file}: {reason}", file=package.file_name, reason=os_reason(exc))
                         + (f" ({exc.filename})" if exc.filename else "")) from None


def build_package(module: Module, format: str = DEFAULT_FORMAT, out: str | os.PathLike[str] = "dist",
                  validate: bool = False) -> Path:
    """Build one module into one zip in ``out``; returns the path written."""
    temporary, target = _staged(module, format, Path(out), validate)
    os.replace(temporary, target)
    return target


Staged = tuple[Module, "Path | BaseException", "Path | None"]


def build(source: str | os.PathLike[str] | Module | Course, format: str | Sequence[str] | None = None,
          out: str | os.PathLike[str] = "dist", validate: bool = False,
          progress: Callable[[Module, Path], None] | None = None,
          on_warning: Callable[[Diagnostic], None] | None = None, reuse: bool = False,
          on_unchanged: Callable[[list[Path]], None] | None = None, lms: str | None = None,
          max_size_mb: float | None = None) -> list[Path]:
    """Build a module, or every module of a course, into zips in ``out``; returns the paths written.

    ``source`` is a module folder, a module or course file, or a loaded model; ``format`` one
    format, several (``["scorm12", "cmi5"]`` or ``"scorm12,cmi5"``) or ``"all"``; by default the
    format of ``lms``'s preset, else SCORM 1.2 (DEFAULT_FORMAT), as on the command line. Raises
    :class:`InvalidDefinition` for a definition with errors and :class:`BuildError` when a
    package cannot be built. Nothing is published unless every package is valid and built: a
    failed build never leaves a partial zip, nor half a course. ``on_warning`` is called with
    each warning of a definition read from disk (a hard link, an unused objective...).

    With ``reuse`` (what the command line does), a build of a folder or file whose inputs are
    byte for byte those of the last build into ``out`` (see cache.py) writes nothing and
    returns that build's zips (and tells ``on_unchanged``). Of a course that changed, only the
    modules whose own inputs changed are built: the others' zips stand (still listed, and each
    module still read and checked with the course).

    ``lms`` (moodle, chamilo, ilias, openedx, talentlms, generic) packages each module as that LMS
    handles best (presets.py), in its format unless ``format`` says. ``max_size_mb`` is an LMS's
    upload limit: a module whose package is over it is built as one package per lesson (split.py,
    told to ``on_warning``); a package still over it (a module of one lesson, a lesson alone over
    the limit) is refused with :class:`TooLarge`, naming its heaviest files, and nothing is written.
    """
    if lms is not None and lms not in presets.PRESETS:
        raise BuildError(t("unknown LMS '{value}': choose one of {choices}", value=lms,
                           choices=", ".join(presets.PRESETS)))
    if max_size_mb is not None and not (math.isfinite(max_size_mb) and max_size_mb > 0):
        raise BuildError(t("max_size_mb must be a number of megabytes above 0, not {value}", value=max_size_mb))
    formats = formats_of(format if format is not None else presets.PRESETS[lms].format if lms else DEFAULT_FORMAT)
    out_dir = Path(out)
    if reuse and not isinstance(source, (Module, Course)):
        rebuild = Rebuild(Path(source), formats, validate, out_dir, lms, max_size_mb)
        return build_recorded(rebuild, progress, on_warning, on_unchanged)
    return _build(source, formats, out_dir, validate, progress, on_warning, lms, max_size_mb)


def _build(source: str | os.PathLike[str] | Module | Course, formats: tuple[str, ...], out_dir: Path, validate: bool,
           progress: Callable[[Module, Path], None] | None, on_warning: Callable[[Diagnostic], None] | None,
           lms: str | None, max_size_mb: float | None, earlier: dict[str, Unchanged] | None = None,
           kept: list[Path] | None = None,
           reads: dict[str, tuple[Module, list[Diagnostic]]] | None = None) -> list[Path]:
    """:func:`build`, its arguments checked. ``earlier``: for a course, the zips of its modules
    whose inputs are those of their last build here (by the real path of the module's folder):
    those modules are read and checked with the course (unless read already: Unchanged.read),
    and their zips kept as they are (and added to ``kept``). ``reads``: filled with each module
    of a course as read, by its folder's real path."""
    staged: list[Staged] = []
    try:
        if isinstance(source, (Module, Course)):
            modules = source.loaded_modules if isinstance(source, Course) else [source]
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # zlib and I/O release the GIL
                futures = [pool.submit(_try_stage, module, formats, out_dir, validate, lms=lms) for module in modules]
                staged = [(module, *one) for module, future in zip(modules, futures) for one in future.result()]
        elif is_course(source):
            _check_out_of_course(out_dir, source)
            reader = _ParallelReader(formats, out_dir, validate, lms, earlier, reads)
            staged = reader.staged  # (filled as modules are read: what an interruption leaves is removed)
            course, found = read_course(source, reader)
            if course is None:
                raise InvalidDefinition(found)
            _warn(found, on_warning)
        else:
            loaded, found = read_module(source)
            if loaded is None:
                raise InvalidDefinition(found)
            _warn(found, on_warning)
            staged = [(loaded, *one) for one in _try_stage(loaded, formats, out_dir, validate, just_read=True, lms=lms)]
        failure = next((result for _, result, _ in staged if isinstance(result, BaseException)), None)
        if failure is None and max_size_mb is not None:
            staged, failure = _within(staged, max_size_mb, out_dir, validate, lms, on_warning)
        if failure is not None:
            raise failure
        signals.check()  # a `kill` meanwhile (signals.py): nothing is published
        signals.hold()  # published whole: a second Ctrl+C now waits for the end (signals.py)
        written = []
        for module, temporary, target in staged:
            assert isinstance(temporary, Path) and target is not None
            if temporary != target:  # (else an earlier build's zip, kept)
                os.replace(temporary, target)
            elif kept is not None:
                kept.append(target)
            written.append(target)
            if progress:
                progress(module, target)
    except BaseException:  # a failure, Ctrl+C or a `kill`: no temporary zip is left in the output folder
        with signals.deferred():  # (Ctrl+C pressed again and again: noted until they are removed)
            _discard(staged)
        raise
    return written


# What a watcher's builds read: by the real path of each module folder, the state of its files
# (cache.stats_of) when they were listed before the module was read, the module and its diagnostics
ModuleMemory = dict[str, tuple[list[tuple[Any, ...]], Module, list[Diagnostic]]]


def build_recorded(rebuild: Rebuild, progress: Callable[[Module, Path], None] | None = None,
                   on_warning: Callable[[Diagnostic], None] | None = None,
                   on_unchanged: Callable[[list[Path]], None] | None = None,
                   on_kept: Callable[[list[Path]], None] | None = None,
                   memory: ModuleMemory | None = None) -> list[Path]:
    """:func:`build` with ``reuse``, for a build whose record (cache.py) the caller holds already:
    the command line asks the record first, and imports this module only when it must build.
    ``on_kept``: told the zips of a course's unchanged modules, kept as they were. ``memory``: a
    watcher's (empty at first), so that a course's unchanged module is not read again while its
    files stay as they were when it was read (a course of 2,000 modules: 15 s a save, reading)."""
    earlier = rebuild.earlier()
    if earlier is not None:
        if on_unchanged:
            on_unchanged(earlier)
        return earlier
    # a course: each module whose inputs are unchanged keeps its zips (cache.py)
    modules = rebuild.of_modules()
    unchanged = _unchanged(modules)
    for folder, kept in unchanged.items():
        remembered = (memory or {}).get(folder)
        if remembered is not None and remembered[0] == kept.before:
            unchanged[folder] = kept._replace(read=remembered[1:])
    by_folder: dict[str, list[Path]] = {}
    kept_zips: list[Path] = []
    reads: dict[str, tuple[Module, list[Diagnostic]]] = {}

    def published(module: Module, path: Path) -> None:
        by_folder.setdefault(os.path.realpath(module.root) if module.root is not None else "", []).append(path)
        if progress:
            progress(module, path)

    written = _build(rebuild.source, rebuild.formats, rebuild.out_dir, rebuild.validate,
                     published if modules else progress, on_warning, rebuild.lms, rebuild.max_size_mb, unchanged,
                     kept_zips, reads if memory is not None else None)
    if on_kept and kept_zips:
        on_kept(kept_zips)
    if memory is not None:
        _remember(memory, modules, reads)
    try:
        after = rebuild.relisted()  # each module's files looked at again: part of the course's
        recorded = [module.keep(by_folder[folder], save=False, files=False, after=rebuild.part(after, module))
                    for folder, module in modules.items() if folder in by_folder]
        if rebuild.keep(written, save=False, after=after) or any(recorded):
            rebuild.record.save()
    except (OSError, ValueError) as exc:  # the zips stand: without a record, the next build only builds again
        _warn([Diagnostic(_display(rebuild.record.path), None, None, "", t(
            "the rebuild record cannot be written ({reason}): the next build builds again",
            reason=os_reason(exc)), Severity.WARNING, "record-not-written")], on_warning)
    return written


def remember(rebuild: Rebuild, memory: ModuleMemory) -> None:
    """Read into a watcher's ``memory`` the modules of a course whose last build stands (found
    unchanged): the watcher's first save then reads only what was saved, as every later one."""
    modules = rebuild.of_modules()
    unchanged = _unchanged(modules)
    if not unchanged:
        return
    reads: dict[str, tuple[Module, list[Diagnostic]]] = {}
    reader = _ParallelReader(rebuild.formats, rebuild.out_dir, rebuild.validate, rebuild.lms, unchanged, reads)
    try:  # (each folder as the course names it: its diagnostics are said so)
        reader([modules[folder].source for folder in unchanged])
    finally:  # (a module whose zips no longer stand was staged: not published)
        _discard(reader.staged)
    _remember(memory, modules, reads)


def _unchanged(modules: dict[str, Rebuild]) -> dict[str, Unchanged]:
    """Of a course's modules (Rebuild.of_modules), those whose inputs are those of their last build."""
    return {folder: kept for folder, module in modules.items() if (kept := module.unchanged()) is not None}


def _remember(memory: ModuleMemory, modules: dict[str, Rebuild], reads: dict[str, tuple[Module, list[Diagnostic]]]
              ) -> None:
    """Keep in a watcher's ``memory`` each module just read (``reads``: only valid ones are), with
    the state of its files listed before it was read; forget modules no longer in the course."""
    for folder, (module, found) in reads.items():
        if folder in modules:
            module._page_texts = None  # (built: a module kept in memory is only ever kept, never packed)
            memory[folder] = (modules[folder].before, module, found)
    for folder in [folder for folder in memory if folder not in modules]:
        del memory[folder]


def _warn(found: list[Diagnostic], on_warning: Callable[[Diagnostic], None] | None) -> None:
    for diagnostic in warnings(found) if on_warning else ():
        on_warning(diagnostic)  # type: ignore[misc]


AHEAD_FROM_PAGES = 100  # pages from which the deflating child is started before the first is rendered


def _try_stage(module: Module, formats: tuple[str, ...], out_dir: Path, validate: bool,
               just_read: bool = False, lms: str | None = None) -> list[tuple[Path | BaseException, Path | None]]:
    """Each format's (temporary zip, final path), or the exception that stopped it."""
    if not just_read:
        checked, found = revalidate(module)
        if checked is None:
            return [(InvalidDefinition(found), None)]
        module = checked
    if lms is not None:
        module = presets.apply(module, lms)
    with DeflateAhead() as ahead:  # pages deflated on another core as they are rendered
        if sum(len(lesson.pages) for lesson in module.lessons) >= AHEAD_FROM_PAGES:
            ahead.start()  # ready by the first page
        try:
            content = prepare_content(module, ahead.submit)  # once for every format: pages and assets do not depend on it
        except BuildError as exc:
            return [(exc, None)]
        except OSError as exc:
            return [(BuildError(t("cannot read {file}: {reason}", file=exc.filename, reason=os_reason(exc))), None)]
        results: list[tuple[Path | BaseException, Path | None]] = []
        try:
            for format in formats:
                signals.check()
                try:
                    results.append(_staged(module, format, out_dir, validate, just_read=True, content=content,
                                           ahead=ahead))
                except (BuildError, InvalidDefinition) as exc:
                    results.append((exc, None))
        except BaseException:  # interrupted between formats: the zips staged so far are not kept either
            _remove(result for result, _ in results)
            raise
    return results


Stages = list[tuple["Path | BaseException", "Path | None"]]


def _load_and_stage(folders: list[Path], formats: tuple[str, ...], out_dir: Path, validate: bool,
                    lms: str | None = None, earlier: dict[str, Unchanged] | None = None, parent: int | None = None,
                    ) -> list[tuple[Module | None, list[Diagnostic], Stages]]:
    """Read modules and write each valid one's zips (unpublished): the work of one process.
    A module in ``earlier`` (by its folder's real path) is read, and its zips there stand for it
    (each its own target: already published). ``parent``: in a worker, the build's process, with
    which it stops, removing what it staged (before each module: a build killed outright)."""
    results: list[tuple[Module | None, list[Diagnostic], Stages]] = []
    try:
        for folder in folders:
            signals.check()
            if parent is not None and os.getppid() != parent:
                raise signals.Signalled(signal.SIGTERM)
            module, found = read_module(folder)
            if module is None:
                results.append((None, found, []))
                continue
            kept = (earlier or {}).get(os.path.realpath(folder))
            if kept is not None and _still_built(kept, module, formats):
                results.append((module, found, [(path, path) for path in kept.zips]))
                continue
            results.append((module, found, _try_stage(module, formats, out_dir, validate, just_read=True, lms=lms)))
    except BaseException:  # interrupted: the modules staged before are not kept either
        _remove(_temporaries(stages for _, _, stages in results))
        raise
    return results


def _still_built(kept: Unchanged, module: Module, formats: tuple[str, ...]) -> bool:
    """Whether the zips of an unchanged module are the packages of ``module`` as just read: its
    folder not saved since its inputs were hashed, and the zips named as its packages are (a
    record written by hand may name another module's)."""
    return _named_as_built(kept, module, formats) and kept.still()


def _named_as_built(kept: Unchanged, module: Module, formats: tuple[str, ...]) -> bool:
    """Whether the zips of an unchanged module are named as ``module``'s packages are."""
    names = [zip_name(module.id, module.version, TARGETS[format].STANDARD) for format in formats]
    return [path.name for path in kept.zips] == names


def _load_and_stage_elsewhere(answer: Any, unused: Any, parent: int, folders: list[Path], formats: tuple[str, ...],
                              out_dir: Path, validate: bool, lms: str | None = None,
                              earlier: dict[str, Unchanged] | None = None) -> None:
    """:func:`_load_and_stage` in a worker process of its own, which ends with it: its results
    sent on ``answer``, with the hashes of the files it read (the parent's rebuild record would
    otherwise read them all again; the pages' text stays behind), or the exception that ended it
    (which removed what it had staged). A SIGTERM or SIGHUP ends its build at the next module or
    format (signals.py). A worker whose parent is gone stops before its next module, and has no
    one to answer: it removes the zips it staged, and ends (one that waited for more work, as a
    pool's do, outlived the build, and held the standard streams of whoever ran it open)."""
    unused.close()  # the parent's end: held here too, a gone parent's pipe would never break
    outcome: tuple[str, Any]
    results: list[tuple[Module | None, list[Diagnostic], Stages]] = []
    try:
        results = _load_and_stage(folders, formats, out_dir, validate, lms, earlier, parent)
    except BaseException as exc:  # noqa: BLE001 - told to the parent, which raises it
        outcome = ("raised", exc)
    else:
        for module, _, _ in results:
            if module is not None:
                module._page_texts = None
        outcome = ("done", (results, dict(filehash.known)))
    try:
        answer.send(outcome)
    except BaseException:  # noqa: BLE001 - the parent is gone: nobody else will remove them
        _remove(_temporaries(stages for _, _, stages in results))


def _answer(worker: Any, receiver: Any, safe: bool = True) -> list[tuple[Module | None, list[Diagnostic], Stages]]:
    """A worker's results (_load_and_stage_elsewhere); its exception raised here. ``safe``: while
    it works, a signal noted here is raised (signals.check), so that the caller tells the workers
    to stop, and does not wait for their whole chunk (a `kill` reaches this process alone)."""
    while safe and not receiver.poll(0.1):
        signals.check()
    try:
        kind, value = receiver.recv()
    except EOFError:  # ended without an answer: killed (what it staged cannot be known)
        receiver.close()
        worker.join(5)
        raise BuildError(t("a worker process ended before it finished (exit status {code})",
                           code=worker.exitcode)) from None
    receiver.close()
    if kind == "raised":
        raise value
    results: list[tuple[Module | None, list[Diagnostic], Stages]] = value[0]
    filehash.known.update(value[1])
    return results


class _ParallelReader:
    """Reads a course's modules in one process per core, each also writing its modules' zips.

    Reading and checking modules is Python work that threads cannot share; writing is I/O.
    Forked processes do both at once; nothing is published until the whole course is valid.
    """

    def __init__(self, formats: tuple[str, ...], out_dir: Path, validate: bool, lms: str | None = None,
                 earlier: dict[str, Unchanged] | None = None,
                 reads: dict[str, tuple[Module, list[Diagnostic]]] | None = None):
        self.format, self.out_dir, self.validate, self.lms = formats, out_dir, validate, lms
        self.earlier = earlier or {}  # the unchanged modules' zips (_load_and_stage)
        self.reads = reads  # filled with each module read (by its folder's real path), when given
        self.staged: list[Staged] = []

    def __call__(self, folders: list[Path]) -> list[tuple[Module | None, list[Diagnostic]]]:
        # unchanged modules read by an earlier build of this process (a watcher's): not read again,
        # and not handed to a worker process (each would come back whole, pickled)
        results: dict[int, tuple[Module | None, list[Diagnostic], Stages]] = {
            position: recalled for position, folder in enumerate(folders)
            if (recalled := self._recalled(folder)) is not None}
        rest = [position for position in range(len(folders)) if position not in results]
        read = self._read([folders[position] for position in rest])  # (interrupted, it removes what it staged)
        try:
            results.update(zip(rest, read))
            loaded = []
            for position, folder in enumerate(folders):
                module, found, stages = results[position]
                if module is not None:
                    module._root = folder.resolve() if module._root is None else module._root
                    self.staged += [(module, result, target) for result, target in stages]
                    if self.reads is not None:
                        self.reads[os.path.realpath(folder)] = (module, found)
                loaded.append((module, found))
        except BaseException:  # interrupted: what was read is not kept (build() removes self.staged's)
            with signals.deferred():
                _remove(_temporaries(stages for _, _, stages in read))
            raise
        return loaded

    def _recalled(self, folder: Path) -> tuple[Module, list[Diagnostic], Stages] | None:
        """The module of an unchanged folder as an earlier build read it, its zips kept; None when
        it must be read. Module and zips are of the files as they were when this build listed
        them (the module was read from them as the zips were built): a save since then is seen
        by the build's record (Rebuild.keep), as for any module, and not by reading it again."""
        kept = self.earlier.get(os.path.realpath(folder))
        if kept is None or kept.read is None or not _named_as_built(kept, kept.read[0], self.format):
            return None
        module, found = kept.read
        return module, list(found), [(path, path) for path in kept.zips]

    def _read(self, folders: list[Path]) -> list[tuple[Module | None, list[Diagnostic], Stages]]:
        """Each folder's module, read, checked and staged (in order), on every core."""
        import multiprocessing  # here: a module's build needs neither it nor its processes

        parts = max(1, min(len(folders), os.cpu_count() or 1))
        chunks = [folders[n::parts] for n in range(parts)]
        results: list[list[tuple[Module | None, list[Diagnostic], Stages]]] = []
        pending: list[tuple[Any, Any]] = []  # (worker, its answer's end) not yet answered
        try:
            if parts == 1 or "fork" not in multiprocessing.get_all_start_methods():
                results = [_load_and_stage(folders, self.format, self.out_dir, self.validate, self.lms,
                                           self.earlier)]
                order = [folders]
            else:
                # a process per chunk, which ends with it (not a pool, whose workers wait for more)
                context = multiprocessing.get_context("fork")
                for chunk in chunks[1:]:
                    receiver, sender = context.Pipe(duplex=False)
                    worker = context.Process(target=_load_and_stage_elsewhere, daemon=True, args=(
                        sender, receiver, os.getpid(), chunk, self.format, self.out_dir, self.validate, self.lms,
                        self.earlier))
                    pending.append((worker, receiver))
                    try:
                        worker.start()
                    finally:  # (its end is the worker's alone: its answer, or the end of the pipe when it dies)
                        sender.close()
                results = [_load_and_stage(chunks[0], self.format, self.out_dir, self.validate, self.lms,
                                           self.earlier)]
                workers = [worker for worker, _ in pending]
                while pending:
                    results.append(_answer(*pending[0]))
                    pending.pop(0)
                for worker in workers:
                    worker.join()
                order = chunks
            # by position, not by folder: a folder listed twice is staged twice, and each is kept track of
            positions = [list(range(len(folders)))] if len(order) == 1 else \
                [list(range(len(folders)))[n::parts] for n in range(parts)]
            at_position = {position: result for chunk, chunk_results in zip(positions, results)
                           for position, result in zip(chunk, chunk_results)}
            return [at_position[position] for position in range(len(folders))]
        except BaseException:  # interrupted, or a worker failed: nothing staged here is kept
            # (Ctrl+C pressed again and again would cut the clean-up short: noted until it is done)
            with signals.deferred():
                for worker, _ in pending:  # told to stop (at its next module or format: a `kill` reached
                    try:                   # this process alone, which would otherwise wait for its chunk)
                        if worker.pid is not None and worker.exitcode is None:
                            os.kill(worker.pid, signal.SIGTERM)
                    except OSError:
                        pass
                for worker, receiver in pending:  # each worker's, once it has ended
                    try:
                        if worker.pid is not None:  # (else never started: nothing to wait for)
                            results.append(_answer(worker, receiver, safe=False))
                    except BaseException:  # noqa: BLE001 - stopped too (it removed its own), or gone
                        pass
                    if worker.pid is not None:
                        worker.join(10)  # (not left a zombie in a long-lived process: the server)
                _remove(_temporaries(stages for chunk_results in results for _, _, stages in chunk_results))
            raise


def _within(staged: list[Staged], max_size_mb: float, out_dir: Path, validate: bool, lms: str | None,
            on_warning: Callable[[Diagnostic], None] | None) -> tuple[list[Staged], BaseException | None]:
    """The packages under ``max_size_mb``: each module over it split into one package per lesson.

    Returns the staged packages and, when one is still too big or a part failed, why nothing may
    be published (the caller then discards every staged package)."""
    limit = max_size_mb * 1_000_000
    kept: list[Staged] = []
    problems: list[str] = []
    splits: list[Diagnostic] = []  # told only once every package is within the limit
    origins: dict[int, str] = {}  # a part (by identity) -> the lesson and module it was split from
    for index, (module, result, target) in enumerate(staged):
        assert isinstance(result, Path) and target is not None
        if result.stat().st_size <= limit:
            kept.append((module, result, target))
            continue
        try:
            parts = split.by_lesson(module)
        except ValueError as exc:  # a part the model refuses: not expected, but said, never a traceback
            return kept + staged[index:], BuildError(t("{module}: cannot be split per lesson: {reason}",
                                                       module=module.id, reason=exc))
        if len(parts) == 1:
            problems.append(_too_big(result, target.name, max_size_mb, t("it has one lesson, so it cannot be split")))
            kept.append((module, result, target))  # discarded with the rest
            continue
        result.unlink()
        format = target.name.removesuffix(".zip").rsplit("-", 1)[1]
        over = []
        for part, lesson in zip(parts, module.lessons):
            origins[id(part)] = t("lesson '{lesson}' of {module}, split per lesson", lesson=lesson.id, module=module.id)
            [(one, part_target)] = _try_stage(part, (format,), out_dir, validate, just_read=True, lms=lms)
            kept.append((part, one, part_target))
            if isinstance(one, BaseException):
                return kept + staged[index + 1:], one
            assert part_target is not None
            if one.stat().st_size > limit:
                over.append(_too_big(one, part_target.name, max_size_mb,
                                     t("one lesson of {module}, which cannot be split further", module=module.id)))
        problems += over
        if not over:
            file = find_definition(module.root) if module.root is not None else None
            splits.append(Diagnostic(_display(file) if file else f"<module {module.id}>", None, None, "", t(
                "{package} would be over --max-size {limit} MB: built as {count} packages, one per lesson "
                "({names}); import each into the LMS", package=target.name, limit=f"{max_size_mb:g}",
                count=len(parts), names=", ".join(part.id for part in parts)), Severity.WARNING, "split"))
    if problems:
        return kept, TooLarge("\n".join(problems))
    # a part is a module of its own, '<module>-<lesson>': another module of the build, or another
    # part, may have that id (the course validated before the parts were made); the later zip
    # would replace the earlier, and the LMS and the LRS would take the two for one activity
    # (one module or part in several formats is one activity: told apart by where it comes from)
    first: dict[str, str] = {}
    for module, _, _ in kept:
        what = origins.get(id(module)) or t("the module {id}", id=module.id)
        other = first.setdefault(module.id, what)
        if other != what:
            return kept, BuildError(t("two packages of this build would be '{id}' ({first}; {second}): one zip would "
                                      "replace the other, and an LMS or an LRS would take them for one activity. "
                                      "Rename a lesson or a module", id=module.id, first=other, second=what))
    _warn(splits, on_warning)
    return kept, None


def _too_big(zip_path: Path, name: str, max_size_mb: float, why: str) -> str:
    """What is over the limit: the package, its size, its heaviest files and why it stays whole."""
    import zipfile

    with zipfile.ZipFile(zip_path) as archive:
        heaviest = sorted(archive.infolist(), key=lambda info: -info.compress_size)[:3]
    return t("{package} is {size}, over --max-size {limit} MB ({why}); heaviest: {files}",
             package=name, size=kb(zip_path.stat().st_size), limit=f"{max_size_mb:g}", why=why,
             files=", ".join(f"{info.filename} ({kb(info.compress_size)})" for info in heaviest))


def _discard(staged: list[Staged]) -> None:
    """Remove the temporary zips of a build that will not be published."""
    _remove(_temporaries([(result, target)] for _, result, target in staged))


def _temporaries(stages: Iterable[Stages]) -> Iterable[Path | BaseException]:
    """What stages wrote (their zips not yet published, or why they failed): not an earlier build's
    zip kept for an unchanged module, which is its own target."""
    return (result for each in stages for result, target in each if result != target)


def _remove(results: Iterable[Path | BaseException]) -> None:
    """Remove the temporary zips among ``results`` (the others are why a stage failed)."""
    for result in results:
        if isinstance(result, Path):
            result.unlink(missing_ok=True)
