"""Pipe steps the helper processes of build (package/ahead.py) and check (checker/names.py) share:
both drive a child through two non-blocking pipes and must never wait on one while the other is full."""

from __future__ import annotations

import os


def widen(fd: int, size: int) -> None:
    """Let the pipe hold ``size`` bytes (it holds 64 KiB unless told), where the system allows:
    fewer turns of the loop, the same bytes; refused is no harm."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size)
    except (ImportError, AttributeError, OSError):
        pass


def read_ready(fd: int, size: int) -> tuple[bytes, bool]:
    """What a non-blocking pipe holds now, read ``size`` bytes at a time, and whether it has ended
    (its writer closed it). Raises OSError as os.read does, other than for an empty pipe."""
    pieces: list[bytes] = []
    while True:
        try:
            piece = os.read(fd, size)
        except BlockingIOError:
            return b"".join(pieces), False
        if not piece:
            return b"".join(pieces), True
        pieces.append(piece)
