"""``modpack progress``: a cohort's progress through a course, from the LRS, as a report people read.

Reads the statements of the course's activities (an LRS, JSON Lines files, Moodle SCORM reports
for SCORM packages), joins them with the cohort file, and writes one self-contained HTML report, or
its tables as CSV or JSON. Streaming: what is kept is a few numbers per learner and module.

    catalogue (the course's ids) -> sources (statements) -> tally -> figures -> html / tables

May import: model, definition (to load a course), xapi (its LRS client and vocabulary), messages, lines,
cells, atomic and signals.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..messages import t, os_reason
from .cohort import CohortError, Learner, read_cohort
from .html import write_html
from .report import ProgressError, Report, progress
from .tables import TABLES, rows, write_csv_folder, write_json

FORMATS = ("html", "csv", "json")


def write(report: Report, out: str | os.PathLike[str], fmt: str = "html") -> Path:
    """The report written whole at ``out``: an HTML file, a folder of CSV files, or a JSON file.
    Raises ProgressError when it cannot be (an ``out`` that is a folder, or not writable)."""
    writers = {"html": write_html, "csv": write_csv_folder, "json": write_json}
    if fmt not in writers:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    try:
        return writers[fmt](report, out)
    except OSError as exc:
        raise ProgressError(t("'{path}' cannot be written: {reason}", path=out, reason=os_reason(exc))) from None


__all__ = ["CohortError", "FORMATS", "Learner", "ProgressError", "Report", "TABLES", "progress", "read_cohort", "rows",
           "write", "write_csv_folder", "write_html", "write_json"]
