"""Load a module or course definition from disk into the model, collecting every problem.

The pipeline: read the file with positions (source) -> validate into the model, turning
each pydantic error into a located diagnostic -> run the rules a schema cannot express
(checks) -> attach the modules of a course.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from . import checks
from .diagnostics import Diagnostic, InvalidDefinition, Severity, errors, format_field, sort_key
from ..model import Course, Module
from ..model.module import DEFAULT_IRI_BASE
from .source import Source, read_source

DEFINITION_NAMES = ("module.yaml", "module.yml", "module.json")
COURSE_NAMES = ("course.yaml", "course.yml", "course.json")


def _find_definition(path: Path) -> Path | None:
    if path.is_dir():
        for name in DEFINITION_NAMES + COURSE_NAMES:
            # exists, not is_file: a definition that is a FIFO or a device is refused by name when read
            if (path / name).exists() and not (path / name).is_dir():
                return path / name
        return None
    return path


def _display(path: Path) -> str:
    """Paths in messages as the user would type them: relative to the working folder."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith(".." + os.sep + "..") else str(path)


_BOUNDS = {
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
}


def _schema_diagnostics(src: Source, exc: ValidationError) -> list[Diagnostic]:
    found = []
    for err in exc.errors(include_url=False):
        path: list[Any] = []
        node: Any = src.data
        at_key = False
        for part in err["loc"]:
            if part == "[key]":
                at_key = True
                break
            if isinstance(node, dict) and part in node:
                node = node[part]
                path.append(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                path.append(part)
            # anything else is a union tag or a validator's name: not a place in the file
        kind = err["type"]
        if kind == "missing":
            name = err["loc"][-1]
            line, col = src.position(tuple(path))
            found.append(Diagnostic(src.file, line, col, format_field([*path, name]),
                                    f"required field '{name}' is missing", code="schema"))
            continue
        if kind == "extra_forbidden":
            line, col = src.position(tuple(path), key=True)
            found.append(Diagnostic(src.file, line, col, format_field(path),
                                    f"unknown field '{path[-1] if path else ''}'", code="unknown-field"))
            continue
        if kind == "value_error":
            message = str(err["ctx"]["error"])
        elif kind == "too_short" and err.get("ctx", {}).get("min_length") == 1:
            message = "must not be empty"
        elif kind in _BOUNDS:
            message = _BOUNDS[kind].format(**{k: f"{v:g}" if isinstance(v, float) else v for k, v in err["ctx"].items()})
        else:
            message = err["msg"]
        line, col = src.position(tuple(path), key=at_key)
        found.append(Diagnostic(src.file, line, col, format_field(path), message, code="schema"))
    return found


def _validate(model: type[BaseModel], src: Source) -> tuple[Any, list[Diagnostic]]:
    if not isinstance(src.data, dict):
        return None, [src.diagnostic((), "the file must hold a mapping of fields (e.g. 'id: ...')", code="schema")]
    try:
        return model.model_validate(src.data), []
    except ValidationError as exc:
        return None, _schema_diagnostics(src, exc)


def _module_warnings(src: Source, module: Module) -> list[Diagnostic]:
    found = []
    if module.iri_base is None:
        found.append(src.diagnostic(("id",), f"no iri_base: activity ids will use the placeholder {DEFAULT_IRI_BASE}",
                                    severity=Severity.WARNING, code="no-iri-base"))
    session_jp = sum(s.jp for s in module.facilitated_sessions)
    if module.facilitated_sessions and abs(session_jp - module.workload.facilitated_jp) > 1e-9:
        found.append(src.diagnostic(("workload", "facilitated_jp"),
                                    f"facilitated_jp is {module.workload.facilitated_jp:g} but the facilitated "
                                    f"sessions add up to {session_jp:g} JP",
                                    severity=Severity.WARNING, code="workload-mismatch"))
    return found


def read_module(path: str | os.PathLike[str]) -> tuple[Module | None, list[Diagnostic]]:
    """Load one module (its folder or its definition file). Never raises for bad input."""
    path = Path(path)
    file = _find_definition(path)
    if file is None:
        return None, [Diagnostic(_display(path), None, None, "",
                                 f"no module definition here: expected one of {', '.join(DEFINITION_NAMES)}",
                                 code="not-found")]
    if not file.exists():
        return None, [Diagnostic(_display(file), None, None, "", "no such file or folder", code="not-found")]
    src, found = read_source(file, _display(file))
    if src is None:
        return None, found
    module, schema_problems = _validate(Module, src)
    found += schema_problems
    found += checks.cross_references(src)
    root = file.parent
    found += checks.files(src, root, _display(root))
    if module is not None:
        module._root = root.resolve()
        found += _module_warnings(src, module)
    found.sort(key=sort_key)
    return (module if not errors(found) else None), found


ModuleReader = Callable[[list[Path]], list[tuple["Module | None", list[Diagnostic]]]]


def read_modules(folders: list[Path]) -> list[tuple[Module | None, list[Diagnostic]]]:
    return [read_module(folder) for folder in folders]


def read_course(path: str | os.PathLike[str], reader: ModuleReader = read_modules) -> tuple[Course | None, list[Diagnostic]]:
    """Load a course file and every module it lists. Never raises for bad input.

    ``reader`` loads the module folders (in order); a builder may pass one that reads them in
    parallel and starts on each module's package as soon as it is valid.
    """
    file = _find_definition(Path(path)) or Path(path)
    src, found = read_source(file, _display(file))
    if src is None:
        return None, found
    course, found_schema = _validate(Course, src)
    found += found_schema
    modules, of_modules = [], []
    paths = src.data.get("modules") if isinstance(src.data, dict) else None
    folders: list[tuple[int, Path]] = []
    for i, entry in enumerate(paths if isinstance(paths, list) else []):
        if not isinstance(entry, str):
            continue
        folder = file.parent / entry
        if not folder.is_dir() or _find_definition(folder) is None:
            found.append(src.diagnostic(("modules", i), f"no module definition in '{entry}'", code="missing-file"))
            continue
        folders.append((i, folder))
    for (i, _), (module, module_found) in zip(folders, reader([folder for _, folder in folders])):
        of_modules += module_found
        if module is not None:
            modules.append((i, module))
    first: dict[str, int] = {}
    for i, module in modules:
        if module.id in first:
            found.append(src.diagnostic(("modules", i), f"module id '{module.id}' is also the id of modules[{first[module.id]}]",
                                        code="duplicate-id"))
        first.setdefault(module.id, i)
    if course is not None:
        course._modules = [module for _, module in modules]
    # The course file's own problems first, then each module's, in study order.
    found = sorted(found, key=sort_key) + of_modules
    return (course if not errors(found) else None), found


def is_course(path: str | os.PathLike[str]) -> bool:
    file = _find_definition(Path(path))
    if file is None:
        return False
    if file.name in COURSE_NAMES:
        return True
    if file.name in DEFINITION_NAMES:
        return False
    src, _ = read_source(file)
    return src is not None and isinstance(src.data, dict) and "modules" in src.data and "lessons" not in src.data


def validate(path: str | os.PathLike[str]) -> list[Diagnostic]:
    """Every problem in a module or course definition, errors and warnings, in file order."""
    return (read_course(path) if is_course(path) else read_module(path))[1]


def load(path: str | os.PathLike[str]) -> Module | Course:
    """Load a module or course; raises :class:`InvalidDefinition` (with every diagnostic) if it has errors."""
    result, found = read_course(path) if is_course(path) else read_module(path)
    if result is None:
        raise InvalidDefinition(found)
    return result


def revalidate(module: Module) -> tuple[Module | None, list[Diagnostic]]:
    """The module as it is now, checked from scratch: the schema, the rules beyond it, the files.

    A model is plain data that a caller may change (pydantic does not check assignments), so a
    build never trusts an earlier check: it packs this fresh copy, or nothing. Positions are
    unknown here, so each diagnostic names the field only.
    """
    src = Source(f"<module {module.id}>", module.model_dump(mode="json", by_alias=True, exclude_none=True))
    fresh, found = _validate(Module, src)
    found += checks.cross_references(src)
    if module.root is not None:
        found += checks.files(src, module.root, str(module.root))
    found = [Diagnostic(d.file, None, None, d.field, d.message, d.severity, d.code) for d in found]
    if fresh is None or errors(found):
        return None, found
    fresh._root = module.root
    return fresh, found


def check_model(module: Module) -> list[Diagnostic]:
    """Every problem of a module as it is now (built in code, or loaded and then changed)."""
    return revalidate(module)[1]
