"""modpack: training-module definitions to SCORM, cmi5 and xAPI packages.

The pipeline reads top to bottom: :func:`load` a definition (a module folder or a course
file) into the model (:mod:`modpack.model`), with every problem collected as a
:class:`Diagnostic`; later stages plan and write a package per target standard.

    >>> import modpack
    >>> module = modpack.load("samples/rujukan-terpadu")       # doctest: +SKIP
    >>> [str(d) for d in modpack.validate("samples/rujukan-terpadu")]  # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version as _version

from .builder import BuildError, build, build_package
from .diagnostics import Diagnostic, InvalidDefinition, Severity
from .loader import check_model, load, read_course, read_module, validate
from .model import Course, Module
from .schema import json_schema
from .starter import init

try:
    __version__ = _version("modpack")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "BuildError", "Course", "Diagnostic", "build", "build_package", "check_model", "InvalidDefinition", "Module", "Severity", "__version__",
    "init", "json_schema", "load", "read_course", "read_module", "validate",
]
