"""Which file defines a module or a course, and which of the two it is: read without the model,
so that a build that finds nothing changed (package/cache.py) never imports pydantic."""

from __future__ import annotations

import difflib

import os
from pathlib import Path

from .source import read_source

DEFINITION_NAMES = ("module.yaml", "module.yml", "module.json")
COURSE_NAMES = ("course.yaml", "course.yml", "course.json")


def find_definition(path: Path) -> Path | None:
    """The definition file ``path`` names: itself, or the one a folder holds (None: none there)."""
    if path.is_dir():
        for name in DEFINITION_NAMES + COURSE_NAMES:
            # exists, not is_file: a definition that is a FIFO or a device is refused by name when read
            if (path / name).exists() and not (path / name).is_dir():
                return path / name
        return None
    return path


def is_course(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a course (a file listing modules) rather than a module."""
    file = find_definition(Path(path))
    if file is None:
        return False
    if file.name in COURSE_NAMES:
        return True
    if file.name in DEFINITION_NAMES:
        return False
    src, _ = read_source(file)
    if src is None or not isinstance(src.data, dict) or "lessons" in src.data:
        return False
    # a course by its fields, even misspelt ('modul:'), so that its mistakes are told in a course's terms
    keys = [key for key in src.data if isinstance(key, str)]
    return "modules" in keys or "annual_target_jp" in keys or bool(difflib.get_close_matches("modules", keys, 1, 0.75))


def course_modules(path: str | os.PathLike[str]) -> tuple[Path, list[object]]:
    """A course's file and the entries its ``modules`` lists, read without validating (a list of
    anything: the loader judges them)."""
    file = find_definition(Path(path)) or Path(path)
    src, _ = read_source(file)
    modules = src.data.get("modules") if src is not None and isinstance(src.data, dict) else None
    return file, modules if isinstance(modules, list) else []
