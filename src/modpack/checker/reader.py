"""Reading a package (zip or folder) into memory under limits, refusing what could hurt.

Nothing is extracted to disk. Entry names that could escape a folder (``..``, absolute, drive
letters), symbolic links, duplicate names and names that are not valid UTF-8 are refused;
zip bombs are caught by caps on entry count, total size and compression ratio, and by reading
every entry in chunks that stop at its declared size.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from ..compress import ERRORS, zlib
from . import zipraw
from .report import Report
from ..folders import walk
from ..messages import t

# what reading an entry raises when the entry (not this code) is broken
_DAMAGED: tuple[type[BaseException], ...] = (zipfile.BadZipFile, *ERRORS, EOFError, OSError, NotImplementedError,
                                             ValueError)
_DAMAGED_OR_ENCRYPTED: tuple[type[BaseException], ...] = (*_DAMAGED, RuntimeError)  # zipfile raises RuntimeError for an encrypted entry


@dataclass(frozen=True)
class Limits:
    max_entries: int = 20_000
    max_total_size: int = 2 * 1024**3      # uncompressed, all entries together
    max_entry_size: int = 1024**3
    max_ratio: int = 200                  # uncompressed / compressed, for entries over 1 MiB
    max_descriptor_size: int = 8 * 1024**2
    max_scanned_size: int = 4 * 1024**2    # text files scanned for credentials
    # every byte inflated by every read of the package, counted each time: entries that overlap (share
    # compressed data) each count in full, so a small zip cannot make the check inflate without end
    max_inflated: int = 2 * 1024**3 + 64 * 1024**2
    max_scanned_total: int = 256 * 1024**2  # text searched for credentials' keywords, in all
    max_scan_work: int = 24 * 1024**2      # bytes the credential patterns examine in all (see names.py)


LIMITS = Limits()
_WINDOW = 1 << 16  # compressed bytes handed to zlib at a time (Package._plain_chunks)
IN_MEMORY = 32 << 20  # a zip up to this size is read whole, in one read (Package._open_zip_file)


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
        return t("contains a NUL character")
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return t("is an absolute path")
    parts = re.split(r"[\\/]", name)
    if ".." in parts:
        return t("climbs out of the package with '..'")
    return None


# the root element of a descriptor given alone, and the name it has in a package
_ROOT_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(courseStructure|manifest|tincan)[\s>/]")
_DESCRIPTOR_OF = {"courseStructure": "cmi5.xml", "manifest": "imsmanifest.xml", "tincan": "tincan.xml"}

_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})


def script_scheme(url: str) -> str | None:
    """The scheme of a launch URL that is script or inline content, not a page: an LMS that launches
    it runs what it holds at its own address. Read as browsers read URLs (WHATWG URL §4.4: leading
    C0 controls and spaces are stripped and tabs and newlines anywhere removed, so 'java\tscript:'
    is javascript:)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    scheme = match.group(1).lower() if match else None
    return scheme if scheme in _SCRIPT_SCHEMES else None


def script_launch(report: Report, what: str, url: str, descriptor: str, line: int | None) -> bool:
    """Report a launch URL that is script (see script_scheme); True when it was one."""
    scheme = script_scheme(url)
    if scheme is None:
        return False
    report.error("launch-scheme", t("{what} launches a {scheme}: URL, which runs its content at the LMS's address "
                                    "instead of opening a page of the package", what=what, scheme=scheme), file=descriptor, line=line)
    return True


# a path on the author's own computer: a drive (C:\ or C:/, also as /C:/), or a Windows share (\\server)
_AUTHORS_DRIVE = re.compile(r"(?:/*[A-Za-z]:[\\/]|\\\\)")
# an address learners elsewhere cannot reach: this computer, or a private network (RFC 1918)
_PRIVATE_HOST = re.compile(r"(?i)(?:https?:)?//(?:localhost|127\.|0\.0\.0\.0|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|"
                           r"\[::1\])")


def climbs_out(base: str, href: str) -> bool:
    """Whether ``href`` (relative to ``base``) goes above the package's root with '..': an LMS
    serves the package's own files, so the browser would ask for a file that is not there."""
    href = href.split("#", 1)[0].split("?", 1)[0]
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith(("/", "\\")):
        return False
    from urllib.parse import unquote

    depth = 0
    for part in base.split("/") + unquote(href).replace("\\", "/").split("/"):
        if part == "..":
            if depth == 0:
                return True
            depth -= 1
        elif part not in ("", "."):
            depth += 1
    return False


