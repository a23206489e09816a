"""CSV cells a spreadsheet opens as data, never as a formula. Imports nothing: every layer may use it.

A cell beginning with =, +, -, @, a tab or a carriage return is run by Excel, LibreOffice and
Google Sheets as a formula (CSV injection), and what modpack writes to CSV comes from others: a
learner's name typed by whoever enrolled them, an account name from an LRS. Such text gets a
leading apostrophe, as OWASP advises; numbers stay numbers (a negative number is a number, not
text to escape).
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value as a CSV cell: text that a spreadsheet would run is escaped; yes/no for booleans."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
