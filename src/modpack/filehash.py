"""Content hashes of files, remembered by the state a file had when it was read whole.

A rebuild is decided by the hash of its inputs (package/cache.py); reading 75 MB of media again for
it would cost more than the zip itself. So whoever reads a file whole anyway (the zip writer copying
media, the loader reading a page) hashes the bytes it read, and the hash is kept under what
identifies the file's state, as git's index does: device, inode, size, modification and change
times. The change time cannot be set back by a program, so a file rewritten with its old time put
back is a new state. A file modified in the last seconds is not remembered: a second save within
the clock's tick would leave its state equal.
"""

from __future__ import annotations

import hashlib
import os
import time

State = tuple[int, int, int, int, int]

RACY_NS = 2_000_000_000  # a file modified this recently may change again within the same tick
MAX_KNOWN = 200_000  # hashes kept in memory (a course has a few thousand files)
known: dict[State, str] = {}


def state(info: os.stat_result) -> State:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def remember(info: os.stat_result, sha256: str) -> None:
    """Keep the hash of a file read whole while it had ``info``."""
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) < RACY_NS:
        return
    if len(known) >= MAX_KNOWN:
        known.clear()
    known[state(info)] = sha256


def remember_read(before: os.stat_result, after: os.stat_result, data: bytes) -> None:
    """Keep the hash of ``data``, read whole between two fstat calls that agree."""
    if state(before) == state(after) and len(data) == before.st_size:
        remember(before, hashlib.sha256(data).hexdigest())