def unplayable_launch(report: Report, what: str, url: str, descriptor: str, line: int | None, base: str) -> bool:
    """Report a launch URL no learner can open: script (see script_launch), a file on the author's
    computer, a path out of the package, an address on the author's own network. True when it was
    one: the caller looks no further at it."""
    if script_launch(report, what, url, descriptor, line):
        return True
    cleaned = url.strip()
    if _AUTHORS_DRIVE.match(cleaned) or cleaned.lower().startswith("file:"):
        report.error("launch-local", t("{what} launches '{url}', a file on the author's computer: no learner can "
                                       "open it (launch a file of the package, by a path relative to the "
                                       "descriptor)", what=what, url=url), file=descriptor,
                     line=line)
        return True
    if climbs_out(base, cleaned):
        report.error("outside-package", t("{what} launches '{url}', which climbs out of the package with '..': an "
                                          "LMS serves only the package's own files", what=what, url=url), file=descriptor, line=line)
        return True
    if _PRIVATE_HOST.match(cleaned):
        report.warning("launch-local", t("{what} launches '{url}', an address on the author's own computer or "
                                         "network: learners elsewhere cannot reach it", what=what, url=url), file=descriptor, line=line)
        return True
    return False


class Package:
    """The files of a package, read lazily and within limits."""

    def __init__(self, source: Path, report: Report, limits: Limits = LIMITS, data: bytes | None = None):
        """``data``: the zip's bytes, read already by the caller (``source`` then only names it):
        what the caller goes on to read is then the very zip checked here."""
        self.source = source
        self.limits = limits
        self.report = report
        self.entries: dict[str, Entry] = {}
        self._infos: dict[str, zipfile.ZipInfo] = {}  # opened by their ZipInfo: a re-decoded name is not a key
        self._zip: zipfile.ZipFile | None = None
        self._fd: int | None = None  # the zip's descriptor, for reading plain entries without zipfile's objects
        self._data: memoryview | None = None  # or the whole zip, when it was small enough to read at once
        self._handle: BinaryIO | None = None
        self._folder: Path | None = None
        self.inflated = 0  # bytes inflated so far, by every read (see Limits.max_inflated)
        self._whole: dict[str, bytes] = {}  # entries read whole (descriptors): never inflated again
        self._paths: dict[str, Path] = {}  # a descriptor given alone: its entry name -> the file
        self.standalone = False
        if data is not None:  # the bytes given are what is checked, whatever the path is by now
            self._read_zip(source, data)
        elif source.is_dir():
            self._read_folder(source)
        elif source.suffix.lower() == ".xml":
            self._read_descriptor(source)
        else:
            self._read_zip(source)
        report.files = len(self.entries)
        report.size = sum(e.size for e in self.entries.values())

    # -- opening ---------------------------------------------------------------

    def _read_zip(self, source: Path, data: bytes | None = None) -> None:
        handle = self._open_zip_file(source) if data is None else io.BytesIO(data)
        try:
            archive = zipfile.ZipFile(handle)
        except UnicodeDecodeError:
            handle.close()
            raise Unreadable(t("entry names are marked as UTF-8 but are not valid UTF-8")) from None
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            handle.close()
            raise Unreadable(t("not a readable zip file ({exc})", exc=exc)) from None
        self._handle = handle  # zipfile does not close a file it was given: closed by close()
        infos = archive.infolist()
        if len(infos) > self.limits.max_entries:
            raise Unreadable(t("{count} entries: more than the {max_entries} this check reads",
                               count=len(infos), max_entries=self.limits.max_entries))
        total = sum(i.file_size for i in infos)
        if total > self.limits.max_total_size:
            raise Unreadable(t("it would unpack to {total} bytes, over the {max_total_size}-byte limit (a zip "
                               "bomb, or too large for any LMS)",
                               total=total, max_total_size=self.limits.max_total_size))
        renamed = self._judge_layout(handle, archive, infos)
        seen: set[str] = set()
        backslashed: list[str] = []  # one finding for them all, as a Windows tool writes every name so
        for info in infos:
            name = info.filename
            if "\x00" in info.orig_filename:  # zipfile cuts the name at the NUL; other unpackers keep it
                shown = info.orig_filename.replace("\x00", "\\x00")
                self.report.error("name-nul", t("refused: the name holds a NUL character; some unpackers cut it "
                                                "there (to '{name}'), others keep it, so two tools see two packages",
                                                name=name), file=shown)
                continue
            if name in renamed:
                self.report.error("name-differs", t("refused: the entry's local header names it '{renamed}'; an "
                                                    "unpacker that reads local headers would write another file "
                                                    "than the one checked", renamed=renamed[name]), file=name)
                continue
            if not info.flag_bits & 0x800 and not name.isascii():
                raw = name.encode("cp437", "replace")
                try:
                    name = raw.decode("utf-8")
                    self.report.warning("name-encoding", t("the name is UTF-8 but not marked so; some LMSs will "
                                                           "garble it"),
                                        file=name)
                except UnicodeDecodeError:
                    shown = raw.decode("utf-8", "backslashreplace")
                    self.report.error("name-not-utf8", t("refused: the entry name is not valid UTF-8; LMSs cannot "
                                                         "store it"), file=shown)
                    continue
            why = unsafe_name(name)
            if why:
                self.report.error("zip-slip", t("refused: the entry name {why}; unpacking it could overwrite files "
                                                "outside the LMS's folder", why=why), file=name)
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                self.report.error("symlink", t("refused: the entry is a symbolic link, which could point anywhere "
                                               "on the LMS's server"), file=name)
                continue
            if "\\" in name:
                # Windows tools wrote the separator their way: Moodle (zip_archive) reads it as '/', so the
                # file is matched under that name; other unpackers make one file named 'a\b'
                backslashed.append(name)
                name = name.replace("\\", "/")
            if name in seen:
                self.report.error("duplicate-entry", t("refused: two entries have this name; which one an LMS "
                                                       "keeps is unpredictable"), file=name)
                continue
            seen.add(name)
            if name.endswith("/"):
                continue
            if info.file_size > self.limits.max_entry_size:
                raise Unreadable(t("'{name}' would unpack to {file_size} bytes, over the limit",
                                   name=name, file_size=info.file_size))
            if info.file_size > 1024**2 and info.file_size > self.limits.max_ratio * max(info.compress_size, 1):
                raise Unreadable(t("'{name}' is compressed {value} to 1: a zip bomb is refused",
                                   name=name, value=info.file_size // max(info.compress_size, 1)))
            self.entries[name] = Entry(name, info.file_size, info.compress_size)
            self._infos[name] = info
        if backslashed:
            shown = ", ".join(f"'{name}'" for name in backslashed[:5]) + (
                t(" and {count} more", count=len(backslashed) - 5) if len(backslashed) > 5 else "")
            self.report.warning("name-backslash", t("{count} name(s) separate folders with '\\', not '/' (APPNOTE "
                                                    "4.4.17.1): {shown}. Moodle reads them as folders, other "
                                                    "unpackers make one file of each whole name; zip the package "
                                                    "again with a tool that writes '/'", count=len(backslashed),
                                                    shown=shown), file=backslashed[0])
        self._zip = archive
        if isinstance(handle, io.BytesIO):
            self._data = handle.getbuffer().toreadonly()
        elif hasattr(os, "pread"):  # positioned reads (not a mapping: a file cut short under one kills the process)
            self._fd = handle.fileno()

    def _open_zip_file(self, source: Path) -> BinaryIO:
        """The zip, opened once and only if it is a regular file (opening a FIFO would wait for a
        writer; a device never ends). Up to IN_MEMORY bytes it is read whole, in one read: then
        no entry's header or data costs a system call of its own."""
        try:
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            raise Unreadable(t("not a readable zip file ({strerror})", strerror=exc.strerror)) from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise Unreadable(t("not a regular file: a FIFO, device or socket is never read"))
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
            if info.st_size <= IN_MEMORY:
                data = bytearray()
                while len(data) <= IN_MEMORY and (piece := os.read(fd, IN_MEMORY + 1 - len(data))):
                    data += piece
                if len(data) <= IN_MEMORY:  # else it grew as it was read: read in place, as a large one
                    os.close(fd)
                    return io.BytesIO(bytes(data))
                os.lseek(fd, 0, os.SEEK_SET)
            return os.fdopen(fd, "rb")
        except OSError as exc:
            os.close(fd)
            raise Unreadable(t("not a readable zip file ({strerror})", strerror=exc.strerror)) from None
        except BaseException:
            os.close(fd)
            raise

    def _judge_layout(self, handle: BinaryIO, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, str]:
        """Zip differentials (see zipraw): the names whose local header says otherwise, reported."""
        try:
            found = zipraw.layout(handle, infos, getattr(archive, "start_dir", 0))
        except (OSError, ValueError, OverflowError) as exc:  # ValueError: an offset no file can reach (2**63)
            raise Unreadable(t("not a readable zip file ({exc})", exc=exc)) from None
        if found.disks > 1:
            raise Unreadable(t("the zip is one part of an archive split over {disks} disks; LMSs read whole zips "
                               "only: join it (zip -s 0) and check the result", disks=found.disks))
        for offset, size, hidden in found.unlisted:
            if hidden:
                self.report.error("hidden-entry", t("{size} bytes at offset {offset} hold a file the central "
                                                    "directory does not list: an unpacker that walks local headers "
                                                    "would unpack it, unchecked",
                                                    size=size, offset=offset))
            else:
                self.report.error("unlisted-data", t("{size} bytes at offset {offset} belong to no entry (data in "
                                                     "front of or between the files, e.g. an executable stub); "
                                                     "LMSs' unpackers disagree on such zips: zip the files again",
                                                     size=size, offset=offset))
        for name, other in found.shared:
            self.report.error("shared-data", t("the entry's bytes overlap those of '{other}': a zip made by a zip "
                                               "tool never does this (a zip bomb, or two names for one file)",
                                               other=other), file=name)
        return found.renamed

    def _read_folder(self, root: Path) -> None:
        """Regular files only, each looked at once with lstat: a FIFO, socket or device is reported and
        never opened (opening a FIFO blocks), a symlink is never followed, an unreadable folder is a
        finding, not a crash."""
        total = 0
        problems: list[OSError] = []
        for folder, dirs, files in walk(root, onerror=problems.append):
            here = Path(folder)
            for error in problems:
                self._unreadable_folder(root, error)
            problems.clear()
            keep = []
            for name in sorted(dirs):
                rel = self._relative(root, here / name)
                if rel is None:
                    continue
                try:
                    mode = os.lstat(here / name).st_mode
                except OSError as exc:
                    self.report.error("unreadable-file", t("cannot be read ({strerror})", strerror=exc.strerror), file=rel)
                    continue
                if stat.S_ISLNK(mode):
                    self.report.error("symlink", t("refused: a symbolic link, which could point anywhere"), file=rel)
                else:
                    keep.append(name)
            dirs[:] = keep
            for name in sorted(files):
                path = here / name
                rel = self._relative(root, path)
                if rel is None:
                    continue
                try:
                    info = os.lstat(path)
                except OSError as exc:
                    self.report.error("unreadable-file", t("cannot be read ({strerror})", strerror=exc.strerror), file=rel)
                    continue
                if stat.S_ISLNK(info.st_mode):
                    self.report.error("symlink", t("refused: a symbolic link, which could point anywhere"), file=rel)
                    continue
                if not stat.S_ISREG(info.st_mode):
                    kind = (t("a named pipe (FIFO)") if stat.S_ISFIFO(info.st_mode) else t("a socket")
                            if stat.S_ISSOCK(info.st_mode) else t("a device") if stat.S_ISCHR(info.st_mode)
                            or stat.S_ISBLK(info.st_mode) else t("not a regular file"))
                    self.report.error("special-file", t("refused: {kind}, not a file: it cannot be zipped or "
                                                        "served, and reading it could block or never end", kind=kind), file=rel)
                    continue
                if info.st_nlink > 1:
                    self.report.warning("hard-link", t("this file has {st_nlink} names (a hard link): the other "
                                                       "may be outside the package, and a zip would hold a copy",
                                                       st_nlink=info.st_nlink), file=rel)
                if not os.access(path, os.R_OK):
                    self.report.error("unreadable-file", t("cannot be read (no permission)"), file=rel)
                    continue
                total += info.st_size
                if len(self.entries) >= self.limits.max_entries or total > self.limits.max_total_size:
                    raise Unreadable(t("the folder holds more files or bytes than this check reads"))
                self.entries[rel] = Entry(rel, info.st_size, info.st_size)
        for error in problems:  # a folder that could not be listed last
            self._unreadable_folder(root, error)
        self._folder = root

    def _read_descriptor(self, path: Path) -> None:
        """A descriptor given alone, as cmi5 allows a course structure to be (§14.2) and as LMSs take a
        manifest to look at: the package of that one file, under the name its root element says."""
        try:
            info = os.stat(path)
        except OSError as exc:
            raise Unreadable(t("cannot be read ({strerror})", strerror=exc.strerror)) from None
        with os.fdopen(self._open_path(path), "rb") as handle:
            head = handle.read(64 * 1024)
        root = _ROOT_ELEMENT.search(re.sub(rb"<!--.*?-->|<\?.*?\?>", b"", head, flags=re.S))
        name = _DESCRIPTOR_OF.get(root.group(1).decode()) if root else None
        if name is None:
            raise Unreadable(t("an XML file that is not a course structure (cmi5.xml), a manifest "
                               "(imsmanifest.xml) or a Tin Can descriptor (tincan.xml)"))
        self.standalone = True
        self._folder = path.parent
        self._paths[name] = path
        self.entries[name] = Entry(name, info.st_size, info.st_size)

    def _relative(self, root: Path, path: Path) -> str | None:
        """The entry name of a path in the folder; None (reported) when it is not valid UTF-8."""
        rel = path.relative_to(root).as_posix()
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
            self.report.error("name-not-utf8", t("refused: the name is not valid UTF-8; LMSs cannot store it"),
                              file=shown)
            return None
        return rel

    def _unreadable_folder(self, root: Path, error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        try:
            rel = where.relative_to(root).as_posix() or "."
        except ValueError:
            rel = str(where)
        shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
        self.report.error("unreadable-file", t("the folder cannot be read ({strerror}): its files are not checked",
                                               strerror=error.strerror), file=shown)

    # -- reading ---------------------------------------------------------------

    def exists(self, name: str) -> bool:
        return name in self.entries

    def missing(self, name: str) -> bool:
        """Whether a file the descriptor names is missing: what rules ask. A descriptor given alone holds
        nothing else and is not blamed for it (run.py says once that its files were not checked)."""
        return name not in self.entries and not self.standalone

    def _spend(self, size: int) -> None:
        self.inflated += size
        if self.inflated > self.limits.max_inflated:
            raise Unreadable(t("reading it would inflate more than {max_inflated} bytes in all (entries that share "
                               "compressed data count each time): refused as a zip bomb",
                               max_inflated=self.limits.max_inflated))

    def _open_regular(self, name: str) -> int:
        """A descriptor of a folder's file, opened without following links or blocking, or Unreadable."""
        assert self._folder is not None
        return self._open_path(self._paths.get(name) or self._folder / name, name)

    @staticmethod
    def _open_path(path: Path, name: str | None = None) -> int:
        shown = name or path.name
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            raise Unreadable(t("'{shown}' cannot be read ({strerror})", shown=shown, strerror=exc.strerror)) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or device (or swapped for one since it was listed)
            os.close(fd)
            raise Unreadable(t("'{shown}' is not a regular file", shown=shown))
        return fd

    def read(self, name: str, limit: int) -> bytes:
        """The bytes of an entry, never more than ``limit`` nor than it declares (a lying header is caught)."""
        entry = self.entries[name]
        if entry.size > limit:
            raise Unreadable(t("'{name}' is {size} bytes, over the {limit} this check reads",
                               name=name, size=entry.size, limit=limit))
        if name not in self._whole:
            self._whole[name] = b"".join(self._chunks(name, min(limit, entry.size)))
        return self._whole[name]

    def _chunks(self, name: str, limit: int, size: int = 1 << 20) -> Iterator[bytes]:
        """An entry's bytes in chunks, within ``limit`` and the package's inflation budget."""
        if self._folder is not None:
            with os.fdopen(self._open_regular(name), "rb") as handle:
                total = 0
                while total < limit and (data := handle.read(min(size, limit - total))):
                    total += len(data)
                    yield data
            return
        assert self._zip is not None
        total = 0
        info = self._infos[name]
        try:
            if (self._fd is not None or self._data is not None) and _is_plain(info):
                yield from self._plain_chunks(info, limit, size)
                return
            with self._zip.open(info) as handle:
                while chunk := handle.read(size):
                    total += len(chunk)
                    self._spend(len(chunk))
                    if total > limit:
                        raise Unreadable(t("'{name}' unpacks to more than the {limit} bytes it declares: refused "
                                           "as a zip bomb",
                                           name=name, limit=limit))
                    yield chunk
        except _DAMAGED as exc:
            raise Unreadable(t("'{name}' is damaged ({exc})", name=name, exc=exc)) from None
        except RuntimeError as exc:  # encrypted entries
            raise Unreadable(t("'{name}' cannot be read ({exc})", name=name, exc=exc)) from None

    def _small_plain(self, name: str, limit: int, chunk_size: int = 1 << 20) -> bytes | None:
        """What _chunks yields, joined, for a small plain entry of a zip held in memory: at once,
        without its generators and windows, which cost more than inflating a 4 KB page. The same
        checks, the same errors; None for any other entry (it takes the general path)."""
        info = self._infos.get(name) if self._data is not None else None
        if info is None or info.compress_size > _WINDOW or not _is_plain(info):
            return None
        assert self._data is not None
        try:
            start = self._data_start(info)
            raw = self._data[start:start + info.compress_size]
            if not raw and info.compress_size:  # as the windowed reader: short input is inflated as it is
                raise EOFError("the file ends inside the entry")
            if info.compress_type == zipfile.ZIP_STORED:
                data = bytes(raw)
                self._spend(len(data))
                too_much = len(data) > limit
            else:
                # the windowed reader's steps, a chunk at most at a time: the same budget spent, the
                # same error first (damage met within a chunk, or more than declared)
                inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                parts, total, too_much = [], 0, False
                pending: bytes | memoryview = raw
                while chunk := inflate.decompress(pending, chunk_size):
                    pending = inflate.unconsumed_tail
                    total += len(chunk)
                    self._spend(len(chunk))
                    if total > limit:
                        too_much = True
                        break
                    parts.append(chunk)
                    if inflate.eof:
                        break
                if not too_much and not inflate.eof:
                    raise EOFError("the compressed data ends before its end marker")
                data = parts[0] if len(parts) == 1 else b"".join(parts)
            if too_much:
                raise Unreadable(t("'{name}' unpacks to more than the {limit} bytes it declares: refused as a zip "
                                   "bomb",
                                   name=name, limit=limit))
            if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
                raise zipfile.BadZipFile(f"Bad CRC-32 or size for file {name!r}")
            return data
        except _DAMAGED as exc:
            raise Unreadable(t("'{name}' is damaged ({exc})", name=name, exc=exc)) from None

    def _data_start(self, info: zipfile.ZipInfo) -> int:
        """Where an entry's data begins: after its local header, which must be where the central
        directory says (BadZipFile otherwise)."""
        header = self._read_at(30, info.header_offset)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("no local header where the central directory says")
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        start: int = info.header_offset + 30 + name_length + extra_length
        return start

    def _read_at(self, size: int, offset: int) -> bytes:
        """Up to ``size`` bytes of the zip from ``offset`` (fewer at its end)."""
        if self._data is not None:
            return bytes(self._data[offset:offset + size])
        assert self._fd is not None
        return os.pread(self._fd, size, offset)

    def _plain_chunks(self, info: zipfile.ZipInfo, limit: int, size: int) -> Iterator[bytes]:
        """An entry's bytes read straight from the zip file: what zipfile.open does for a plain
        (stored or deflated, unencrypted) entry, with the same checks (declared size, CRC-32), but
        without its objects, seeks and buffers, which cost as much as inflating a small page.
        Input goes to zlib a window at a time, so no pass copies more than a window of what is left."""
        name = info.filename
        start = self._data_start(info)
        end = start + info.compress_size
        inflate = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None

        def pieces() -> Iterator[bytes]:
            for at in range(start, end, _WINDOW):
                window = self._read_at(min(_WINDOW, end - at), at)
                if not window:
                    raise EOFError("the file ends inside the entry")
                if inflate is None:
                    yield window
                    continue
                while window and (chunk := inflate.decompress(window, size)):
                    window = inflate.unconsumed_tail
                    yield chunk
                if inflate.eof:
                    return
            # zlib may have read the last input while output is still pending (a window used up
            # exactly as `size` bytes came out): drained as zipfile drains it, with empty input
            while inflate is not None and not inflate.eof and (chunk := inflate.decompress(b"", size)):
                yield chunk

        total, crc = 0, 0
        for chunk in pieces():
            total += len(chunk)
            self._spend(len(chunk))
            if total > limit:
                raise Unreadable(t("'{name}' unpacks to more than the {limit} bytes it declares: refused as a zip "
                                   "bomb",
                                   name=name, limit=limit))
            crc = zlib.crc32(chunk, crc)
            yield chunk
        if inflate is not None and not inflate.eof:
            raise EOFError("the compressed data ends before its end marker")
        if total != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 or size for file {name!r}")

    def stream(self, name: str, chunk: int = 1 << 16) -> Iterator[bytes]:
        """The bytes of an entry in chunks, never more than it declares: for serving large media. Not
        counted against the inflation budget: a preview serves the same file many times."""
        entry = self.entries[name]
        total = 0
        try:
            if self._folder is not None:
                with os.fdopen(self._open_regular(name), "rb") as handle:
                    while total < entry.size and (data := handle.read(min(chunk, entry.size - total))):
                        total += len(data)
                        yield data
                return
            assert self._zip is not None
            with self._zip.open(self._infos[name]) as handle:
                while data := handle.read(chunk):
                    total += len(data)
                    if total > entry.size:
                        raise Unreadable(t("'{name}' unpacks to more than it declares: refused as a zip bomb",
                                           name=name))
                    yield data
        except _DAMAGED_OR_ENCRYPTED as exc:
            raise Unreadable(t("'{name}' is damaged ({exc})", name=name, exc=exc)) from None

    def verify(self, scan: Callable[[str, bytes], None] | None = None,
               wanted: Callable[[Entry], bool] | None = None) -> None:
        """Unpack every entry once (to nowhere): sizes a zip declares can lie, and the limits rest on
        them. Entries ``wanted`` says yes to are handed whole to ``scan`` in the same pass, so that
        no entry is inflated twice (folders: only those are read)."""
        for name, entry in self.entries.items():
            keep = scan is not None and wanted is not None and wanted(entry)
            if name in self._whole:  # read whole already, within its declared size
                if keep and scan is not None:
                    scan(name, self._whole[name])
                continue
            if self._folder is not None and not keep:
                continue
            chunks = []
            try:
                small = self._small_plain(name, entry.size)
                if small is not None:
                    chunks.append(small)
                else:
                    for chunk in self._chunks(name, entry.size):
                        if keep:
                            chunks.append(chunk)
            except Unreadable as exc:
                if self._folder is None:
                    raise
                self.report.error("unreadable-file", t("cannot be read: {exc}", exc=exc), file=name)  # one file, not the folder
                continue
            if keep and scan is not None:
                scan(name, b"".join(chunks))

    @property
    def is_zip(self) -> bool:
        return self._zip is not None

    def names(self) -> list[str]:
        return sorted(self.entries)

    def close(self) -> None:
        self._fd = None
        if self._data is not None:
            self._data.release()
            self._data = None
        if self._zip is not None:
            self._zip.close()
        if self._handle is not None:
            self._handle.close()


def _is_plain(info: zipfile.ZipInfo) -> bool:
    """Stored or deflated, neither encrypted nor patched (of those, zipfile says what it makes)."""
    return info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) and not info.flag_bits & 0x21


def _posix_parts(base: str, path: str) -> list[str]:
    """PurePosixPath(base, path).parts, without making a path object for each of 2,000 hrefs: an
    absolute ``path`` replaces ``base``; the root is '//' when it begins with exactly two slashes
    (POSIX leaves that root to the system), else '/'; empty and '.' segments go, '..' stays."""
    absolute = path.startswith("/")
    anchor = path if absolute else base
    parts = [part for part in (path.split("/") if absolute else base.split("/") + path.split("/"))
             if part and part != "."]
    if anchor.startswith("/"):
        parts.insert(0, "//" if anchor.startswith("//") and not anchor.startswith("///") else "/")
    return parts


# an href that is already a package path: plain segments, none empty, '.' or '..' (none starts with
# a dot), nothing to unquote, no scheme (no ':'), no query or fragment. Most of a manifest's hrefs.
_PLAIN_HREF = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*")


def normalise(base: str, href: str) -> str | None:
    """The package path a manifest href points at (relative to ``base``), or None if it is a URL."""
    if not base and _PLAIN_HREF.fullmatch(href):
        return href  # what the steps below make of it, 2,000 times sooner (a property test holds it)
    href = href.split("#", 1)[0].split("?", 1)[0]
    if not href or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("//"):
        return None  # a URL: with a scheme, or network-path ('//cdn.example.com/x.html', RFC 3986 §4.2)
    from urllib.parse import unquote

    parts: list[str] = []
    for part in _posix_parts(base, unquote(href).replace("\\", "/")):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)
