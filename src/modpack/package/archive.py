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

import hashlib
import os
import posixpath
import tempfile
import time
import zipfile
from pathlib import Path

from ..definition.files import ModuleFile
from .. import filehash

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
    stored = posixpath.splitext(name)[1].lower() in STORED_SUFFIXES
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def write_zip(target: Path, files: dict[str, bytes | ModuleFile], first: str | None = None) -> Path:
    """Write ``files`` (archive name -> bytes, or an approved file to copy) to ``target`` atomically."""
    os.replace(stage_zip(target, files, first), target)
    return target


def _copy(source: ModuleFile, info: zipfile.ZipInfo, archive: zipfile.ZipFile) -> None:
    """Copy an approved file into the zip, hashing it on the way: the rebuild record needs its
    hash, and reading 75 MB of media twice would cost more than the zip itself (filehash.py)."""
    with source.open() as reader:
        before = os.fstat(reader.fileno())
        info.file_size = before.st_size
        digest = hashlib.sha256()
        with archive.open(info, "w", force_zip64=info.file_size > 2**31) as out:
            while chunk := reader.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if filehash.state(os.fstat(reader.fileno())) == filehash.state(before):
            filehash.remember(before, digest.hexdigest())


def stage_zip(target: Path, files: dict[str, bytes | ModuleFile], first: str | None = None) -> Path:
    """Write the zip to a temporary file beside ``target`` and return it; renaming it publishes it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    names = sorted(files)
    if first in files:
        names.remove(first)
        names.insert(0, first)
    date_time = fixed_time()
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", compresslevel=6) as archive:
            for name in names:
                info = _entry(name, date_time)
                source = files[name]
                if isinstance(source, bytes):
                    archive.writestr(info, source)
                elif isinstance(source, ModuleFile):
                    _copy(source, info, archive)
                else:  # defence in depth: only what the file rule approved is ever read from disk
                    raise TypeError(f"{name}: a package holds bytes or an approved ModuleFile, not {type(source).__name__}")
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)
