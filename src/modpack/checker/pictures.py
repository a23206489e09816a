"""Pictures a package carries cut short: a copy or an upload that stopped, which a browser shows
in part, the rest grey, without a word. Each picture is handed whole to :func:`judge` by the
package's one unpacking pass (reader.Package.verify): never inflated a second time."""

from __future__ import annotations

import io
import posixpath

from ..messages import t
from ..pictures import MAX_WALKED, PICTURE_SUFFIXES, Budget, ends_early
from .reader import Entry
from .report import Report


_ENDINGS = tuple(PICTURE_SUFFIXES)


def wanted(entry: Entry) -> bool:
    """Whether ``entry`` is a picture to look at (one past MAX_WALKED is not judged: see pictures.py)."""
    return 16 <= entry.size <= MAX_WALKED and is_picture(entry.name)


def is_picture(name: str) -> bool:
    """Whether ``name`` is a picture's (one test a file of the package: in C, a 2,000-file package's
    check spent 4% of its time on splitext)."""
    return name.lower().endswith(_ENDINGS)


def judge(name: str, data: bytes, report: Report, walks: Budget) -> None:
    """A warning if the picture ``data`` is cut short (``walks``: the package's, shared by its pictures)."""
    if ends_early(io.BytesIO(data), len(data), posixpath.splitext(name)[1], walks):
        report.warning("broken-media", t("the file ends before its picture does (a copy or an upload that stopped): "
                                         "a learner may see only part of it; pack it again from a whole copy"),
                       file=name)
