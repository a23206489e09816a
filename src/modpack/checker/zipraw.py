"""The zip's own bytes, read apart from ``zipfile``: where two unpackers could see two packages.

``zipfile`` trusts the central directory and smooths over the rest; an LMS's unpacker may walk
the local headers instead, or stop a name at a NUL. A package checked as one thing and unpacked
as another is how a reviewed package smuggles a file in, so each such difference is an error:
a local header whose name is not the central directory's (APPNOTE 4.3.7 and 4.3.12 both hold
the name), bytes no listed entry covers (a hidden entry, or an executable stub in front),
entries that share data, and archives split over disks (APPNOTE 8.0), which no LMS reads.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

_LOCAL = struct.Struct("<4s5H3L2H")  # APPNOTE 4.3.7: the 30 bytes before a local name
_EOCD = struct.Struct("<4s4H2LH")  # APPNOTE 4.3.16
_ZIP64_LOCATOR = struct.Struct("<4sLQL")  # APPNOTE 4.3.15
_DESCRIPTOR_SIGNATURE = b"PK\x07\x08"


@dataclass
class Layout:
    """What the raw bytes say beside the central directory."""

    renamed: dict[str, str] = field(default_factory=dict)  # central name -> the local header's name
    unlisted: list[tuple[int, int, bool]] = field(default_factory=list)  # (offset, size, holds a local header)
    shared: list[tuple[str, str]] = field(default_factory=list)  # (entry, the entry whose bytes it overlaps)
    disks: int = 1


def raw_name(info: zipfile.ZipInfo) -> bytes:
    """The name's bytes as the central directory holds them (``orig_filename`` keeps a NUL)."""
    return info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "surrogateescape")


def _local_extent(handle: BinaryIO, info: zipfile.ZipInfo, limit: int) -> tuple[bytes | None, int]:
    """The local header's name (None: no local header there) and where the entry's bytes end."""
    handle.seek(info.header_offset)
    head = handle.read(_LOCAL.size)
    if len(head) < _LOCAL.size or head[:4] != b"PK\x03\x04":
        return None, info.header_offset
    fields = _LOCAL.unpack(head)
    name_length, extra_length = fields[9], fields[10]
    name = handle.read(name_length)
    end = info.header_offset + _LOCAL.size + name_length + extra_length + info.compress_size
    if info.flag_bits & 0x08:  # a data descriptor follows the data: 12 or 16 bytes, 20 or 24 for zip64
        handle.seek(end)
        signed = handle.read(4) == _DESCRIPTOR_SIGNATURE
        zip64 = info.compress_size >= 0xFFFFFFFF or info.file_size >= 0xFFFFFFFF
        end += (16 if signed else 12) + (8 if zip64 else 0)
    return name, min(end, limit)


def _disks(handle: BinaryIO, size: int) -> int:
    """How many disks the archive says it spans (1 for every zip an LMS can read)."""
    tail_size = min(size, _EOCD.size + 0xFFFF + _ZIP64_LOCATOR.size)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return 1
    _, disk, cd_disk, on_disk, total, *_ = _EOCD.unpack_from(tail, at)
    disks = 1 + max(disk, cd_disk) if (disk, cd_disk) != (0xFFFF, 0xFFFF) else 1
    if on_disk != total and total != 0xFFFF:
        disks = max(disks, 2)
    locator = at - _ZIP64_LOCATOR.size
    if locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
        disks = max(disks, _ZIP64_LOCATOR.unpack_from(tail, locator)[3])
    return disks


def _holds_local_header(handle: BinaryIO, offset: int, size: int) -> bool:
    handle.seek(offset)
    return b"PK\x03\x04" in handle.read(min(size, 1 << 20))


def layout(handle: BinaryIO, infos: list[zipfile.ZipInfo], central_directory: int) -> Layout:
    """Compare the local headers and the bytes between them with the central directory.

    Linear in the entries (sorted once by offset); reads 30 bytes and a name per entry, and at most
    1 MiB of each gap."""
    handle.seek(0, 2)
    size = handle.tell()
    found = Layout(disks=_disks(handle, size))
    extents = []
    for info in infos:
        name, end = _local_extent(handle, info, central_directory)
        if name is not None and name != raw_name(info):
            found.renamed[info.filename] = name.decode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace")
        extents.append((info.header_offset, end, info.filename))
    extents.sort()
    cursor, last = 0, ""
    for start, end, entry in extents:
        if start > cursor:
            found.unlisted.append((cursor, start - cursor, _holds_local_header(handle, cursor, start - cursor)))
        elif start < cursor:
            found.shared.append((entry, last))
        if end > cursor:
            cursor, last = end, entry
    if central_directory > cursor:
        gap = central_directory - cursor
        found.unlisted.append((cursor, gap, _holds_local_header(handle, cursor, gap)))
    return found
