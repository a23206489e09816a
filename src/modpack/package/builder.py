"""Building packages: load -> validate into the model -> plan per target -> write.

    >>> modpack.build("samples/rujukan-terpadu", format="scorm12", out="dist")   # doctest: +SKIP
    [PosixPath('dist/rujukan-terpadu-1.2.0-scorm12.zip')]
"""

from __future__ import annotations

import os
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Callable

from .. import xsd
from .archive import stage_zip
from .content import ContentClash, UnsafeReference, prepare
from ..definition.diagnostics import Diagnostic, InvalidDefinition, errors, warnings
from ..definition.files import RefusedFile
from ..definition.loader import is_course, read_course, read_module, revalidate
from ..model import Course, Module
from .targets import PackagePlan, cmi5, scorm12, scorm2004, xapi

TARGETS: dict[str, ModuleType] = {"scorm12": scorm12, "scorm2004": scorm2004, "cmi5": cmi5, "xapi": xapi}
FORMATS = tuple(TARGETS)
DEFAULT_FORMAT = "scorm12"
# Which official schema set each target's descriptor is checked against.
SCHEMA_SET = {"scorm12": "scorm12", "scorm2004": "scorm2004_4th", "cmi5": "cmi5", "xapi": "tincan"}


class BuildError(Exception):
    """A package could not be built; nothing was written."""


class UnsafeFile(BuildError):
    """The module names a file the file rule refuses (outside the folder, special...): nothing was written."""


class PackageInvalid(BuildError):
    """A built descriptor fails the official schemas (with ``validate=True``); nothing was written."""


def plan(module: Module, format: str = DEFAULT_FORMAT) -> PackagePlan:
    """Every file of the package for ``module`` in ``format``, nothing written yet."""
    if format not in TARGETS:
        raise BuildError(f"unknown format '{format}': choose one of {', '.join(FORMATS)}")
    try:
        content = prepare(module)
    except UnsafeReference as exc:
        raise UnsafeFile(f"{module.id}: not packed: {exc}") from None
    except ContentClash as exc:
        raise BuildError(f"{module.id}: not packed: {exc}") from None
    return TARGETS[format].plan(module, content)


def validate_plan(package: PackagePlan) -> list[str]:
    """Schema errors of the package's descriptor against the official schemas (empty when valid)."""
    return xsd.validate(package.files[package.descriptor], SCHEMA_SET[package.standard])


def _check_out(out: Path, module: Module) -> None:
    if module.root is not None:
        resolved = out.resolve()
        root = module.root.resolve()
        if resolved == root or root in resolved.parents:
            raise BuildError(f"the output folder '{out}' is inside the module folder '{module.root}': "
                             "choose another with --out (modpack never writes into a module's source)")


def _staged(module: Module, format: str, out_dir: Path, validate: bool, just_read: bool = False) -> tuple[Path, Path]:
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
        package = plan(module, format)
    except OSError as exc:
        raise BuildError(f"cannot read {exc.filename}: {exc.strerror}") from None
    if validate:
        problems = validate_plan(package)
        if problems:
            raise PackageInvalid(f"{package.descriptor} of {module.id} fails the {format} schemas:\n" + "\n".join(problems))
    target = out_dir / package.file_name
    try:
        return stage_zip(target, package.files, first=package.descriptor), target
    except RefusedFile as exc:  # a file changed between its check and its packing
        raise UnsafeFile(f"{module.id}: not packed: {exc}") from None
    except OSError as exc:
        raise BuildError(f"cannot write {package.file_name}: {exc.strerror or exc}"
                         + (f" ({exc.filename})" if exc.filename else "")) from None


def build_package(module: Module, format: str = DEFAULT_FORMAT, out: str | os.PathLike[str] = "dist",
                  validate: bool = False) -> Path:
    """Build one module into one zip in ``out``; returns the path written."""
    temporary, target = _staged(module, format, Path(out), validate)
    os.replace(temporary, target)
    return target


