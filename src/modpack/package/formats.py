"""The formats a build can write, and the error a build raises: known without importing the
targets, so that a build that finds nothing changed (cache.py) never imports the model."""

from __future__ import annotations

from typing import Sequence

from ..messages import t

FORMATS = ("scorm12", "scorm2004", "cmi5", "xapi")  # builder.TARGETS writes each
DEFAULT_FORMAT = "scorm12"


class BuildError(Exception):
    """A package could not be built; nothing was written. ``page``: the id of the page it is about,
    when it is one page's (its content refused)."""

    def __init__(self, *args: object, page: str | None = None):
        super().__init__(*args)
        self.page = page


def formats_of(format: str | Sequence[str]) -> tuple[str, ...]:
    """The formats a build asks for: one, several (a list or 'a,b'), or 'all'; never one dropped;
    in FORMATS' order."""
    names = [format] if isinstance(format, str) else list(format)
    wanted: list[str] = []
    for name in (part.strip() for item in names for part in item.split(",")):
        for one in (FORMATS if name == "all" else (name,)):
            if one not in FORMATS:
                raise BuildError(t("unknown format '{value}': choose one of {choices}, or all", value=one,
                                   choices=", ".join(FORMATS)))
            if one not in wanted:
                wanted.append(one)
    if not wanted:
        raise BuildError(t("no format given: choose one of {choices}, or all", choices=", ".join(FORMATS)))
    # in one order, FORMATS', whatever order they were asked in: 'cmi5,scorm12' and 'scorm12,cmi5'
    # are one build, listed alike and known alike to the rebuild record (cache.py)
    return tuple(sorted(wanted, key=FORMATS.index))
