"""Writing packages as zips LMSs accept, byte for byte the same for the same input.

- entries in a fixed order (the descriptor first, then by name), with a fixed timestamp
  (SOURCE_DATE_EPOCH when set) and fixed permissions;
- already-compressed media stored, text deflated;
- written to a temporary file beside the target and renamed: a failed build never leaves
  a partial zip and never replaces a good one;
- files copied from disk only as :class:`~modpack.files.ModuleFile`, which the file rule
  approved and which re-checks itself as it is opened: a plain path is refused.
"""

from __future__ import annotations

import errno
import hashlib
import os
import posixpath
import struct
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO, Iterator

from ..definition.files import ModuleFile
from .. import filehash, signals
from ..compress import LEVEL as _LEVEL, compressor as _compressor, deflate, zlib
from .ahead import DeflateAhead

STORED_SUFFIXES = frozenset(
    ".jpg .jpeg .png .gif .webp .mp3 .m4a .aac .ogg .oga .opus .mp4 .m4v .webm .pdf .woff .woff2 .zip .gz".split()
)
DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip can hold
_CHUNK = 1 << 20


def fixed_time() -> tuple[int, int, int, int, int, int]:
    """The timestamp of every entry: SOURCE_DATE_EPOCH (reproducible-builds.org), else 1980-01-01."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    epoch = int(raw) if raw.strip().isdigit() else DEFAULT_EPOCH
    return time.gmtime(max(epoch, DEFAULT_EPOCH))[:6]


def _entry(name: str, date_time: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time)
    info.create_system = 3  # Unix, whatever the building machine is
    info.external_attr = 0o100644 << 16
    info.compress_type = zipfile.ZIP_STORED if _stored(name) else zipfile.ZIP_DEFLATED
    return info


def _stored(name: str) -> bool:
    """Whether the entry is stored as it is: already compressed media gain nothing from deflate."""
    return posixpath.splitext(name)[1].lower() in STORED_SUFFIXES


def write_zip(target: Path, files: dict[str, bytes | ModuleFile], first: str | None = None) -> Path:
    """Write ``files`` (archive name -> bytes, or an approved file to copy) to ``target`` atomically."""
    os.replace(stage_zip(target, files, first), target)
    return target


def _copy(source: ModuleFile, info: zipfile.ZipInfo, archive: zipfile.ZipFile) -> None:
    """Copy an approved file into the zip (zipfile's way; see _PlainZip.copy for the usual one)."""
    with source.open() as reader:
        info.file_size = os.fstat(reader.fileno()).st_size
        with archive.open(info, "w", force_zip64=info.file_size > 2**31) as out:
            for chunk in _hashed_chunks(reader):
                out.write(chunk)


def _hashed_chunks(reader: BinaryIO) -> Iterator[bytes]:
    """A file's bytes in chunks, hashed on the way: the rebuild record needs the hash, and reading
    75 MB of media twice would cost more than the zip itself. Kept (filehash.py) once all is read,
    unless the file changed meanwhile."""
    before = os.fstat(reader.fileno())
    digest = hashlib.sha256()
    while chunk := reader.read(_CHUNK):
        digest.update(chunk)
        yield chunk
    if filehash.state(os.fstat(reader.fileno())) == filehash.state(before):
        filehash.remember(before, digest.hexdigest())


def stage_zip(target: Path, files: dict[str, bytes | ModuleFile], first: str | None = None,
              ahead: DeflateAhead | None = None) -> Path:
    """Write the zip to a temporary file beside ``target`` and return it; renaming it publishes it.
    Text ``ahead`` has deflated already is taken from it (the same bytes)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    names = sorted(files)
    if first in files:
        names.remove(first)
        names.insert(0, first)
    for name in names:  # defence in depth: only what the file rule approved is ever read from disk
        if not isinstance(files[name], (bytes, ModuleFile)):
            raise TypeError(f"{name}: a package holds bytes or an approved ModuleFile, not {type(files[name]).__name__}")
    date_time = fixed_time()
    temporary = None
    try:
        with signals.deferred():  # made and its removal set up before a kill is let in (signals.py)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(handle, "wb") as raw:
            if len(names) < PLAIN_MAX_ENTRIES and _total_size(files) < PLAIN_MAX_BYTES:
                _write_plain(raw, names, files, date_time, ahead)
            else:
                _write_with_zipfile(raw, names, files, date_time)
        os.chmod(temporary, 0o644)
    except BaseException:
        with signals.deferred():  # a second signal waits for the clean-up
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def _write_with_zipfile(raw: BinaryIO, names: list[str], files: dict[str, bytes | ModuleFile],
                        date_time: tuple[int, int, int, int, int, int]) -> None:
    """A package too large for :func:`_write_plain` (ZIP64), written by zipfile, one entry at a time."""
    with zipfile.ZipFile(raw, "w", compresslevel=_LEVEL) as archive:
        for name in names:
            info = _entry(name, date_time)
            source = files[name]
            if isinstance(source, bytes):
                archive.writestr(info, source)
            else:
                _copy(source, info, archive)


# The usual package, far below ZIP64's limits, is written by _write_plain: the same bytes zipfile
# writes (tests/test_build.py compares them), but its text deflated on every core first. zipfile
# deflates in the thread that writes, one entry after the other, and for 2,000 pages that was most
# of a build's writing. Past these limits (a package of more than 1 GiB) zipfile writes it all.
PLAIN_MAX_ENTRIES = 0xFFFF
PLAIN_MAX_BYTES = 1 << 30
_PARALLEL_FROM = 256 * 1024  # bytes to deflate below which threads cost more than they save


def _total_size(files: dict[str, bytes | ModuleFile]) -> int:
    return sum(len(source) if isinstance(source, bytes) else source.size for source in files.values())


def _deflate_all(blobs: list[bytes]) -> list[bytes]:
    """Each blob deflated; on several threads when there is enough (zlib lets go of the GIL), each
    thread given a share at once, not one task per blob (2,000 tasks cost more than they saved)."""
    workers = min(os.cpu_count() or 1, len(blobs))
    if workers < 2 or sum(map(len, blobs)) < _PARALLEL_FROM:
        return [deflate(blob) for blob in blobs]
    with ThreadPoolExecutor(workers) as pool:
        shares = list(pool.map(lambda k: [deflate(blob) for blob in blobs[k::workers]], range(workers)))
    done: list[bytes] = [b""] * len(blobs)
    for k, share in enumerate(shares):
        done[k::workers] = share
    return done


class _PlainZip:
    """A zip without ZIP64 records, written in order; the fields are those zipfile writes."""

    def __init__(self, raw: BinaryIO, date_time: tuple[int, int, int, int, int, int]):
        self.raw = raw
        self.time = date_time[3] << 11 | date_time[4] << 5 | date_time[5] // 2
        self.date = (date_time[0] - 1980) << 9 | date_time[1] << 5 | date_time[2]
        self.central: list[bytes] = []
        self.offset = 0

    def _header(self, name: bytes, flags: int, method: int, crc: int, compressed: int, size: int) -> bytes:
        return struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, flags, method, self.time, self.date, crc,
                           compressed, size, len(name), 0) + name

    def add(self, name: str, method: int, crc: int, size: int, data: bytes) -> None:
        """An entry whose bytes (``data``, stored or deflated by ``method``) are all at hand."""
        encoded, flags = _encoded(name)
        self.raw.write(self._header(encoded, flags, method, crc, len(data), size))
        self.raw.write(data)
        self._close_entry(encoded, flags, method, crc, len(data), size, 30 + len(encoded) + len(data))

    def copy(self, name: str, method: int, source: ModuleFile) -> None:
        """An approved file copied in as it is read, hashed on the way (_hashed_chunks); its header
        is written again once its CRC and sizes are known, as zipfile does."""
        encoded, flags = _encoded(name)
        compressor = _compressor() if method == zipfile.ZIP_DEFLATED else None
        with source.open() as reader:
            before = os.fstat(reader.fileno())
            if before.st_size > zipfile.ZIP64_LIMIT:
                raise _outgrown()
            header = self._header(encoded, flags, method, 0, 0, before.st_size)
            self.raw.write(header)
            crc, size, compressed = 0, 0, 0
            for chunk in _hashed_chunks(reader):
                crc, size = zlib.crc32(chunk, crc), size + len(chunk)
                out = compressor.compress(chunk) if compressor is not None else chunk
                compressed += len(out)
                if size > zipfile.ZIP64_LIMIT or compressed > zipfile.ZIP64_LIMIT:
                    raise _outgrown()  # stopped as it happens: a file that keeps growing is not read on
                self.raw.write(out)
            if compressor is not None:
                out = compressor.flush()
                compressed += len(out)
                self.raw.write(out)
        self.raw.seek(self.offset)
        self.raw.write(self._header(encoded, flags, method, crc, compressed, size))
        self.raw.seek(0, os.SEEK_END)
        self._close_entry(encoded, flags, method, crc, compressed, size, len(header) + compressed)

    def _close_entry(self, name: bytes, flags: int, method: int, crc: int, compressed: int, size: int,
                     written: int) -> None:
        self.central.append(struct.pack(
            "<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, flags, method, self.time, self.date, crc, compressed,
            size, len(name), 0, 0, 0, 0, _EXTERNAL_ATTR, self.offset) + name)
        self.offset += written
        if self.offset > zipfile.ZIP64_LIMIT:  # files grew past a gigabyte as they were read
            raise _outgrown()

    def close(self) -> None:
        directory = b"".join(self.central)
        self.raw.write(directory)
        self.raw.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(self.central), len(self.central),
                                   len(directory), self.offset, 0))


def _outgrown() -> OSError:
    """Why a package planned well under ZIP64's limits could not be written without them."""
    return OSError(errno.EFBIG, "the package outgrew a zip without ZIP64 records as it was written (a file grew "
                                "while it was read)")


_EXTERNAL_ATTR = 0o100644 << 16  # a regular file, rw-r--r--, as _entry sets


def _encoded(name: str) -> tuple[bytes, int]:
    """The name's bytes and flags, as zipfile encodes them: ASCII, or UTF-8 marked by bit 11."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), 0x800


def _write_plain(raw: BinaryIO, names: list[str], files: dict[str, bytes | ModuleFile],
                 date_time: tuple[int, int, int, int, int, int], ahead: DeflateAhead | None = None) -> None:
    deflated = [name for name in names if isinstance(files[name], bytes) and not _stored(name)]
    known = {}  # name -> (CRC-32, deflated), from ahead
    if ahead is not None:
        for name in deflated:
            found = ahead.take(files[name])  # type: ignore[arg-type]
            if found is not None:
                known[name] = found
    rest = [name for name in deflated if name not in known]
    packed = dict(zip(rest, _deflate_all([files[name] for name in rest])))  # type: ignore[misc]
    archive = _PlainZip(raw, date_time)
    for name in names:
        source = files[name]
        method = zipfile.ZIP_STORED if _stored(name) else zipfile.ZIP_DEFLATED
        if isinstance(source, ModuleFile):
            archive.copy(name, method, source)
        elif name in known:
            crc, data = known[name]
            archive.add(name, method, crc, len(source), data)
        else:
            archive.add(name, method, zlib.crc32(source), len(source), packed.get(name, source))
    archive.close()
