"""Whether a picture file ends before the picture does: a copy cut short (an upload or a transfer
over a slow link that stopped), which a browser shows in part, the rest grey, without a word.

Told from the file's structure, not by decoding it: its last bytes first (a whole JPEG ends with
its end-of-image marker, a PNG with its IEND chunk, a GIF with its trailer, a WebP as long as its
RIFF header says; a JPEG's segments before its scan must also lie within the file, for an EXIF
thumbnail ends in FF D9 too), which settles nearly every file at the cost of a few small reads. A GIF, and a
file whose end is something else, is walked, marker by marker or chunk by chunk, to tell data appended
after a whole picture (a phone's motion photo carries its video after the JPEG) from a picture
that stops. A file too large to walk, one of more parts than a picture has (each walk stops at
MAX_PARTS: a crafted file of tiny parts would otherwise cost a step per few bytes), or not what
its name says, is not judged. The files of one package or module share a Budget of parts
(MAX_TOTAL_PARTS): ten thousand crafted pictures cost what twenty do.
"""

from __future__ import annotations

import re
from typing import BinaryIO

KINDS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".gif": "gif", ".webp": "webp"}  # suffix -> structure
PICTURE_SUFFIXES = frozenset(KINDS)
MAX_WALKED = 64 * 1024 * 1024  # a file whose end is not its picture's is read whole up to this size
MAX_PARTS = 100_000  # markers, chunks or sub-blocks walked (a GIF's sub-blocks of 255 bytes: 25 MB)
# parts walked in all by whatever judges many files with one Budget (a package, a module): 10,000
# crafted pictures of MAX_PARTS each would otherwise take minutes; real ones take a few parts each,
# a GIF one for every 255 bytes (500 MB of GIF)
MAX_TOTAL_PARTS = 2_000_000
# a marker in a JPEG's coded data: 0xFF then anything but 0x00 (a 0xFF of the data), a restart
# marker or a fill byte; searched in C, so the data is crossed at the speed of a search
_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_NOT_FILL = re.compile(rb"[^\xff]")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


class Budget:
    """The parts the walks of many files may still take (MAX_TOTAL_PARTS): past it, a picture its
    end does not settle is not judged."""

    def __init__(self, parts: int = MAX_TOTAL_PARTS):
        self.parts = parts

    def limit(self) -> int:
        return max(0, min(MAX_PARTS, self.parts))


def ends_early(handle: BinaryIO, size: int, suffix: str, budget: Budget | None = None) -> bool:
    """True when the picture in ``handle`` (``size`` bytes, named with ``suffix``) is cut short.
    ``budget``: shared by the files of one package or module (else this file's own MAX_PARTS)."""
    budget = budget if budget is not None else Budget(MAX_PARTS)
    kind = KINDS.get(suffix.lower())
    if kind is None or size < 16:
        return False
    head = handle.read(16)
    handle.seek(max(0, size - 16))
    tail = handle.read(16)
    if kind == "webp":
        if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
            return False
        return size + 1 < 8 + int.from_bytes(head[4:8], "little")  # (a last padding byte left out is forgiven)
    # (a GIF is always walked: one byte in 256 of a cut is its trailer's ';')
    if kind == "jpeg" and tail.endswith(b"\xff\xd9"):
        fits, used = _jpeg_header_fits(handle, size, head, budget.limit())
        budget.parts -= used
        return not fits
    if kind == "png" and tail.endswith(_PNG_END):
        return False
    if size > MAX_WALKED or budget.parts <= 0:
        return False
    handle.seek(0)
    data = handle.read(size)
    walk = {"jpeg": _jpeg_walk, "png": _png_walk, "gif": _gif_walk}[kind]
    cut, used = walk(data, budget.limit())
    budget.parts -= used
    return cut is True


