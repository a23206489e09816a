"""Reading a package (zip or folder) into memory under limits, refusing what could hurt.

Nothing is extracted to disk. Entry names that could escape a folder (``..``, absolute, drive
letters), symbolic links, duplicate names and names that are not valid UTF-8 are refused;
zip bombs are caught by caps on entry count, total size and compression ratio, and by reading
every entry in chunks that stop at its declared size.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from .report import Report


@dataclass(frozen=True)
class Limits:
    max_entries: int = 20_000
    max_total_size: int = 2 * 1024**3      # uncompressed, all entries together
    max_entry_size: int = 1024**3
    max_ratio: int = 200                  # uncompressed / compressed, for entries over 1 MiB
    max_descriptor_size: int = 8 * 1024**2
    max_scanned_size: int = 4 * 1024**2    # text files scanned for credentials


LIMITS = Limits()


class Unreadable(Exception):
    """The package cannot be read (safely) at all."""


@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    compressed: int


_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_name(name: str) -> str | None:
    """Why an entry name could write outside the folder it is unpacked in, or None."""
    if "\x00" in name:
        return "contains a NUL character"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "is an absolute path"
    parts = re.split(r"[\\/]", name)
    if ".." in parts:
        return "climbs out of the package with '..'"
    return None


class Package:
    """The files of a package, read lazily and within limits."""

    def __init__(self, source: Path, report: Report, limits: Limits = LIMITS):
        self.source = source
        self.limits = limits
        self.report = report
        self.entries: dict[str, Entry] = {}
        self._infos: dict[str, zipfile.ZipInfo] = {}  # opened by their ZipInfo: a re-decoded name is not a key
        self._zip: zipfile.ZipFile | None = None
        self._folder: Path | None = None
        if source.is_dir():
            self._read_folder(source)
        else:
            self._read_zip(source)
        report.files = len(self.entries)
        report.size = sum(e.size for e in self.entries.values())

    # -- opening ---------------------------------------------------------------

    def _read_zip(self, source: Path) -> None:
        try:
            archive = zipfile.ZipFile(source)
        except UnicodeDecodeError:
            raise Unreadable("entry names are marked as UTF-8 but are not valid UTF-8") from None
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise Unreadable(f"not a readable zip file ({exc})") from None
        infos = archive.infolist()
        if len(infos) > self.limits.max_entries:
            raise Unreadable(f"{len(infos)} entries: more than the {self.limits.max_entries} this check reads")
        total = sum(i.file_size for i in infos)
        if total > self.limits.max_total_size:
            raise Unreadable(f"it would unpack to {total:,} bytes, over the {self.limits.max_total_size:,}-byte limit "
                             "(a zip bomb, or too large for any LMS)")
        seen: set[str] = set()
        for info in infos:
            name = info.filename
            if not info.flag_bits & 0x800 and not name.isascii():
                raw = name.encode("cp437", "replace")
                try:
                    name = raw.decode("utf-8")
                    self.report.warning("name-encoding", "the name is UTF-8 but not marked so; some LMSs will garble it",
                                        file=name)
                except UnicodeDecodeError:
                    shown = raw.decode("utf-8", "backslashreplace")
                    self.report.error("name-not-utf8", "refused: the entry name is not valid UTF-8; LMSs cannot "
                                      "store it", file=shown)
                    continue
            why = unsafe_name(name)
            if why:
                self.report.error("zip-slip", f"refused: the entry name {why}; unpacking it could overwrite files "
                                  "outside the LMS's folder", file=name)
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                self.report.error("symlink", "refused: the entry is a symbolic link, which could point anywhere on "
                                  "the LMS's server", file=name)
                continue
            if name in seen:
                self.report.error("duplicate-entry", "refused: two entries have this name; which one an LMS keeps "
                                  "is unpredictable", file=name)
                continue
            seen.add(name)
            if name.endswith("/"):
                continue
            if info.file_size > self.limits.max_entry_size:
                raise Unreadable(f"'{name}' would unpack to {info.file_size:,} bytes, over the limit")
            if info.file_size > 1024**2 and info.file_size > self.limits.max_ratio * max(info.compress_size, 1):
                raise Unreadable(f"'{name}' is compressed {info.file_size // max(info.compress_size, 1)} to 1: "
                                 "a zip bomb is refused")
            self.entries[name] = Entry(name, info.file_size, info.compress_size)
            self._infos[name] = info
        self._zip = archive

    def _read_folder(self, root: Path) -> None:
        total = 0
        for folder, dirs, files in os.walk(root, followlinks=False):
            here = Path(folder)
            for name in sorted(dirs):
                if (here / name).is_symlink():
                    rel = (here / name).relative_to(root).as_posix()
                    self.report.error("symlink", "refused: a symbolic link, which could point anywhere", file=rel)
            dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
            for name in files:
                path = here / name
                rel = path.relative_to(root).as_posix()
                if path.is_symlink():
                    self.report.error("symlink", "refused: a symbolic link, which could point anywhere", file=rel)
                    continue
                size = path.stat().st_size
                total += size
                if len(self.entries) >= self.limits.max_entries or total > self.limits.max_total_size:
                    raise Unreadable("the folder holds more files or bytes than this check reads")
                self.entries[rel] = Entry(rel, size, size)
        self._folder = root

    # -- reading ---------------------------------------------------------------

    def exists(self, name: str) -> bool:
        return name in self.entries

    def read(self, name: str, limit: int) -> bytes:
        """The bytes of an entry, never more than ``limit`` nor than it declares (a lying header is caught)."""
        entry = self.entries[name]
        if entry.size > limit:
            raise Unreadable(f"'{name}' is {entry.size:,} bytes, over the {limit:,} this check reads")
        if self._folder is not None:
            with (self._folder / name).open("rb") as handle:
                return handle.read(limit)
        assert self._zip is not None
        chunks, total = [], 0
        try:
            with self._zip.open(self._infos[name]) as handle:
                while True:
                    chunk = handle.read(65536)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > min(limit, entry.size):
                        raise Unreadable(f"'{name}' unpacks to more than it declares: refused as a zip bomb")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
            raise Unreadable(f"'{name}' is damaged ({exc})") from None
        except RuntimeError as exc:  # encrypted entries
            raise Unreadable(f"'{name}' cannot be read ({exc})") from None
        return b"".join(chunks)

    def stream(self, name: str, chunk: int = 1 << 16) -> Iterator[bytes]:
        """The bytes of an entry in chunks, never more than it declares: for serving large media."""
        entry = self.entries[name]
        total = 0
        try:
            if self._folder is not None:
                fd = os.open(self._folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
                with os.fdopen(fd, "rb") as handle:
                    if not stat.S_ISREG(os.fstat(fd).st_mode):
                        raise Unreadable(f"'{name}' is not a regular file")
                    while total < entry.size and (data := handle.read(min(chunk, entry.size - total))):
                        total += len(data)
                        yield data
                return
            assert self._zip is not None
            with self._zip.open(self._infos[name]) as handle:
                while data := handle.read(chunk):
                    total += len(data)
                    if total > entry.size:
                        raise Unreadable(f"'{name}' unpacks to more than it declares: refused as a zip bomb")
                    yield data
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError,
                RuntimeError) as exc:
            raise Unreadable(f"'{name}' is damaged ({exc})") from None

    def verify(self) -> None:
        """Unpack every entry (to nowhere): sizes a zip declares can lie, and the limits rest on them."""
        if self._zip is None:
            return
        for name, entry in self.entries.items():
            total = 0
            try:
                with self._zip.open(self._infos[name]) as handle:
                    while chunk := handle.read(1 << 20):
                        total += len(chunk)
                        if total > entry.size:
                            raise Unreadable(f"'{name}' unpacks to more than the {entry.size:,} bytes it declares: "
                                             "refused as a zip bomb")
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError,
                    RuntimeError) as exc:
                raise Unreadable(f"'{name}' is damaged ({exc})") from None

    def names(self) -> list[str]:
        return sorted(self.entries)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def normalise(base: str, href: str) -> str | None:
    """The package path a manifest href points at (relative to ``base``), or None if it is a URL."""
    href = href.split("#", 1)[0].split("?", 1)[0]
    if not href or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):
        return None
    from urllib.parse import unquote

    path = PurePosixPath(base, unquote(href).replace("\\", "/"))
    parts: list[str] = []
    for part in path.parts:
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)
