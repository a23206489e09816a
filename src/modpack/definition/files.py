"""The one rule for every file a module names, and the only way modpack opens such a file.

A module is a folder. Whatever names a file (a page's Markdown file, an image in a question's
prompt, a video's captions, an ``<img src>`` in raw HTML) is judged by :func:`approve`: once
URL-decoded and resolved through '..' and symbolic links, it must be a regular file inside
the module folder. ``validate`` reports what it refuses; the packer packs only what it
approved, as :class:`ModuleFile` objects, and :meth:`ModuleFile.open` checks again at the
moment of opening that the file is the one approved. No other code opens a module's files.

Why so strict: content teams build definitions they receive from partners, and a package is
uploaded to an LMS for every learner to download. A reference that reaches outside the
folder (``../../.ssh/id_rsa``, ``/etc/passwd``) would publish a file of the building machine.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from .. import filehash
from ..pictures import Budget
from ..messages import t, os_reason
from .svg import MAX_SVG_BYTES, InvalidSvg, Sanitised, sanitise

# Open flags that make opening safe whatever the path is: never follow a last-moment symbolic
# link, never block on a FIFO (its open would wait for a writer). Absent on Windows.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1024 * 1024  # what a file grown since its fstat is read on by

# Folders of tools, not of a module: version control, caches, packages. A rebuild does not hash
# them (a module kept in git would hash its history), so a module may not name a file in them.
TOOL_FOLDERS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules"})

MAX_MARKDOWN_BYTES = 8 * 1024 * 1024  # one page's Markdown; a longer page is a document, not a screen
MAX_MARKDOWN_TOTAL = 64 * 1024 * 1024  # every page's, a file used by several pages counted each time

class RefusedFile(ValueError):
    """A file reference the rule refuses; ``code`` names the kind (see :func:`approve`)."""

    def __init__(self, reference: str, reason: str, code: str):
        self.reference, self.reason, self.code = reference, reason, code
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """e.g. "'../peta.svg' leads outside the module folder"."""
        template = "file '{value}' {reason}" if self.code == "missing-file" else "'{value}' {reason}"
        return t(template, value=self.reference, reason=self.reason)


@dataclass(frozen=True)
class ModuleFile:
    """A file that passed :func:`approve`: a regular file inside ``root``.

    Only :func:`approve` makes these; the zip writer reads nothing else from disk.
    """

    root: str  # the real path of the module folder
    rel: str  # module-relative, '/'-separated, normalised: the key every part of modpack uses
    real: str  # where it resolved to, inside root (str, not Path: thousands are made per build)
    size: int
    links: int  # more than one: the same content is reachable from elsewhere (a hard link)
    identity: tuple[int, int]  # (device, inode) when approved
    modified: int = 0  # st_mtime_ns when approved: with identity and size, how PageTexts knows a file unchanged

    def open(self) -> BinaryIO:
        """Open for reading, refusing anything that is no longer the approved regular file.

        The identity check is what makes this safe, not the path: whatever was swapped since
        approval (the file, or a folder on its path, for a link leading out), the file opened
        must be the very inode approved inside the folder, or it is refused."""
        fd, _ = self._open_checked()
        return os.fdopen(fd, "rb")

    def _open_checked(self) -> tuple[int, os.stat_result]:
        """The descriptor of the approved file, and its fstat; RefusedFile if it is another now."""
        try:
            fd = os.open(self.real, _OPEN_FLAGS)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link put where the approved file was
                raise RefusedFile(self.rel, t("now leads outside the module folder"), "path-escape") from None
            raise
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or (info.st_dev, info.st_ino) != self.identity:
                raise RefusedFile(self.rel, t("changed after it was checked"), "file-changed")
            return fd, info
        except BaseException:
            os.close(fd)
            raise

    def read_bytes(self, limit: int | None = None) -> bytes:
        """The file's bytes; a file over ``limit`` bytes is refused unread (RefusedFile, ``too-large``)."""
        # on the descriptor itself, without a buffered file object: a build reads thousands of pages
        fd, before = self._open_checked()
        try:
            size = before.st_size
            if limit is not None and size > limit:
                raise RefusedFile(self.rel, t("is larger than {limit} bytes: refused", limit=f"{limit:,}"), "too-large")
            # what the file holds (plus one byte, to see its end), then on if it grew since, within
            # the limit: a read(n) allocates n bytes first, so never ask for more than can come
            parts: list[bytes] = []
            got = 0
            while limit is None or got <= limit:
                want = size + 1 - got if got <= size else _CHUNK
                chunk = os.read(fd, want if limit is None else min(want, limit + 1 - got))
                if not chunk:
                    break
                parts.append(chunk)
                got += len(chunk)
            if limit is not None and got > limit:
                raise RefusedFile(self.rel, t("is larger than {limit} bytes: refused", limit=f"{limit:,}"), "too-large")
            data = parts[0] if len(parts) == 1 else b"".join(parts)
            # the rebuild record's hash of this file, without reading it again (filehash.py)
            filehash.remember_read(before, os.fstat(fd), data)
            return data
        finally:
            os.close(fd)

    def read_text(self, limit: int | None = MAX_MARKDOWN_BYTES) -> str:
        """UTF-8 text (a byte-order mark is dropped); raises UnicodeDecodeError otherwise."""
        return self.read_bytes(limit).decode("utf-8-sig")


