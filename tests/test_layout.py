"""The package reads as its pipeline: each phase imports only what its docstring allows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "modpack"

# What each phase may import of modpack (besides itself); mirrors each folder's docstring.
ALLOWED = {
    "model": {"messages"},
    "definition": {"model", "messages", "parts", "filehash", "pictures"},
    "package": {"model", "definition", "player", "xsd", "xmltree", "messages", "parts", "filehash", "weight", "atomic",
                "compress", "pipes", "signals", "folders"},
    "player": set(),
    "xsd": {"definition", "xmltree"},
    "checker": {"xsd", "xmltree", "weight", "compress", "pipes", "signals", "messages", "folders", "pictures"},
    "xapi": {"model", "definition", "xmltree", "lines", "credentials", "cells", "signals", "messages", "atomic"},
    "preview": {"package", "checker", "definition", "model", "xapi", "messages", "lines", "signals", "atomic"},
    "xmltree": set(),
    "messages": set(),
    "importer": {"checker", "definition", "model", "messages", "xmltree", "signals"},
    "progress": {"definition", "model", "xapi", "messages", "lines", "cells", "atomic", "signals"},
    "lines": set(),
    "credentials": set(),
    "cells": set(),
    "atomic": {"signals", "messages"},
    "pipes": set(),
    "parts": set(),
    "filehash": set(),
    "folders": set(),
    "pictures": set(),
    "compress": set(),
    "signals": set(),
    "weight": {"messages"},
    "resident": {"cli", "messages", "definition", "model", "package", "xsd", "signals", "checker"},
}


def _imports(path: Path, phase: str) -> set[str]:
    """The top-level phases of modpack a file imports, relative or absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(SRC).parts) - 1  # folders below modpack/
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                up = node.level - 1
                base = list(path.relative_to(SRC).parts[:-1])[: max(depth - up, 0)]
                parts = base + (node.module.split(".") if node.module else [])
                names = [parts[0]] if parts else [alias.name for alias in node.names]
            elif node.module and node.module.startswith("modpack."):
                names = [node.module.split(".")[1]]
            elif node.module == "modpack":
                names = [alias.name for alias in node.names]
            else:
                continue
            found |= {name for name in names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("modpack.")}
    return {name.removesuffix(".py") for name in found} - {phase}


@pytest.mark.parametrize("phase", sorted(ALLOWED))
def test_each_phase_imports_only_what_it_may(phase):
    target = SRC / phase
    files = sorted(target.rglob("*.py")) if target.is_dir() else [SRC / f"{phase}.py"]
    assert files
    broken = {}
    for file in files:
        extra = _imports(file, phase) - ALLOWED[phase]
        if extra:
            broken[str(file.relative_to(SRC))] = sorted(extra)
    assert broken == {}


def test_every_phase_folder_says_what_it_may_import():
    for folder in sorted(p for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "May import" in doc, folder.name
