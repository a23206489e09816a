"""Rules about the files themselves: names LMSs reject, sizes and counts, embedded credentials."""

from __future__ import annotations

import base64
import collections
import heapq
import os
import re
import select
import struct
import sys
import threading
import unicodedata

from typing import Any, Iterator

from .. import pipes
from .reader import Entry, Package
from .report import Report
from ..messages import t

MAX_PATH = 200          # Windows-hosted LMSs and common unzip tools fail near 260 characters
LARGE_PACKAGE = 100 * 1024**2   # many LMS installations cap uploads at 100 MB or below
MANY_FILES = 5000
TEXT_SUFFIXES = (".js", ".mjs", ".html", ".htm", ".json", ".xml", ".txt", ".css", ".php", ".cfg", ".ini", ".env",
                 ".svg")
# what makes an SVG run script when it is opened (an <img> never runs it; the file's own URL does)
_ACTIVE_SVG = re.compile(rb"<(?:\w+:)?script\b|<(?:\w+:)?foreignobject\b|\son[a-z]+\s*=|javascript:")

# Each pattern finds a credential written into a file; an LRS key inside a package is public. They
# are written for lower-cased bytes (the text is lowered once, so no pattern needs re.I, which keeps
# Python's regex engine from its fast paths) and run only near a keyword (see CredentialScan).
CREDENTIALS = [
    ("basic-auth", rb"\bbasic\s+[a-z0-9+/]{12,}={0,2}", "an HTTP Basic authorization string"),
    ("auth-header", rb"""["']?authorization["']?\s*[:=]\s*["'](?:basic|bearer)\s+[^"'\s]{8,}""",
     "an Authorization header with a value"),
    ("url-userinfo", rb"https?://[^/\s:@\"']+:[^/\s@\"']+@", "a URL with a user name and password"),
    ("url-key", rb"[?&](?:key|secret|password|passwd|token|access_token|api_key|apikey|auth)=[^&\s\"'<>]{6,}",
     "a URL carrying a key or secret"),
    ("xml-secret", rb"<(?:\w+:)?secret>\s*[^<\s]{4,}\s*</(?:\w+:)?secret>", "a secret in an XML element"),
    ("secret-value", rb"""["']?(?:password|passwd|secret|lrs_?secret|api_?key|client_?secret)["']?\s*[:=]\s*["'][^"'\s]{6,}["']""",
     "a password or secret written as a value"),
]
_COMBINED = re.compile(b"|".join(b"(?P<%s>%s)" % (code.replace("-", "_").encode(), pattern)
                                 for code, pattern, _ in CREDENTIALS))
_WHAT = {code.replace("-", "_"): (code, what) for code, _, what in CREDENTIALS}


def _credential_named(code: str) -> str:
    """What a credential finding names, in the administrator's language (CREDENTIALS keeps English)."""
    return {"basic-auth": t("an HTTP Basic authorization string"),
            "auth-header": t("an Authorization header with a value"),
            "url-userinfo": t("a URL with a user name and password"),
            "url-key": t("a URL carrying a key or secret"),
            "xml-secret": t("a secret in an XML element"),
            "secret-value": t("a password or secret written as a value")}[code]


# every pattern holds one of these; bytes.find looks for each at memchr speed (GB/s), several
# times faster than one regular expression of alternatives, which Python's engine tries byte by byte
_KEYWORDS = (b"basic", b"auth", b"://", b"key", b"secret", b"passw", b"token")


_NO_KEYWORD = (-1,) * len(_KEYWORDS)
_keyword_database: Any = None  # the keywords compiled for hyperscan, once per process; False: not to be had
_hyperscan: Any = None  # the hyperscan module, once the keywords are compiled with it
_scratches = threading.local()  # hyperscan's scratch space, one per thread (a scan may not share one)


def keyword_scanner() -> Any:
    """The keywords compiled by hyperscan, which looks for all of them in one pass, ASCII case
    ignored (no lowered copy), at several GB/s; None where hyperscan cannot be had (not
    installed, or a processor without the instructions it needs): then bytes.find does."""
    global _keyword_database, _hyperscan
    if _keyword_database is None:
        _keyword_database = False
        try:
            import hyperscan

            database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
            database.compile(expressions=[re.escape(k.decode()).encode() for k in _KEYWORDS],
                             ids=list(range(len(_KEYWORDS))), elements=len(_KEYWORDS), flags=[flags] * len(_KEYWORDS))
            _keyword_database, _hyperscan = database, hyperscan
        except Exception:  # noqa: BLE001 - ImportError, or hyperscan.error on a processor it cannot use
            pass
    return _keyword_database or None