def _inside(real_root: str, real_target: str) -> bool:
    return real_target.startswith(real_root.rstrip(os.sep) + os.sep)


def decode_url(target: str) -> str:
    """The file path a local URL in HTML or Markdown names: its path part, percent-decoded once.

    Once, as a browser does: ``%252e`` is a file literally named ``%2e``.
    """
    return unquote(urlsplit(target).path)


def is_local_url(target: str) -> bool:
    """Whether a URL names a file of the package, not a web address or a place on the page."""
    parts = urlsplit(target.strip())
    return not (parts.scheme or parts.netloc or target.startswith("#") or not parts.path)


def module_path(base: str, path: str) -> str:
    """``path`` (relative to the module folder ``base``) as a normalised module-relative path.

    Raises :class:`RefusedFile` for what cannot name a file inside the module at all.
    """
    if "\x00" in path:
        raise RefusedFile(path, t("holds a NUL character"), "path-escape")
    if "\\" in path:
        raise RefusedFile(path, t("uses '\\': write '/' in paths"), "path-escape")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":" and path[0].isalpha()):
        raise RefusedFile(path, t("is an absolute path: give a path inside the module folder"), "path-escape")
    joined = posixpath.normpath(posixpath.join(base, path)) if base else posixpath.normpath(path)
    if joined == ".." or joined.startswith("../"):
        raise RefusedFile(path, t("leads outside the module folder"), "path-escape")
    if joined == ".":
        raise RefusedFile(path, t("names the module folder, not a file"), "not-a-file")
    return joined


def url_path(base: str, target: str) -> str:
    """The module-relative path a local URL in Markdown or HTML names (see :func:`module_path`)."""
    if urlsplit(target.strip()).scheme.lower() == "file":
        raise RefusedFile(target, t("is a file: URL on the author's machine: give a path inside the module folder"),
                          "path-escape")
    return module_path(base, decode_url(target.strip()))


# Files a browser runs script from when it opens them: shipped in a package and linked from a page,
# one would run at the LMS's own address, with the learner's session (stored XSS). SVG is not here:
# it is packed sanitised (see svg.py), so it can only be a picture.
ACTIVE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".xml", ".xsl", ".xslt",
                             ".js", ".mjs", ".swf", ".svgz", ".hta"})


def is_active(rel: str) -> bool:
    """Whether a browser would run script from this file when it opens it."""
    return posixpath.splitext(rel.lower())[1] in ACTIVE_SUFFIXES


