"""Reading and checking definitions: the first phase of the pipeline.

``source`` reads YAML or JSON with the position of every value; ``loader`` validates it into
the model and ``checks`` adds the rules a schema cannot express; ``files`` is the one rule for
every file a module names; ``markdown`` finds what pages refer to and renders them safely;
``diagnostics`` is what every problem is reported as. May import: ``modpack.model``,
``modpack.pictures`` (a picture cut short) and ``modpack.messages`` (every message in the authors'
language).
"""

from ..parts import import_on_use

__getattr__ = import_on_use(__name__)