def has_keyword(data: bytes) -> bool | None:
    """Whether the text holds any keyword, case ignored, found by hyperscan (stopping at the first
    it meets); None where hyperscan cannot be had. Only whether: where each keyword first occurs
    is first_keywords', for the few texts that hold one (hyperscan does not promise to report
    matches in the order they stand)."""
    database = keyword_scanner()
    if database is None:
        return None
    scratch = getattr(_scratches, "scratch", None)
    if scratch is None or _scratches.pid != os.getpid():  # (a forked process makes its own)
        scratch = _hyperscan.Scratch(database)
        _scratches.scratch, _scratches.pid = scratch, os.getpid()
    try:
        database.scan(data, match_event_handler=_stop, scratch=scratch)
    except _hyperscan.ScanTerminated:  # a keyword: _stop stopped the scan there
        return True
    return False


def _stop(*_: Any) -> bool:
    return True  # one keyword is enough: the scan stops (and the binding raises ScanTerminated)


def first_keywords(data: bytes) -> tuple[int, ...]:
    """Where each keyword first occurs in the lowered text (-1: nowhere): for a text that holds one
    (has_keyword), and, where hyperscan cannot be had, for every text, on two cores (_Searcher)."""
    text = data.lower()
    return tuple(text.find(keyword) for keyword in _KEYWORDS)