class PageTexts:
    """The Markdown files of one module, read once, and its files, approved once: validation reads
    each page and approves each file it names, and the packer needs the same; doing both twice for
    2,000 pages was a sixth of a build. A text is answered again only while its file is the one
    read (same inode, size and modification time, as make and git judge); otherwise it is read
    afresh. An approval is answered again as it was: :meth:`ModuleFile.open` checks, when the
    packer opens the file, that it is still the very file approved."""

    def __init__(self) -> None:
        self._texts: dict[str, tuple[tuple[tuple[int, int], int, int], str]] = {}
        self._approved: dict[tuple[str, str], ModuleFile | RefusedFile] = {}

    def __eq__(self, other: object) -> bool:
        # a module carries one (Module._page_texts), and pydantic compares private attributes: what
        # was read when is not part of what a module is, so two modules never differ by it
        return isinstance(other, PageTexts)

    __hash__ = None  # type: ignore[assignment]

    def read(self, file: ModuleFile) -> str:
        """As :meth:`ModuleFile.read_text` (same limit and errors)."""
        state = (file.identity, file.size, file.modified)
        found = self._texts.get(file.rel)
        if found is not None and found[0] == state:
            return found[1]
        text = file.read_text()
        self._texts[file.rel] = (state, text)
        return text

    def approval(self, real_root: str, rel: str, dirs: dict[str, str]) -> ModuleFile | RefusedFile:
        """:func:`approve` of ``rel`` in the resolved folder ``real_root``, once, refusal included."""
        found = self._approved.get((real_root, rel))
        if found is None:
            try:
                found = approve(real_root, rel, _resolved=True, _dirs=dirs)
            except RefusedFile as refused:
                found = refused
            self._approved[(real_root, rel)] = found
        return found


class Folder:
    """The file rule for one module folder, resolving the folder once and each file once.

    Active content (:data:`ACTIVE_SUFFIXES`) is refused (``active-content``) unless it is
    ``trusted`` (the module's ``delivery.trusted_active_files``). ``texts`` keeps the pages
    read, for a later pass over the same module (see :class:`PageTexts`)."""

    def __init__(self, root: str | os.PathLike[str], trusted: frozenset[str] = frozenset(),
                 texts: PageTexts | None = None):
        self.real_root = os.path.realpath(root)
        self.trusted = frozenset(module_path("", rel) for rel in trusted)
        self.texts = texts if texts is not None else PageTexts()
        self._seen: dict[str, ModuleFile | RefusedFile] = {}
        self._svgs: dict[tuple[str, bool], Sanitised | RefusedFile] = {}
        self._dirs: dict[str, str] = {}  # module-relative folder -> its real path, resolved once
        self.said: set[str] = set()  # files whose notes validate has given
        self.picture_walks = Budget()  # the parts the module's pictures may take to be judged (pictures.py)

    def approve(self, rel: str) -> ModuleFile:
        """As :func:`approve`; a second call for the same path answers from the first."""
        found = self._seen.get(rel)
        if found is None:
            found = self.texts.approval(self.real_root, rel, self._dirs)
            if isinstance(found, ModuleFile) and is_active(found.rel) and found.rel not in self.trusted:
                found = RefusedFile(found.rel, t("is active content (HTML, XML or script): opened from the "
                                                 "package, it would run its script at the LMS's address. Link "
                                                 "to it on a website instead, or, if your team wrote it, list "
                                                 "it in delivery.trusted_active_files"), "active-content")
            self._seen[rel] = found
        if isinstance(found, RefusedFile):
            raise found
        return found

    def svg(self, file: ModuleFile, minify: bool = True) -> Sanitised:
        """An approved SVG as it is packed: sanitised once (see svg.py), and minified unless the
        module turned image optimisation off; RefusedFile ``svg-invalid``."""
        found = self._svgs.get((file.rel, minify))
        if found is None:
            try:
                found = sanitise(file.read_bytes(MAX_SVG_BYTES), minify)
            except InvalidSvg as exc:
                found = RefusedFile(file.rel, str(exc), "svg-invalid")
            except RefusedFile as exc:
                found = exc
            self._svgs[(file.rel, minify)] = found
        if isinstance(found, RefusedFile):
            raise found
        return found


