"""Lines of a file, each at most ``limit`` bytes: a longer line is skipped, not read into memory.

Python's own line iteration reads a line whole however long it is; a file of one 10 GB line
would take 10 GB. Here memory stays at one chunk plus one line of at most ``limit`` bytes.
Shared by the phases that read line-based files (xapi, progress); may import nothing of modpack.
"""

from __future__ import annotations

from typing import BinaryIO, Iterator

CHUNK = 1 << 20


def bounded_lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, the line without its end) for every line; None for a line over ``limit``."""
    number = 0
    pending = b""
    too_long = False
    while True:
        chunk = handle.read(CHUNK)
        if not chunk:
            break
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                if not too_long:
                    pending += chunk[start:]
                    if len(pending) > limit:
                        pending, too_long = b"", True
                break
            number += 1
            if too_long:
                yield number, None
            else:
                line = pending + chunk[start:end] if pending else chunk[start:end]
                yield number, (None if len(line) > limit else line.rstrip(b"\r"))
            pending, too_long = b"", False
            start = end + 1
    if pending or too_long:
        yield number + 1, None if too_long else pending.rstrip(b"\r")
