"""Rebuilds skipped when nothing changed: a content hash of a build's inputs, kept beside its output.

A content team rebuilds after each edit, often of one module of eleven. The inputs of a build are
the files of the module folder (or of every module of a course and the course file), the formats
and options asked for, and modpack itself; their hash is kept in ``OUT/.modpack-build.json`` with
the zips it produced. A build whose hash and zips are unchanged is answered from there, without
reading the definition again. A course's build also keeps each module's hash, under the key a
build of that module alone has (the same zips): a save in one module of eleven builds that one,
and the others' zips stand. Content, not times: a file saved unchanged (an editor's autosave, a
``git checkout``) rebuilds nothing, and a changed file always rebuilds.

Hashing is the cost of that promise (75 MB of media for a course): the zip writer and the loader
hash what they read anyway (modpack/filehash.py), the record keeps those hashes with each file's
state for the next build, and a file is read again only when its state changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any, Iterable, NamedTuple

import orjson

from .. import filehash
from ..folders import walk
from ..definition.files import TOOL_FOLDERS, RefusedFile, read_regular
from ..definition.locate import course_modules, is_course


CACHE_FILE = ".modpack-build.json"
_OWN = Path(__file__).resolve().parent.parent  # the modpack package: its code and player are inputs too
_CHUNK = 1 << 20


def _content_hash(path: str, info: os.stat_result) -> str:
    """The sha256 of a regular file (SHA extensions make it the fastest hashlib offers here)."""
    found = filehash.known.get(filehash.state(info))
    if found is not None:
        return found
    digest = hashlib.sha256()
    # never blocks: a file swapped for a FIFO since it was listed is not waited on, a link not followed
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb", buffering=0) as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is no longer a regular file")
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
        after = os.fstat(fd)
    if filehash.state(after) == filehash.state(info):
        filehash.remember(info, digest.hexdigest())
    return digest.hexdigest()


def _identity(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(device, inode) of what ``path`` names, links followed; None if it cannot be looked at."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _files(folder: Path, exclude: Path | None = None) -> Iterable[str]:
    """Every file under ``folder``, and every link to a folder (walk lists those among the
    folders and does not enter them: where each points is an input, hashed as a link)."""
    # the output folder told by what it is (device, inode), one stat a folder: resolving each
    # folder's path took one lstat per level of it: 44 s for a module folder nested 1,200 deep
    excluded = _identity(exclude) if exclude is not None else None
    for here, dirs, names in walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in TOOL_FOLDERS
                         and (excluded is None or _identity(os.path.join(here, d)) != excluded))
        entries = names + [d for d in dirs if os.path.islink(os.path.join(here, d))]
        for name in sorted(entries):
            yield os.path.join(here, name)


def _own_signature() -> bytes:
    """modpack's version and its files' sizes and times, and the times of the folders its
    dependencies come from: a new release, an edited player or an upgraded renderer rebuilds."""
    # the package's version, read from the package itself (imported before any of its parts)
    version = str(getattr(sys.modules["modpack"], "__version__", ""))
    digest = hashlib.blake2b(version.encode(), digest_size=16)
    for folder in sys.path[1:]:  # a folder's time changes as packages are installed in it or removed
        try:
            digest.update(f"{folder}\0{os.stat(folder).st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{folder}\n".encode())
    for path in _files(_OWN):
        if path.endswith((".py", ".js", ".css", ".json", ".xsd", ".html")):
            info = os.stat(path)
            digest.update(f"{os.path.relpath(path, _OWN)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.digest()


def _learn(files: list[Any]) -> None:
    """Hashes kept by an earlier build: trusted for a file whose state is still the one recorded."""
    for item in files[:filehash.MAX_KNOWN]:
        filehash.known.setdefault((item[0], item[1], item[2], item[3], item[4]), item[5])


def _recorded_file(item: Any) -> bool:
    return (isinstance(item, list) and len(item) == 6 and all(type(n) is int for n in item[:5])
            and isinstance(item[5], str) and len(item[5]) == 64)


def _recorded_zip(item: Any) -> bool:
    return isinstance(item, list) and len(item) == 5 and isinstance(item[0], str) and all(type(n) is int
                                                                                        for n in item[1:])


def _entry(value: Any) -> dict[str, Any] | None:
    """A build's entry as a build writes it (its hash, zips and files), or None: the record lies
    in the output folder, and what else it may hold is neither believed nor written back (a list
    nested 1,000 deep, say, which orjson reads and json cannot write)."""
    if not (isinstance(value, dict) and isinstance(value.get("inputs"), str) and isinstance(value.get("zips"), list)
            and all(map(_recorded_zip, value["zips"])) and isinstance(value.get("files", []), list)):
        return None
    return {"inputs": value["inputs"], "zips": value["zips"],
            "files": [item for item in value.get("files", []) if _recorded_file(item)]}


def _each_file(sources: Iterable[Path], exclude: Path | None = None) -> Iterable[str]:
    for source in sources:
        yield from ([str(source)] if source.is_file() else _files(source, exclude))


Listing = list[tuple[str, "os.stat_result | None"]]


def listing(sources: Iterable[Path], exclude: Path | None = None) -> Listing:
    """Every file under ``sources`` (folders or files; ``exclude``, the output folder, left out), in
    order, with its lstat (None: gone as it was listed). One walk serves what a build records after
    it (stats_of, inputs_hash, BuildCache.record): a folder of 2,000 pages is walked once, not three
    times."""
    return _looked_at(_each_file(sources, Path(os.path.realpath(exclude)) if exclude else None))


def relisted(files: Listing) -> Listing:
    """``files`` with their lstat taken again (None: gone)."""
    return _looked_at(path for path, _ in files)


def _looked_at(paths: Iterable[str]) -> Listing:
    found: Listing = []
    for path in paths:
        try:
            found.append((path, os.lstat(path)))
        except OSError:
            found.append((path, None))
    return found


def stats_of(files: Listing) -> list[tuple[Any, ...]]:
    """Names, sizes and times (of what a link points to, and where it points): equal before and
    after a build when nothing was saved meanwhile."""
    found: list[tuple[Any, ...]] = []
    for path, info in files:
        target = ""
        if info is not None and stat.S_ISLNK(info.st_mode):
            try:
                target = os.readlink(path)
                info = os.stat(path)
            except OSError:
                info = None
        # ctime and inode too: a save within one tick of the time, or by a rename, is seen
        found.append((path, target) if info is None else (path, target, info.st_mode, info.st_size, info.st_mtime_ns,
                                                          info.st_ctime_ns, info.st_ino))
    return found


def inputs_hash(sources: Iterable[Path], options: dict[str, Any], exclude: Path | None = None,
                files: Listing | None = None, own: bytes | None = None) -> str:
    """The hash of every file under ``sources`` (folders or files; ``exclude``, the output folder,
    left out; ``files``: their listing, made already), the options and modpack itself (``own``:
    its signature, taken already).

    Special files (FIFOs, devices) and links are hashed by what they are, never opened: the build
    refuses them anyway, and a hash must not block."""
    digest = hashlib.sha256()
    digest.update(own if own is not None else _own_signature())
    digest.update(json.dumps(options, sort_keys=True).encode())
    for path, info in (files if files is not None else listing(sources, exclude)):
        if info is None:
            continue
        digest.update(b"\0" + os.fsencode(path) + f"\0{info.st_mode}\0{info.st_size}\0".encode())  # any name
        if stat.S_ISLNK(info.st_mode):  # where it points (what it points to is listed where it lies)
            try:
                digest.update(os.fsencode(os.readlink(path)))
            except OSError:
                digest.update(b"unreadable")
        if not stat.S_ISREG(info.st_mode):
            continue
        try:
            digest.update(_content_hash(path, info).encode())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


# A course of 2,000 modules of 14 files records 28,000 files in 4.2 MB (a module's own entry lists
# none: the course's lists them all); filehash.MAX_KNOWN files (200,000), about 25 MB. What is read
# is bounded in bytes and in values (each a Python object): 32 MB of "[]," would otherwise be 11
# million lists, 600 MB; 2,000,000 values are 200-300 MB at most.
MAX_RECORD_BYTES = 32 * 1024 * 1024
MAX_RECORD_VALUES = 2_000_000  # (a recorded file is 7: its list and six values)


def _values_at_most(raw: bytes, limit: int) -> bool:
    """Whether JSON text holds at most about ``limit`` values: its separators and brackets counted
    (in strings too, which only makes the bound safe; a key and its value count twice), before it
    is parsed."""
    return raw.count(b",") + raw.count(b":") + raw.count(b"[") + raw.count(b"{") <= limit


class BuildCache:
    """The record of earlier builds into one output folder."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / CACHE_FILE
        self.entries: dict[str, Any] = {}
        try:
            raw = read_regular(self.path, MAX_RECORD_BYTES) if os.path.lexists(self.path) else b"{}"
            if _values_at_most(raw, MAX_RECORD_VALUES):
                data = orjson.loads(raw)
                for key, value in (data.items() if isinstance(data, dict) else ()):
                    if (entry := _entry(value)) is not None:
                        self.entries[key] = entry
                        _learn(entry["files"])
        except (OSError, RefusedFile, ValueError, RecursionError):  # orjson.JSONDecodeError is a ValueError
            self.entries = {}  # a damaged record (or a FIFO, a record too large) only costs a rebuild

    def fresh(self, key: str, digest: str) -> list[Path] | None:
        """The zips an earlier build with these inputs wrote, if each is still there as it was."""
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or entry.get("inputs") != digest or not isinstance(entry.get("zips"), list):
            return None
        found = []
        for item in entry["zips"]:
            # a zip's own name in this folder (the record may have been written by anyone with the folder)
            if not (_recorded_zip(item) and item[0].endswith(".zip") and os.path.basename(item[0]) == item[0]
                    and "\0" not in item[0]):
                return None
            path = self.path.parent / item[0]
            try:
                info = path.stat()
            except (OSError, ValueError):  # (ValueError: a name the system refuses)
                return None
            if _zip_state(info) != item[1:]:
                return None  # replaced, touched or written since (a time put back leaves its ctime): build again
            found.append(path)
        return found

    def knows(self, key: str) -> bool:
        """Whether an earlier build with this key was recorded (else no hash is worth taking first)."""
        return isinstance(self.entries.get(key), dict)

    def record(self, key: str, digest: str, zips: list[Path], sources: Iterable[Path] = (),
               listed: Listing | None = None, save: bool = True) -> None:
        """Keep the build's hash and zips, and the hashes of its input files for the next build
        (``listed``: the listing of ``sources``, made already); written now unless not ``save``
        (a course's modules are kept with the course, in one write)."""
        files = []
        for _, info in (listed if listed is not None else listing(sources)):
            if info is None:
                continue
            found = filehash.known.get(filehash.state(info))
            if found is not None:
                files.append([*filehash.state(info), found])
        self.entries[key] = {"inputs": digest, "zips": [[p.name, *_zip_state(p.stat())] for p in zips],
                             "files": files}
        if save:
            self.save()

    def save(self) -> None:
        """Write the record (a fresh file, renamed over the last)."""
        # compact: indented, a recorded file took 160 bytes, not 105 (orjson: a tenth of json's time)
        try:
            text = orjson.dumps(self.entries, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # a number past 64 bits (an inode on some file systems): json writes any
            text = json.dumps(self.entries, sort_keys=True, separators=(",", ":")).encode()
        from .. import atomic  # (tempfile: only a build that ran pays for it, not one found unchanged)

        # a fresh temporary file (never one found there: a FIFO would block, a link write elsewhere)
        atomic.write_bytes(self.path, text)


def _zip_state(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


class Rebuild:
    """One build of files into an output folder, as that folder's record knows it: whether an
    earlier build of the very same inputs stands for it, and, once built, its record kept.

    Needs neither the model nor the targets: a build that finds nothing changed is answered
    without importing them (the command line asks this before it imports the builder)."""

    def __init__(self, source: Path, formats: tuple[str, ...], validate: bool, out_dir: Path,
                 lms: str | None = None, max_size_mb: float | None = None, record: BuildCache | None = None,
                 own: bytes | None = None, listed: Listing | None = None):
        self.source, self.formats, self.validate, self.out_dir = source, formats, validate, out_dir
        self.lms, self.max_size_mb = lms, max_size_mb
        self.inputs = inputs_of(source)
        self.options: dict[str, Any] = {"formats": list(formats), "validate": validate, "lms": lms,
                                        "max_size_mb": max_size_mb,
                                        # the entries' time in every zip (archive.fixed_time)
                                        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "")}
        # (formats_of gives the formats in one order, however they were asked: one build, one key)
        # realpath, not resolve(): a loop of links is a build that fails, said by the loader, not a RuntimeError;
        # of what is read (a module's folder also when its module.yaml was named: the course lists folders)
        self.key = f"{os.path.realpath(self.inputs[0])}|{','.join(formats)}|{validate}|{lms}|{max_size_mb}"
        self.record = record if record is not None else BuildCache(out_dir)
        self._own = own  # modpack's signature (taken once for a course and its modules)
        # each input's files (a course's module: from the course's listing, not walked again)
        self._each = [listed] if listed is not None else [listing([source], out_dir) for source in self.inputs]
        self.listed = [item for each in self._each for item in each]
        self.before = stats_of(self.listed)  # equal after the build when nothing was saved meanwhile
        self._earlier: list[Path] | None = None
        self._asked = False
        self._span: tuple[int, int] | None = None  # a course's module: where its files are in the course's listing

    def earlier(self) -> list[Path] | None:
        """The zips an earlier build of these inputs wrote, when each is still as it was written."""
        if not self._asked:
            self._asked = True
            if self.record.knows(self.key):  # else nothing to compare with: hashed after the build, as it copies
                self._earlier = self.record.fresh(self.key, inputs_hash(self.inputs, self.options, self.out_dir,
                                                                        self.listed, self.own()))
        return self._earlier

    def own(self) -> bytes:
        """modpack's own signature, taken once."""
        if self._own is None:
            self._own = _own_signature()
        return self._own

    def unchanged(self) -> Unchanged | None:
        """:meth:`earlier`'s zips, with the listing their inputs were hashed from."""
        zips = self.earlier()
        return None if zips is None else Unchanged(zips, self.listed, self.before)

    def of_modules(self) -> dict[str, Rebuild]:
        """For a course: a rebuild of each module folder it lists, by the folder's real path,
        sharing this record. Each has the key a build of that folder alone has: a module's zips do
        not depend on the course that lists it. Empty for a module, and with ``max_size_mb`` (a
        module split per lesson is several packages the course checks together)."""
        if self.max_size_mb is not None or not is_course(self.source):
            return {}
        found: dict[str, Rebuild] = {}
        start = len(self._each[0])  # (the course file's)
        for folder, listed in zip(self.inputs[1:], self._each[1:]):
            key = os.path.realpath(folder)
            if key not in found and folder.is_dir():
                # the course's listing of the folder is the module's own when its path is written
                # alike ('../x/m' is listed so by the course, and as '/abs/x/m' by a build of it alone)
                alike = os.path.abspath(folder) == str(folder)
                found[key] = Rebuild(folder, self.formats, self.validate, self.out_dir, self.lms, None, self.record,
                                     self.own(), listed if alike else None)
                found[key]._span = (start, len(listed)) if alike else None
            start += len(listed)
        return found

    def relisted(self) -> Listing:
        """The files listed before, looked at again (not a second walk): one saved meanwhile is
        seen; one added meanwhile is not in the listing hashed here, so the next build, which
        lists it, hashes otherwise and builds again."""
        return relisted(self.listed)

    def part(self, after: Listing, module: Rebuild) -> Listing | None:
        """A module's files in this course's ``after`` (relisted), when its listing is part of
        this one's (of_modules); else None."""
        span = module._span
        return None if span is None else after[span[0]:span[0] + span[1]]

    def keep(self, written: list[Path], save: bool = True, files: bool = True, after: Listing | None = None) -> bool:
        """Record the build that wrote ``written``, unless a file was saved while it ran (the next
        build decides then); whether it was recorded. The files copied into the zips were hashed
        as they were copied. ``save``: write the record now; ``files``: keep the files' hashes
        too (a course's module leaves them to the course's own entry, which lists them all).
        ``after``: :meth:`relisted`, when the caller has it."""
        after = after if after is not None else self.relisted()
        if stats_of(after) != self.before:
            return False
        self.record.record(self.key, inputs_hash(self.inputs, self.options, self.out_dir, after, self.own()), written,
                           self.inputs, after if files else [], save)
        return True


class Unchanged(NamedTuple):
    """A module's zips from an earlier build of the same inputs, and the listing of its folder
    those inputs were hashed from: a course build keeps the zips only while the folder is still as
    listed (still), for a file saved since was read by the build."""

    zips: list[Path]
    listed: Listing
    before: list[tuple[Any, ...]]
    read: Any = None  # (module, its diagnostics) read by an earlier build of this process from these very files

    def still(self) -> bool:
        return stats_of(relisted(self.listed)) == self.before


def inputs_of(source: Path) -> list[Path]:
    """The files and folders a build of ``source`` reads: a module's folder (also when the build
    names its definition file), or a course's file and each module folder it lists, wherever
    they are. Absolute (not resolved: a link to a module is followed when it is read, and listed
    as itself), so that 'mod', './mod' and '/home/tim/mod' are one build's inputs."""
    whole = Path(os.path.abspath(source))
    if is_course(whole):  # the course file and each module folder it lists (relative to the file)
        file, modules = course_modules(whole)
        return [file] + [file.parent / m for m in modules if isinstance(m, str)]
    return [whole.parent if whole.exists() and not whole.is_dir() else whole]


# What editors keep beside the file being edited while it is open or saved: swap and lock files
# (vim, nano, Emacs, LibreOffice, Word), backups (name~), vim's write test (4913), safe-write copies
# (GNOME, Kate, JetBrains). Their coming and going is not a save.
_EDITOR_TEMPORARY = re.compile(r"\..+\.sw[a-eg-p]|4913|.+~|\.#.+|#.+#|\.~lock\..+#|~\$.+|\.goutputstream-.+"
                               r"|.+\.kate-swp|.+___jb_(?:tmp|old)___", re.S)


def editor_temporary(path: str) -> bool:
    """Whether ``path`` names one of an editor's own files (_EDITOR_TEMPORARY)."""
    return _EDITOR_TEMPORARY.fullmatch(os.path.basename(path)) is not None


def signature(source: Path, exclude: Path | None = None) -> tuple[tuple[Any, ...], ...]:
    """What changes when an author saves a file a build of ``source`` reads (name, size, times),
    cheaply: what a watcher polls; the content hash then decides whether anything really changed.
    Its inputs are found again each time (a course's list of modules may be what was saved).
    ``exclude``: the output folder, whose zips change with every build. An editor's own files
    (editor_temporary) are left out: opening a page in vim is not a save, and builds nothing.
    They stay inputs of the record, which hashes every file of the folder."""
    return tuple(stats_of([(path, info) for path, info in listing(inputs_of(source), exclude)
                           if not editor_temporary(str(path))]))


WATCH_INTERVAL = 0.2  # seconds between a watcher's looks at its files, at least
WATCH_WAIT_MAX = 2.0  # and at most: a save is seen, and a `kill` acted on, within that


def watch_wait(looked: float, interval: float = WATCH_INTERVAL) -> float:
    """The wait before a watcher's next look: three times its last look's time (``looked``: CPU
    time of the looking thread, which a process stopped by Ctrl+Z or a busy machine does not add
    to), within ``interval`` and WATCH_WAIT_MAX."""
    return min(max(interval, 3 * looked), WATCH_WAIT_MAX)
