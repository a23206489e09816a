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
its name says, is not judged.
"""

from __future__ import annotations

import re
from typing import BinaryIO

KINDS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".gif": "gif", ".webp": "webp"}  # suffix -> structure
PICTURE_SUFFIXES = frozenset(KINDS)
MAX_WALKED = 64 * 1024 * 1024  # a file whose end is not its picture's is read whole up to this size
MAX_PARTS = 100_000  # markers, chunks or sub-blocks walked (a GIF's sub-blocks of 255 bytes: 25 MB)
# a marker in a JPEG's coded data: 0xFF then anything but 0x00 (a 0xFF of the data), a restart
# marker or a fill byte; searched in C, so the data is crossed at the speed of a search
_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_NOT_FILL = re.compile(rb"[^\xff]")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def ends_early(handle: BinaryIO, size: int, suffix: str) -> bool:
    """True when the picture in ``handle`` (``size`` bytes, named with ``suffix``) is cut short."""
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
        return not _jpeg_header_fits(handle, size, head)
    if kind == "png" and tail.endswith(_PNG_END):
        return False
    if size > MAX_WALKED:
        return False
    handle.seek(0)
    data = handle.read(size)
    walk = {"jpeg": _jpeg_walk, "png": _png_walk, "gif": _gif_walk}[kind]
    return walk(data) is None


def _jpeg_header_fits(handle: BinaryIO, size: int, head: bytes) -> bool:
    """Whether a JPEG's segments before its scan lie within the file. A file that ends in FF D9 may
    still be cut: inside its header, just after the end marker of the thumbnail an EXIF segment
    carries. A few small reads (a segment's marker and length each); a header not as expected is
    not judged here (True)."""
    if not head.startswith(b"\xff\xd8"):
        return True
    at = 2
    for _ in range(MAX_PARTS):
        handle.seek(at)
        segment = handle.read(4)
        if len(segment) < 4:
            return False  # the file ends inside its header
        if segment[0] != 0xFF or segment[1] in (0xFF, 0xD9, 0xDA):  # fill bytes, an odd end, or the scan
            return True
        if segment[1] == 0x01 or 0xD0 <= segment[1] <= 0xD7:  # markers without a length
            at += 2
            continue
        at += 2 + int.from_bytes(segment[2:4], "big")
        if at > size:
            return False
    return True


def _jpeg_walk(data: bytes) -> int | None:
    """Where a JPEG's end-of-image marker ends; None when the data stops before it, -1 when the
    file is no JPEG or is damaged otherwise (not judged here)."""
    if not data.startswith(b"\xff\xd8"):
        return -1
    end = len(data)
    at = 2
    for _ in range(MAX_PARTS):
        if at >= end:
            return None
        if data[at] != 0xFF:
            return -1
        if at + 1 < end and data[at + 1] == 0xFF:  # fill bytes before a marker: skipped in C, not byte by byte
            past = _NOT_FILL.search(data, at + 1)
            if past is None:
                return None
            at = past.start() - 1
        if at + 1 >= end:
            return None
        marker = data[at + 1]
        if marker == 0xD9:
            return at + 2
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        if at + 4 > end:
            return None
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
        if marker == 0xDA:  # the scan's coded data runs to the next marker
            found = _MARKER.search(data, at)
            if found is None:
                return None
            at = found.start()
    return -1


def _png_walk(data: bytes) -> int | None:
    """Where a PNG's IEND chunk ends; None when the data stops before it, -1 when it is no PNG."""
    if not data.startswith(_PNG_SIGNATURE):
        return -1
    end = len(data)
    at = len(_PNG_SIGNATURE)
    for _ in range(MAX_PARTS):
        if at + 8 > end:
            return None
        length = int.from_bytes(data[at:at + 4], "big")
        kind = data[at + 4:at + 8]
        if not kind.isalpha():
            return -1
        at += 12 + length
        if kind == b"IEND":
            return at if at <= end else None
    return -1


def _gif_walk(data: bytes) -> int | None:
    """Where a GIF's trailer ends; None when the data stops before it, -1 when it is no GIF or is
    damaged otherwise."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        return -1
    if len(data) < 13:
        return None
    end = len(data)
    flags = data[10]
    at = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)  # the global colour table
    parts = 0
    while parts < MAX_PARTS:
        if at >= end:
            return -1  # between blocks: no trailer, but no block cut either (browsers show it whole)
        block = data[at]
        if block == 0x3B:
            return at + 1
        if block == 0x21:  # an extension: its label, then sub-blocks
            at += 2
        elif block == 0x2C:  # an image: its descriptor, its colour table, the LZW code size, sub-blocks
            if at + 10 > end:
                return None
            flags = data[at + 9]
            at += 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0) + 1
        else:
            return -1
        while parts < MAX_PARTS:  # sub-blocks, each its length then its bytes, to one of length 0
            parts += 1
            if at >= end:
                return None
            length = data[at]
            at += 1 + length
            if length == 0:
                break
    return -1