def approve(root: str | os.PathLike[str], rel: str, *, _resolved: bool = False,
            _dirs: dict[str, str] | None = None) -> ModuleFile:
    """The rule: ``rel`` (already module-relative, see :func:`module_path`) is packable.

    It must resolve, through symbolic links, to a regular file inside ``root``. Refusals
    (:class:`RefusedFile`) carry a code: ``path-escape``, ``missing-file``, ``not-a-file``
    (a folder), ``special-file`` (FIFO, device, socket), ``unreadable`` or ``tool-folder`` (in
    .git, node_modules and the like, which a rebuild does not hash).
    """
    rel = module_path("", rel)
    real_root = os.fspath(root) if _resolved else os.path.realpath(root)
    folder, name = posixpath.split(rel)
    real_folder = _dirs.get(folder) if _dirs is not None else None
    if real_folder is None:
        real_folder = os.path.realpath(os.path.join(real_root, *folder.split("/"))) if folder else real_root
        if _dirs is not None:
            _dirs[folder] = real_folder
    # the folder is resolved (once per folder); only the file itself may still be a link
    real = os.path.join(real_folder, name)
    if not _inside(real_root, real):
        raise _escape(rel)
    try:
        info = os.lstat(real)  # one call for the file itself; a link is followed, and judged, below
        if stat.S_ISLNK(info.st_mode):
            real = os.path.realpath(real)
            if not _inside(real_root, real):
                raise _escape(rel)
            info = os.lstat(real)
            if stat.S_ISLNK(info.st_mode):
                # resolved, yet still a link: a loop (its stat fails, as it always did), or a link
                # put there since it was resolved, whose target was never judged inside
                os.stat(real)
                raise _escape(rel)
    except FileNotFoundError:
        raise RefusedFile(rel, t("does not exist in the module folder"), "missing-file") from None
    except OSError as exc:
        raise RefusedFile(rel, t("cannot be read: {reason}", reason=os_reason(exc)), "unreadable") from None
    if stat.S_ISDIR(info.st_mode):
        raise RefusedFile(rel, t("is a folder, not a file"), "not-a-file")
    if not stat.S_ISREG(info.st_mode):
        kind = t("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode)
                 else "a device")
        raise RefusedFile(rel, t("is {kind}, not a regular file: modpack packs only regular files", kind=kind),
                          "special-file")
    if not os.access(real, os.R_OK):
        raise RefusedFile(rel, t("cannot be read (permission denied)"), "unreadable")
    tool = TOOL_FOLDERS.intersection(real[len(real_root) + 1:].split(os.sep)[:-1])
    if tool:  # where it lies, links followed: a rebuild does not look there (see TOOL_FOLDERS)
        raise RefusedFile(rel, t("lies in '{folder}', a folder of tools that modpack does not read: move the "
                                 "file into the module's own folders", folder=min(tool)), "tool-folder")
    return ModuleFile(real_root, rel, real, info.st_size, info.st_nlink, (info.st_dev, info.st_ino), info.st_mtime_ns)


def _escape(rel: str) -> RefusedFile:
    return RefusedFile(rel, t("leads outside the module folder (through a symbolic link)"), "path-escape")


def hard_link_warning(file: ModuleFile) -> str | None:
    """The warning for a file whose content may also live outside the module, or None."""
    if file.links > 1:
        return t("'{value}' is a hard link ({count} names share its content): make sure it is not a file from "
                 "outside the module", value=file.rel, count=file.links)
    return None


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """A file given by the user (a definition, records, a cohort, a document), open for reading,
    if it is a regular file: a FIFO, device or socket is refused before anything is read (a read
    could block or never end; opening does not wait: O_NONBLOCK). Raises :class:`RefusedFile`
    (code ``special-file`` or ``not-a-file``) or OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise RefusedFile(str(path), t("is a folder, not a file"), "not-a-file")
        if not stat.S_ISREG(mode):
            raise RefusedFile(str(path), t("is not a regular file (a FIFO, device or socket): refused"), "special-file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of a file given by the user, refusing special files (:func:`open_regular`). A
    file over ``limit`` bytes is refused unread (code ``too-large``).
    Raises :class:`RefusedFile` (code ``special-file``, ``not-a-file`` or ``too-large``) or OSError.
    """
    with open_regular(path) as handle:
        if limit is not None and os.fstat(handle.fileno()).st_size > limit:
            raise RefusedFile(str(path), t("is larger than {limit} bytes: refused", limit=f"{limit:,}"), "too-large")
        return handle.read(limit + 1 if limit is not None else -1)


_OWN_ROOT = Path(__file__).resolve().parent.parent  # the modpack package


def own_file(rel: str) -> ModuleFile:
    """A file modpack itself ships (the player, the official schemas), approved like any other."""
    return approve(_OWN_ROOT, rel)