def _keywords(text: bytes, firsts: tuple[int, ...] | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of every keyword in the text, in order, found lazily (from ``firsts``, the first
    of each, when they are known already)."""
    if firsts is None:
        firsts = tuple(text.find(keyword) for keyword in _KEYWORDS)
    found = [(at, keyword) for at, keyword in zip(firsts, _KEYWORDS) if at >= 0]
    if not found:  # nearly every file: no generators and no merge to set up
        return iter(())

    def each(at: int, keyword: bytes) -> Iterator[tuple[int, int]]:
        while at >= 0:
            yield at, at + len(keyword)
            at = text.find(keyword, at + 1)

    return heapq.merge(*(each(at, keyword) for at, keyword in found))
_BEFORE, _AFTER = 24, 512  # how far a match can start before its keyword, and reach after it
MAX_PER_FILE = 10  # findings of one file; beyond, one more says how it goes on


# Windows refuses these as a file's name whatever the extension (con.html too); an LMS on Windows
# cannot unpack them (learn.microsoft.com, "Naming Files, Paths, and Namespaces")
_RESERVED = frozenset(["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in "0123456789¹²³"])
# look like '/' or '\\' but are letters to a file system: 'a∕b.html' is one file that reads as a path
_LOOKALIKE_SEPARATORS = {"\u2215": "division slash", "\u2044": "fraction slash", "\uff0f": "full-width solidus",
                         "\u29f8": "big solidus", "\u2216": "set minus", "\uff3c": "full-width reverse solidus",
                         "\u29f9": "big reverse solidus", "\ufe68": "small reverse solidus"}
_LOOKALIKE = re.compile("[" + "".join(_LOOKALIKE_SEPARATORS) + "]")


def _folded(name: str) -> str:
    """The name as a case-insensitive, normalising file system (Windows, macOS) stores it."""
    return unicodedata.normalize("NFC", name).casefold()


def check_names(package: Package, report: Report) -> None:
    folded: dict[str, str] = {}
    names = package.names()  # sorted once; errors are reported before warnings
    for name in names:
        ascii_name = name.isascii()  # NFC and casefold of ASCII: lower(); no look-alike is ASCII
        key = name.lower() if ascii_name else _folded(name)
        if key in folded:
            report.error("name-collision", t("the name is '{folded}' on a file system that ignores case or Unicode "
                                             "normalisation (Windows, macOS): unpacking one overwrites the other",
                                             folded=folded[key]), file=name)
        else:
            folded[key] = name
        for part in name.split("/"):
            stem = part.split(".", 1)[0].rstrip(" ").casefold()
            if stem in _RESERVED or part.endswith((".", " ")):
                report.error("reserved-name", t("'{part}' is a name Windows reserves or cannot store (CON, PRN, "
                                                "AUX, NUL, COM1-9, LPT1-9, or ending in a dot or space): an LMS on "
                                                "Windows cannot unpack it", part=part), file=name)
                break
        lookalike = None if ascii_name else _LOOKALIKE.search(name)
        if lookalike:
            report.error("lookalike-separator", t("the name holds a {separator} (U+{value}), which "
                                                  "looks like a folder separator but is not: the file is not where "
                                                  "it appears to be",
                                                  separator=_LOOKALIKE_SEPARATORS[lookalike.group()],
                                                  value=f"{ord(lookalike.group()):04X}"), file=name)
    for name in names:
        if " " in name:
            report.warning("name-space", t("the name has spaces: some LMSs and web servers break links to it"), file=name)
        if not name.isascii():
            report.warning("name-non-ascii", t("the name has non-ASCII characters: some LMSs store or serve it "
                                               "garbled"),
                           file=name)
        if len(name) > MAX_PATH:
            report.warning("name-long", t("the path is {count} characters: LMSs on Windows and some unzip tools "
                                          "fail near 260", count=len(name)), file=name)
        if re.search(r"[#?%*:|\"<>]", name):
            report.warning("name-chars", t("the name has characters that URLs or file systems treat specially (# ? "
                                           "% * : | \" < >)"), file=name)


def check_size(package: Package, report: Report) -> None:
    if report.size > LARGE_PACKAGE:
        report.warning("large-package", t("{value} MB unpacked: many LMS installations refuse uploads over 100 MB "
                                          "(Moodle's limit follows PHP's upload_max_filesize)",
                                          value=f"{report.size / 1024**2:.0f}"))
    if report.files > MANY_FILES:
        report.warning("many-files", t("{files} files: some LMSs time out unpacking more than {limit}",
                                       files=report.files, limit=MANY_FILES))


# user names and passwords of examples, tests and templates: a reviewer may judge such a string a
# leftover rather than a leak (it stays an error: a real LRS may accept "test:test" too)
_PLACEHOLDER_WORDS = ("test", "example", "demo", "sample", "dummy", "changeme", "change_me", "placeholder",
                      "username", "password", "user", "pass", "secret", "xxx", "foo", "bar", "admin", "guest",
                      "key", "token", "lrs", "contoh", "rahasia", "sandi", "coba")


def _how_it_looks(found: bytes) -> str:
    """Whether an HTTP Basic string decodes to a placeholder: said without showing what it decodes to."""
    token = found.split()[-1]
    try:
        decoded = base64.b64decode(token + b"=" * (-len(token) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return t(" (it does not decode to a user name and password: perhaps not a credential)")
    user, colon, password = decoded.partition(":")
    if not colon:
        return t(" (it does not decode to a user name and password: perhaps not a credential)")
    words = [w for w in re.split(r"[^a-z]+", decoded.lower()) if w]
    if not password or not user or (words and all(w in _PLACEHOLDER_WORDS or len(w) < 3 for w in words)) \
            or len(set(password)) <= 2:
        return t(" (it decodes to what looks like a placeholder or test value; check it is not a real account)")
    return t(" (it decodes to what looks like a real user name and password)")


BATCH = 16 * 1024**2  # text held at most before it is judged (found keywords wait for their turn)
PARALLEL_FROM = 1024**2  # text expected below which a second process costs more than it saves
# text sent to the searching child and not yet answered, beyond which this process searches the
# next text itself: each process then does what it has time for, whatever the machine's load
BACKLOG = 512 * 1024
PARCEL = 64 * 1024  # text sent to the child at once
PARCEL_TEXTS = 256  # texts in one parcel at most: one writev takes at most IOV_MAX (1,024) buffers
_FIRSTS = struct.Struct(f"<{len(_KEYWORDS)}q")
_LENGTH = struct.Struct("<Q")


class CredentialScan:
    """The credential rule, fed each text file during the package's one unpacking pass.

    Linear in the text: keywords are found by a literal search, the full patterns run only on the
    spans around them (each byte at most once), and the work in all is capped by
    ``Limits.max_scan_work``; a file stops being scanned at its tenth finding.

    Files come in a batch (``batch``: up to BATCH bytes), then are judged in their order, as they
    came: the same findings, in the same order, as one by one. Whether a text holds a keyword at all
    is asked of hyperscan (has_keyword), in one pass. Where hyperscan cannot be had, the search
    with bytes.find, most of the time a check of a large package then takes, runs on two cores:
    each text, as it comes, is sent to a forked child (_Searcher) or, while the child is busy,
    searched here; this process meanwhile goes on unpacking.
    """

    def __init__(self, package: Package, report: Report, batch: bool = False):
        self.package = package
        self.report = report
        self.work = 0  # bytes the full patterns examined
        self.searched = 0  # bytes searched for keywords
        self.skipped: list[str] = []
        self.batch = batch
        # (what, name, text, where its keywords are): "scan", "large" or "skip"; for a text sent to
        # the child, where is None until its answer comes
        self._pending: list[list[Any]] = []
        self._pending_size = 0
        self._searcher: _Searcher | None = None
        if batch and keyword_scanner() is None:  # hyperscan searches faster here than a child is sent the text
            limits = package.limits
            expected = min(limits.max_scanned_total,
                           sum(e.size for e in package.entries.values()
                               if e.name.lower().endswith(TEXT_SUFFIXES) and e.size <= limits.max_scanned_size))
            if expected >= PARALLEL_FROM and _may_fork():
                self._searcher = _Searcher.start()

    def wanted(self, entry: Entry) -> bool:
        if not entry.name.lower().endswith(TEXT_SUFFIXES):
            return False
        if entry.size > self.package.limits.max_scanned_size:
            self._queue("large", entry.name)
            return False
        if self.searched + entry.size > self.package.limits.max_scanned_total:
            self._queue("skip", entry.name)
            return False
        self.searched += entry.size
        return True

    def scan(self, name: str, data: bytes) -> None:
        self._queue("scan", name, data)

    def _queue(self, what: str, name: str, data: bytes = b"") -> None:
        item: list[Any] = [what, name, data, None]
        if what == "scan":
            searcher = self._searcher
            found = has_keyword(data) if searcher is None else None
            if found is not None:
                item[3] = None if found else _NO_KEYWORD  # None: where each stands is found as it is judged
            elif searcher is None or not searcher.take(data, item):  # else its answer comes to item[3]
                item[3] = first_keywords(data)
        self._pending.append(item)
        self._pending_size += len(data)
        if not self.batch or self._pending_size >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Judge the files queued, in their order."""
        pending, self._pending, self._pending_size = self._pending, [], 0
        if self._searcher is not None:
            self._searcher.wait()  # every text taken has its answer, or the child is gone
        for what, name, data, firsts in pending:
            if what == "large":
                self.report.info("not-scanned", t("too large to scan for credentials"), file=name)
            elif what == "skip":
                self.skipped.append(name)
            else:
                self._scan(name, data, firsts if firsts is not None else first_keywords(data))

    def _scan(self, name: str, data: bytes, firsts: tuple[int, ...]) -> None:
        if self.work >= self.package.limits.max_scan_work:
            self.skipped.append(name)  # the budget is spent: searched, but not judged
            return
        if not any(at >= 0 for at in firsts) and not name.lower().endswith(".svg"):
            return  # no keyword: nothing to judge (nearly every file)
        text = data.lower()
        if name.lower().endswith(".svg"):  # the same pass serves the active-content rule
            active = _ACTIVE_SVG.search(text)
            if active is not None:
                self.report.warning("active-content", t("the SVG holds script ('{value}'): drawn by <img> it is a "
                                                        "picture, but opened by its own URL it runs at the LMS's "
                                                        "address, as the learner",
                                                        value=active.group().decode().strip()), file=name, line=text.count(b"\n", 0, active.start()) + 1)
        found = 0
        line, counted_to = 1, 0
        position = 0
        budget = self.package.limits.max_scan_work
        for at, keyword_end in _keywords(text, firsts):
            if at < position:
                continue
            start, end = max(at - _BEFORE, position), min(keyword_end + _AFTER, len(text))
            self.work += end - start  # at most _BEFORE + _AFTER per keyword: linear, and capped in all
            match = _COMBINED.search(text, start, end)
            position = keyword_end if match is None else match.end()
            if match is not None:
                found += 1
                line += text.count(b"\n", counted_to, match.start())  # counted once, in order: linear
                counted_to = match.start()
                if found > MAX_PER_FILE:
                    self.report.info("credential-more", t("more credentials follow in this file; the first "
                                                          "{count} are reported", count=MAX_PER_FILE), file=name, line=line)
                    return
                code, _ = _WHAT[match.lastgroup or ""]
                what = _credential_named(code)
                looks = _how_it_looks(data[match.start():match.end()]) if code == "basic-auth" else ""
                self.report.error("credential", t("{what} is written in the package{looks}: anyone who downloads "
                                                  "it can use it. Hand credentials over at launch (cmi5, or the "
                                                  "LMS's launch parameters) instead", what=what, looks=looks), file=name, line=line, path=code)
            if self.work >= budget:
                self.skipped.append(name)
                return

    def abandon(self) -> None:
        """The check stopped: the searching child is told to end, and collected, not left."""
        searcher, self._searcher = self._searcher, None
        if searcher is not None:
            searcher.close()

    def finish(self) -> None:
        self.flush()
        self.abandon()
        if self.skipped:
            shown = ", ".join(self.skipped[:5]) + (t(" and {count} more", count=len(self.skipped) - 5)
                                                   if len(self.skipped) > 5 else "")
            limits = self.package.limits
            self.report.info("not-scanned", t("the credential scan stopped at its budget ({max_scanned_total} "
                                              "bytes searched, {max_scan_work} examined closely); not (fully) "
                                              "scanned: {shown}",
                                              max_scanned_total=limits.max_scanned_total, max_scan_work=limits.max_scan_work,
                                              shown=shown))


class _Searcher:
    """A forked child that answers the texts it is sent with first_keywords of each (fixed-size
    records), in the order sent. Texts go in parcels of about PARCEL bytes, one write each way per
    parcel: a system call per 4 KB page cost as much as searching it. Both pipes are driven
    without blocking on one while the other is full (poll), so neither process waits for the
    other for ever. Whatever goes wrong with the child (it cannot be forked, or dies), what it did
    not answer is searched here (CredentialScan.flush): the findings are the same."""

    def __init__(self, pid: int, to_child: int, from_child: int):
        self.pid = pid
        self.to_child = to_child
        self.from_child = from_child
        self.parcel: list[tuple[list[Any], bytes]] = []  # (item, text) not sent yet
        self.parcel_size = 0
        self.waiting: collections.deque[tuple[list[Any], int]] = collections.deque()  # sent: (item, its length)
        self.unanswered = 0  # bytes taken (sent or in the parcel) and not answered yet
        self.answers = bytearray()  # bytes of records read and not yet given out
        self.broken = False

    @classmethod
    def start(cls) -> "_Searcher | None":
        try:
            down_read, down_write = os.pipe()
        except OSError:
            return None
        try:
            up_read, up_write = os.pipe()
        except OSError:
            os.close(down_read)
            os.close(down_write)
            return None
        try:
            pid = os.fork()
        except OSError:
            for fd in (down_read, down_write, up_read, up_write):
                os.close(fd)
            return None
        if pid == 0:  # the child: answers until its input ends, then gone (no cleanup, no atexit)
            code = 1
            try:
                # nothing but its two pipes: a copy of the other's write end (or of another
                # searcher's, or of a client's socket) would keep an input from ever ending
                low, high = sorted((down_read, up_write))
                os.closerange(3, low)
                os.closerange(low + 1, high)
                os.closerange(high + 1, _max_fd())
                _answer(down_read, up_write)
                code = 0
            finally:
                os._exit(code)
        os.close(down_read)
        os.close(up_write)
        for fd in (down_write, up_read):
            os.set_blocking(fd, False)
        pipes.widen(down_write, BACKLOG)  # the backlog in flight at once
        return cls(pid, down_write, up_read)

    def take(self, text: bytes, item: list[Any]) -> bool:
        """Take ``text`` to be searched by the child (its answer goes to item[3]); False when the
        child is gone, or has a backlog already: the caller searches it."""
        if self.broken:
            return False
        if self.unanswered >= BACKLOG:
            self._read_answers()
            if self.unanswered >= BACKLOG:
                return False
        self.parcel.append((item, text))
        self.parcel_size += len(text)
        self.unanswered += len(text)
        if self.parcel_size >= PARCEL or len(self.parcel) >= PARCEL_TEXTS:
            self._send_parcel()
        return True

    def wait(self) -> None:
        """Until every text taken is answered, or the child is gone."""
        if self.parcel:
            self._send_parcel()
        while self.waiting and not self.broken:
            self._wait_for()

    def close(self) -> None:
        if self.from_child < 0:
            return
        if self.to_child >= 0:
            os.close(self.to_child)  # its input ends: the child answers what it has, and exits
            self.to_child = -1
        os.close(self.from_child)
        self.from_child = -1
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:  # SIGCHLD ignored by the embedding program: reaped already
            pass

    def _send_parcel(self) -> None:
        parcel, self.parcel, self.parcel_size = self.parcel, [], 0
        if self.broken:
            return
        lengths = [len(text) for _, text in parcel]
        message: list[bytes | memoryview] = [_LENGTH.pack(len(parcel)), struct.pack(f"<{len(parcel)}Q", *lengths),
                                             *(text for _, text in parcel)]
        left = sum(map(len, message))
        while left:
            try:
                written = os.writev(self.to_child, message)
            except BlockingIOError:
                written = 0
            except OSError:  # the child is gone (EPIPE): what it did not answer is searched here
                self.broken = True
                return
            left -= written
            while written:
                if written >= len(message[0]):
                    written -= len(message[0])
                    message.pop(0)
                else:
                    message[0] = memoryview(message[0])[written:]
                    written = 0
            if left:
                self._wait_for((self.to_child, select.POLLOUT))
                if self.broken:
                    return
        self.waiting.extend((item, len(text)) for item, text in parcel)

    def _wait_for(self, writable: tuple[int, int] | None = None) -> None:
        """Block until answers come (taken), or the child's input has room (``writable``)."""
        poller = select.poll()
        poller.register(self.from_child, select.POLLIN)
        if writable is not None:
            poller.register(*writable)
        for fd, _ in poller.poll():
            if fd == self.from_child:
                self._read_answers()

    def _read_answers(self) -> None:
        try:
            piece, ended = pipes.read_ready(self.from_child, 1 << 16)
        except OSError:
            piece, ended = b"", True
        if ended:  # the child ended: what it did not answer stays unanswered (None), searched here
            self.broken = True
            self.waiting.clear()
            return
        self.answers += piece
        whole = len(self.answers) // _FIRSTS.size * _FIRSTS.size
        if not whole:
            return
        records, self.answers = self.answers[:whole], self.answers[whole:]
        for found in _FIRSTS.iter_unpack(records):
            if not self.waiting:  # more answers than texts: not to be trusted
                self.broken = True
                break
            item, length = self.waiting.popleft()
            item[3] = tuple(found)
            self.unanswered -= length


def _max_fd() -> int:
    try:
        return max(int(os.sysconf("SC_OPEN_MAX")), 256)
    except (ValueError, OSError):
        return 1 << 16


def _answer(reading: int, writing: int) -> None:
    """The searching child's loop: a parcel in (its count, their lengths, the texts), a record of
    first_keywords for each text out."""
    with os.fdopen(reading, "rb", buffering=1 << 20) as source:
        while header := source.read(_LENGTH.size):
            if len(header) < _LENGTH.size:
                return
            (count,) = _LENGTH.unpack(header)
            sizes = source.read(count * _LENGTH.size)
            if len(sizes) < count * _LENGTH.size:
                return
            records = bytearray()
            for length in struct.unpack(f"<{count}Q", sizes):
                text = source.read(length)
                if len(text) < length:
                    return
                records += _FIRSTS.pack(*first_keywords(text))
            view = memoryview(records)
            while view:
                view = view[os.write(writing, view):]


def _may_fork() -> bool:
    import threading

    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


def check_credentials(package: Package, report: Report) -> None:
    """The credential rule on its own (the check runs it inside the unpacking pass instead)."""
    scanner = CredentialScan(package, report)
    for name in package.names():
        entry = package.entries[name]
        if scanner.wanted(entry):
            scanner.scan(name, package.read(name, package.limits.max_scanned_size))
    scanner.finish()
