"""modpack: training-module definitions to SCORM, cmi5 and xAPI packages.

The pipeline reads top to bottom, one folder a phase:

- ``definition``: :func:`load` a definition (a module folder or a course file), with every
  problem collected as a :class:`Diagnostic`;
- ``model``: the pydantic model it is validated into, the single source of truth;
- ``package``: plan and write one package per target standard (:func:`build`);
- ``player``: the learner-facing JavaScript every package carries;
- ``checker``: judge any package, ours or others' (``modpack check``);
- ``xapi``: statements for what happens outside a package, sent to an LRS;
- ``preview``: a small local LMS to try a package as a learner;
- ``importer``: Word modules (.docx) into definitions (``modpack import``).

``xsd`` (the official schemas) and ``xmltree`` (the XML layer) are shared by all; ``cli`` is a
thin layer over this API. Each folder's docstring says what it may import (checked by a test).

    >>> import modpack
    >>> module = modpack.load("samples/rujukan-terpadu")       # doctest: +SKIP
    >>> [str(d) for d in modpack.validate("samples/rujukan-terpadu")]  # doctest: +SKIP
"""

from typing import TYPE_CHECKING, Any

from .parts import import_on_use

if TYPE_CHECKING:  # what the names are; at run time each is imported when first used (below)
    from .definition.diagnostics import Diagnostic, InvalidDefinition, Severity
    from .definition.loader import check_model, load, read_course, read_module
    from .definition.schema import json_schema
    from .definition.starter import init
    from .importer import import_docx
    from .model import Course, Module
    from .package.builder import build, build_package, validate
    from .package.formats import BuildError

# name -> the module that defines it. Imported on first use (PEP 562), so that `modpack --version`
# or `modpack check` do not pay for pydantic, the Markdown renderer and python-docx they never use.
_WHERE = {
    "BuildError": "package.formats", "build": "package.builder", "build_package": "package.builder",
    "Diagnostic": "definition.diagnostics", "InvalidDefinition": "definition.diagnostics",
    "Severity": "definition.diagnostics", "check_model": "definition.loader", "load": "definition.loader",
    "read_course": "definition.loader", "read_module": "definition.loader", "validate": "package.builder",
    "Course": "model", "Module": "model", "json_schema": "definition.schema", "init": "definition.starter",
    "import_docx": "importer",
}


_part = import_on_use(__name__)


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:  # a phase, as `modpack.checker` after `import modpack`
        return _part(name)
    import importlib

    value = getattr(importlib.import_module(f".{where}", __name__), name)
    globals()[name] = value  # once: later uses are plain lookups
    return value


__version__ = "0.1.0"  # the one place the version is set; pyproject.toml reads it

__all__ = [
    "BuildError", "Course", "Diagnostic", "build", "build_package", "check_model", "InvalidDefinition", "Module", "Severity", "__version__",
    "import_docx", "init", "json_schema", "load", "read_course", "read_module", "validate",
]
