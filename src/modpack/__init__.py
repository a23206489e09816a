"""modpack: training-module definitions to SCORM, cmi5 and xAPI packages.

The pipeline reads top to bottom: :func:`load` a definition (a module folder or a course
file) into the model (:mod:`modpack.model`), with every problem collected as a
:class:`Diagnostic`; later stages plan and write a package per target standard.

    >>> import modpack
    >>> module = modpack.load("samples/rujukan-terpadu")       # doctest: +SKIP
    >>> [str(d) for d in modpack.validate("samples/rujukan-terpadu")]  # doctest: +SKIP
"""

from .builder import BuildError, build, build_package
from .diagnostics import Diagnostic, InvalidDefinition, Severity
from .loader import check_model, load, read_course, read_module, validate
from .model import Course, Module
from .schema import json_schema
from .starter import init

__version__ = "0.1.0"  # the one place the version is set; pyproject.toml reads it

__all__ = [
    "BuildError", "Course", "Diagnostic", "build", "build_package", "check_model", "InvalidDefinition", "Module", "Severity", "__version__",
    "init", "json_schema", "load", "read_course", "read_module", "validate",
]
