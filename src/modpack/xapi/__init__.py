"""xAPI statements for what happens outside a package: facilitated sessions, offline tests,
module completions. The pipeline: read records (CSV or JSON Lines) -> build statements from the
module model -> validate against schemas/xapi-statement.schema.json -> write JSON Lines -> send to
an LRS, each statement exactly once. May import: ``modpack.model``, ``modpack.definition`` (its rule
for files given by the user: a FIFO or device is never read), ``modpack.xmltree``, ``modpack.lines``,
``modpack.credentials``, ``modpack.cells``, ``modpack.signals``, ``modpack.atomic`` (an output that is a
device or FIFO is refused as every writer refuses it) and ``modpack.messages`` (the language of its messages).
"""

from .records import Record, RowError, read_records
from .statements import StatementBuilder, statement_id
from .validation import StatementValidator

__all__ = ["Record", "RowError", "StatementBuilder", "StatementValidator", "read_records", "statement_id"]
