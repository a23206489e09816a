"""`modpack check` and `modpack info`: judge any package, including ones others made, safely.

The pipeline: read the zip or folder into memory under strict limits (reader) -> detect the
standard from its descriptor (detect) -> validate the descriptor against the official schemas
and apply the rules schemas cannot express (scorm, cmi5, tincan, files) -> a report of findings.
Nothing is extracted and nothing is fetched: a hostile package cannot write or call out.
May import: ``modpack.xsd``, ``modpack.xmltree``, ``modpack.weight`` (download figures, read from
any package's files), ``modpack.compress`` (inflate), ``modpack.pipes`` (the credential search's
child), ``modpack.folders`` (a package folder walked without recursion), ``modpack.pictures`` (a picture
cut short, told from its structure) and ``modpack.messages`` (findings in the administrator's language) only: it judges packages whoever made them, so it knows nothing of modpack's
own model.
"""

from .report import REFUSALS, Finding, Report, Severity
from .run import Judged, check, info, judge, weights

__all__ = ["REFUSALS", "Finding", "Judged", "Report", "Severity", "check", "info", "judge", "weights"]
