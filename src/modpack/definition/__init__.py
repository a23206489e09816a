"""Reading and checking definitions: the first phase of the pipeline.

``source`` reads YAML or JSON with the position of every value; ``loader`` validates it into
the model and ``checks`` adds the rules a schema cannot express; ``files`` is the one rule for
every file a module names; ``markdown`` finds what pages refer to and renders them safely;
``diagnostics`` is what every problem is reported as. May import: ``modpack.model`` and
``modpack.messages`` (every message in the authors' language).
"""

from typing import Any


def __getattr__(name: str) -> Any:
    """A part imported on first use (``modpack.package.builder`` after ``import modpack``), as it
    was when ``import modpack`` imported every part at once."""
    import importlib

    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":  # the part exists, and misses something it imports
            raise
        raise AttributeError(f"module '{__name__}' has no attribute '{name}'") from None
