"""Planning and writing packages: the model in, one zip per target standard out.

``builder`` runs it (load -> check -> plan -> write); ``content`` renders pages and maps
assets for every standard; ``targets`` has one small module per standard that writes its
descriptor; ``archive`` writes deterministic zips atomically. May import: ``modpack.model``,
``modpack.definition`` (to load and check what it packs), ``modpack.player``, ``modpack.xsd``,
``modpack.xmltree`` and ``modpack.messages``.
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
