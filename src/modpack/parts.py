"""Parts of a package imported when first used (PEP 562). Imports nothing: every layer may use it.

``import modpack`` loads none of its parts, so that `modpack --version` or `modpack check` do not
pay for pydantic, the Markdown renderer and python-docx; ``modpack.package.builder`` still works
after it, imported on that first use.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable


def import_on_use(package: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports its part ``name`` when asked for it."""

    def __getattr__(name: str) -> Any:
        if not name.startswith("_"):
            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":  # the part exists, and misses something it imports
                    raise
        raise AttributeError(f"module '{package}' has no attribute '{name}'")

    return __getattr__
