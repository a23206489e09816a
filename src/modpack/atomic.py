"""Output files written whole or not at all. Imports only signals.py and messages.py: every layer may use it.

A reader (an LMS upload, a spreadsheet, a CI step) never finds half a file, and a failure
leaves the file that was there: the text goes to a temporary file beside the target, which
then replaces it in one rename. The temporary file is made by ``mkstemp``, so what is written
is readable by its owner only (0600): reports hold learners' names.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

from . import signals
from .messages import t


def refuse_special(target: Path) -> None:
    """OSError when ``target`` is a device, a FIFO or a socket, or a link to one: the rename that
    puts a file in place would replace it (run as root, `--out /dev/null` replaced /dev/null
    itself, and `-o /dev/stdout` the link). A link to a file is replaced as a link, never written
    through; a folder is refused by the rename."""
    try:
        mode = os.lstat(target).st_mode
        if stat.S_ISLNK(mode):  # a link to a device (/dev/stdout is one to /proc/self/fd/1) is as the device
            mode = os.stat(target).st_mode
    except OSError:
        return  # none there, a dangling link (or unreachable: the write says so)
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OSError(errno.EINVAL, t("it is a device, a FIFO or a socket, not a file: give the path of a file to "
                                      "write (modpack replaces a file whole, and would replace it)"), str(target))


@contextmanager
def _staged(target: Path) -> Iterator[int]:
    """A descriptor of a fresh 0600 file beside ``target`` that replaces it when the block ends
    without an error (the caller closes the descriptor); on an error it is removed."""
    refuse_special(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    name = None
    try:
        with signals.deferred():  # made and its removal set up before a kill is let in (signals.py)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        yield fd
        os.replace(name, target)
    except BaseException:
        with signals.deferred():  # a second signal waits for the clean-up
            if name is not None:
                Path(name).unlink(missing_ok=True)
        raise


@contextmanager
def replaced(target: str | os.PathLike[str], newline: str | None = None) -> Iterator[TextIO]:
    """A UTF-8 text file that becomes ``target`` when the block ends without an error."""
    with _staged(Path(target)) as fd, os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
        yield handle


def write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """``data`` as the file ``target``, whole or not at all."""
    with _staged(Path(target)) as fd, os.fdopen(fd, "wb") as handle:
        handle.write(data)
