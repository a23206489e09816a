"""Deflate, inflate and CRC-32 for the zips modpack writes and checks: zlib-ng, the same formats as
zlib and a drop-in for its API, at 1.3x zlib's speed to deflate (the same level, output within 1%
of zlib's size), 2x to inflate and 6x for CRC-32 (docs/dependencies.md). Imports nothing of modpack.

``zipfile`` keeps the standard library's zlib; both read each other's output, as every unzip does.
"""

from __future__ import annotations

import zlib as _standard
from typing import TYPE_CHECKING, cast

from zlib_ng import zlib_ng as zlib

if TYPE_CHECKING:
    from zlib_ng.zlib_ng import _Compress

# a damaged stream, from either (zlib-ng's stubs call its error an instance: it is a class)
ERRORS: tuple[type[Exception], ...] = (cast("type[Exception]", zlib.error), _standard.error)

LEVEL = 6  # zlib's default, and zip's


def compressor() -> _Compress:
    """A raw deflate stream, as zipfile writes an entry: every deflated entry goes through one
    (deflate, a file copied in chunks by archive.py; the child of ahead.py makes its own in the
    same words), so that a package is the same bytes however it was made."""
    return zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)


def deflate(data: bytes) -> bytes:
    """``data`` deflated whole (see compressor)."""
    stream = compressor()
    return stream.compress(data) + stream.flush()


__all__ = ["ERRORS", "LEVEL", "compressor", "deflate", "zlib"]