def build(source: str | os.PathLike[str] | Module | Course, format: str = DEFAULT_FORMAT,
          out: str | os.PathLike[str] = "dist", validate: bool = False,
          progress: Callable[[Module, Path], None] | None = None,
          on_warning: Callable[[Diagnostic], None] | None = None) -> list[Path]:
    """Build a module, or every module of a course, into zips in ``out``; returns the paths written.

    ``source`` is a module folder, a module or course file, or a loaded model. Raises
    :class:`InvalidDefinition` for a definition with errors and :class:`BuildError` when a
    package cannot be built. Nothing is published unless every module is valid and built: a
    failed build never leaves a partial zip, nor half a course. ``on_warning`` is called with
    each warning of a definition read from disk (a hard link, an unused objective...).
    """
    if format not in TARGETS:
        raise BuildError(f"unknown format '{format}': choose one of {', '.join(FORMATS)}")
    out_dir = Path(out)
    staged: list[tuple[Module, Path | BaseException, Path | None]] = []
    if isinstance(source, (Module, Course)):
        modules = source.loaded_modules if isinstance(source, Course) else [source]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # zlib and I/O release the GIL
            futures = [pool.submit(_try_stage, module, format, out_dir, validate) for module in modules]
            staged = [(module, *future.result()) for module, future in zip(modules, futures)]
    elif is_course(source):
        reader = _ParallelReader(format, out_dir, validate)
        course, found = read_course(source, reader)
        staged = reader.staged
        if course is None:
            _discard(staged)
            raise InvalidDefinition(found)
        _warn(found, on_warning)
    else:
        loaded, found = read_module(source)
        if loaded is None:
            raise InvalidDefinition(found)
        _warn(found, on_warning)
        staged = [(loaded, *_try_stage(loaded, format, out_dir, validate, just_read=True))]
    failure = next((result for _, result, _ in staged if isinstance(result, BaseException)), None)
    if failure is not None:
        _discard(staged)
        raise failure
    written = []
    for module, temporary, target in staged:
        assert isinstance(temporary, Path) and target is not None
        os.replace(temporary, target)
        written.append(target)
        if progress:
            progress(module, target)
    return written


def _warn(found: list[Diagnostic], on_warning: Callable[[Diagnostic], None] | None) -> None:
    for diagnostic in warnings(found) if on_warning else ():
        on_warning(diagnostic)  # type: ignore[misc]


def _try_stage(module: Module, format: str, out_dir: Path, validate: bool,
               just_read: bool = False) -> tuple[Path | BaseException, Path | None]:
    try:
        return _staged(module, format, out_dir, validate, just_read)
    except (BuildError, InvalidDefinition) as exc:
        return exc, None


def _load_and_stage(folders: list[Path], format: str, out_dir: Path,
                    validate: bool) -> list[tuple[Module | None, list, Path | BaseException | None, Path | None]]:
    """Read modules and write each valid one's zip (unpublished): the work of one process."""
    results = []
    for folder in folders:
        module, found = read_module(folder)
        if module is None:
            results.append((None, found, None, None))
            continue
        results.append((module, found, *_try_stage(module, format, out_dir, validate, just_read=True)))
    return results


class _ParallelReader:
    """Reads a course's modules in one process per core, each also writing its modules' zips.

    Reading and checking modules is Python work that threads cannot share; writing is I/O.
    Forked processes do both at once; nothing is published until the whole course is valid.
    """

    def __init__(self, format: str, out_dir: Path, validate: bool):
        self.format, self.out_dir, self.validate = format, out_dir, validate
        self.staged: list[tuple[Module, Path | BaseException, Path | None]] = []

    def __call__(self, folders: list[Path]) -> list[tuple[Module | None, list]]:
        parts = max(1, min(len(folders), os.cpu_count() or 1))
        chunks = [folders[n::parts] for n in range(parts)]
        if parts == 1 or "fork" not in multiprocessing.get_all_start_methods():
            results = [_load_and_stage(folders, self.format, self.out_dir, self.validate)]
            order = [folders]
        else:
            with ProcessPoolExecutor(parts - 1, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = [pool.submit(_load_and_stage, chunk, self.format, self.out_dir, self.validate)
                           for chunk in chunks[1:]]
                mine = _load_and_stage(chunks[0], self.format, self.out_dir, self.validate)
                results = [mine] + [future.result() for future in futures]
            order = chunks
        by_folder = {folder: result for chunk, chunk_results in zip(order, results)
                     for folder, result in zip(chunk, chunk_results)}
        loaded = []
        for folder in folders:
            module, found, result, target = by_folder[folder]
            if module is not None and result is not None:
                module._root = folder.resolve() if module._root is None else module._root
                self.staged.append((module, result, target))
            loaded.append((module, found))
        return loaded


def _discard(staged: list) -> None:
    """Remove the temporary zips of a build that will not be published."""
    for _, result, _ in staged:
        if isinstance(result, Path):
            result.unlink(missing_ok=True)
