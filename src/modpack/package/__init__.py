"""Planning and writing packages: the model in, one zip per target standard out.

``builder`` runs it (load -> check -> plan -> write); ``content`` renders pages and maps
assets for every standard; ``targets`` has one small module per standard that writes its
descriptor; ``archive`` writes deterministic zips atomically. May import: ``modpack.model``,
``modpack.definition`` (to load and check what it packs), ``modpack.player``, ``modpack.xsd``,
``modpack.xmltree``, ``modpack.messages``, ``modpack.weight`` (what each page downloads), ``modpack.atomic``, ``modpack.compress`` (deflate),
``modpack.pipes`` (the deflating child's pipes), ``modpack.folders`` (the inputs listed) and ``modpack.signals`` (a `kill` during a build).
"""

from ..parts import import_on_use

__getattr__ = import_on_use(__name__)