def _jpeg_header_fits(handle: BinaryIO, size: int, head: bytes, limit: int) -> tuple[bool, int]:
    """Whether a JPEG's segments before its scan lie within the file. A file that ends in FF D9 may
    still be cut: inside its header, just after the end marker of the thumbnail an EXIF segment
    carries. A few small reads (a segment's marker and length each); a header not as expected is
    not judged here (True). With the parts it took (at most ``limit``)."""
    if not head.startswith(b"\xff\xd8"):
        return True, 0
    at = 2
    for used in range(1, limit + 1):
        handle.seek(at)
        segment = handle.read(4)
        if len(segment) >= 2 and (segment[0] != 0xFF or segment[1] in (0xFF, 0xD9, 0xDA)):
            return True, used  # fill bytes, the end (a file of tables alone ends so), the scan, or no marker
        if len(segment) < 4:
            return False, used  # the file ends inside its header
        if segment[1] == 0x01 or 0xD0 <= segment[1] <= 0xD7:  # markers without a length
            at += 2
            continue
        at += 2 + int.from_bytes(segment[2:4], "big")
        if at > size:
            return False, used
    return True, limit


def _jpeg_walk(data: bytes, limit: int) -> tuple[bool | None, int]:
    """Whether a JPEG stops before its end-of-image marker (None: no JPEG, damaged otherwise, or
    more than ``limit`` parts: not judged here), with the parts it took."""
    if not data.startswith(b"\xff\xd8"):
        return None, 0
    end = len(data)
    at = 2
    for used in range(1, limit + 1):
        if at >= end:
            return True, used
        if data[at] != 0xFF:
            return None, used
        if at + 1 < end and data[at + 1] == 0xFF:  # fill bytes before a marker: skipped in C, not byte by byte
            past = _NOT_FILL.search(data, at + 1)
            if past is None:
                return True, used
            at = past.start() - 1
        if at + 1 >= end:
            return True, used
        marker = data[at + 1]
        if marker == 0xD9:
            return False, used
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        if at + 4 > end:
            return True, used
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
        if marker == 0xDA:  # the scan's coded data runs to the next marker
            found = _MARKER.search(data, at)
            if found is None:
                return True, used
            at = found.start()
    return None, limit


def _png_walk(data: bytes, limit: int) -> tuple[bool | None, int]:
    """Whether a PNG stops before its IEND chunk ends (None: no PNG, or not judged), with the parts
    it took."""
    if not data.startswith(_PNG_SIGNATURE):
        return None, 0
    end = len(data)
    at = len(_PNG_SIGNATURE)
    for used in range(1, limit + 1):
        if at + 8 > end:
            return True, used
        length = int.from_bytes(data[at:at + 4], "big")
        kind = data[at + 4:at + 8]
        if not kind.isalpha():
            return None, used
        at += 12 + length
        if kind == b"IEND":
            return at > end, used
    return None, limit


def _gif_walk(data: bytes, limit: int) -> tuple[bool | None, int]:
    """Whether a GIF stops before its trailer (None: no GIF, damaged otherwise, or not judged),
    with the parts it took."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        return None, 0
    if len(data) < 13:
        return True, 0
    end = len(data)
    flags = data[10]
    at = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)  # the global colour table
    parts = 0
    while parts < limit:
        if at >= end:
            return None, parts  # between blocks: no trailer, but no block cut either (browsers show it whole)
        block = data[at]
        if block == 0x3B:
            return False, parts
        if block == 0x21:  # an extension: its label, then sub-blocks
            at += 2
        elif block == 0x2C:  # an image: its descriptor, its colour table, the LZW code size, sub-blocks
            if at + 10 > end:
                return True, parts
            flags = data[at + 9]
            at += 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0) + 1
        else:
            return None, parts
        while parts < limit:  # sub-blocks, each its length then its bytes, to one of length 0
            parts += 1
            if at >= end:
                return True, parts
            length = data[at]
            at += 1 + length
            if length == 0:
                break
    return None, parts
