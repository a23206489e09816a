"""Building packages: load -> validate into the model -> plan per target -> write.

    >>> modpack.build("samples/rujukan-terpadu", format="scorm12", out="dist")   # doctest: +SKIP
    [PosixPath('dist/rujukan-terpadu-1.2.0-scorm12.zip')]
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Callable

from . import xsd
from .archive import stage_zip
from .content import prepare
from .diagnostics import InvalidDefinition, errors
from .loader import check_model, is_course, load, read_course
from .model import Course, Module
from .targets import PackagePlan, cmi5, scorm12, scorm2004, xapi

TARGETS: dict[str, ModuleType] = {"scorm12": scorm12, "scorm2004": scorm2004, "cmi5": cmi5, "xapi": xapi}
FORMATS = tuple(TARGETS)
DEFAULT_FORMAT = "scorm12"
# Which official schema set each target's descriptor is checked against.
SCHEMA_SET = {"scorm12": "scorm12", "scorm2004": "scorm2004_4th", "cmi5": "cmi5", "xapi": "tincan"}


class BuildError(Exception):
    """A package could not be built; nothing was written."""


class PackageInvalid(BuildError):
    """A built descriptor fails the official schemas (with ``validate=True``); nothing was written."""


def plan(module: Module, format: str = DEFAULT_FORMAT) -> PackagePlan:
    """Every file of the package for ``module`` in ``format``, nothing written yet."""
    if format not in TARGETS:
        raise BuildError(f"unknown format '{format}': choose one of {', '.join(FORMATS)}")
    return TARGETS[format].plan(module, prepare(module))


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


def _staged(module: Module, format: str, out_dir: Path, validate: bool) -> tuple[Path, Path]:
    """(temporary zip, final path) of one module's package, written but not yet published."""
    if not module._checked:  # a module from load() was checked already
        found = errors(check_model(module))
        if found:
            raise InvalidDefinition(found)
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
          progress: Callable[[Module, Path], None] | None = None) -> list[Path]:
    """Build a module, or every module of a course, into zips in ``out``; returns the paths written.

    ``source`` is a module folder, a module or course file, or a loaded model. Raises
    :class:`InvalidDefinition` for a definition with errors and :class:`BuildError` when a
    package cannot be built. Nothing is published unless every module is valid and built: a
    failed build never leaves a partial zip, nor half a course.
    """
    if format not in TARGETS:
        raise BuildError(f"unknown format '{format}': choose one of {', '.join(FORMATS)}")
    out_dir = Path(out)
    # A thread per core: writing zips is I/O and zlib, which release the GIL, so a course's
    # packages are written while the next module is still being read and checked.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        jobs: list[tuple[Module, Future]] = []

        def start(module: Module) -> None:
            jobs.append((module, pool.submit(_staged, module, format, out_dir, validate)))

        if isinstance(source, (Module, Course)):
            for module in (source.loaded_modules if isinstance(source, Course) else [source]):
                start(module)
        elif is_course(source):
            course, found = read_course(source, on_module=start)
            if course is None:
                _discard(jobs)
                raise InvalidDefinition(found)
        else:
            start(load(source))  # type: ignore[arg-type]
        try:
            staged = [(module, future.result()) for module, future in jobs]
        except BaseException:
            _discard(jobs)
            raise
    written = []
    for module, (temporary, target) in staged:
        os.replace(temporary, target)
        written.append(target)
        if progress:
            progress(module, target)
    return written


def _discard(jobs: list) -> None:
    """Remove the temporary zips of a build that will not be published."""
    for _, future in jobs:
        try:
            temporary, _ = future.result()
        except BaseException:  # noqa: BLE001 - this one failed; the others still need removing
            continue
        temporary.unlink(missing_ok=True)
