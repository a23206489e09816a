"""Pages deflated on the second core while the first is still rendering them.

Deflating a large module's pages is a fifth of its build. Threads cannot overlap it with rendering:
a thread that deflated a page would wait for the GIL (up to 5 ms) before the next, while rendering
holds it. A fork cannot either: every page of the builder's memory it then writes to (CPython
writes to nearly every object it touches) would be copied, which cost more than it saved. So a
small child process is started (a Python of its own, importing only zlib-ng) once there is enough
text, or at once for a large module: pages go to it down a pipe as they are rendered (never waiting for it: what the pipe
cannot take yet stays here), come back deflated with their CRC-32, and the zip writer (archive.py)
takes them from here instead of deflating them again. What the child has not been given when the
writer asks is deflated here meanwhile. The bytes are those the writer would make itself
(compress.deflate); any failure of the child, and the writer deflates everything as before.
"""

from __future__ import annotations

import itertools
import os
import select
import struct
import subprocess
import sys
from collections import deque

from .. import pipes
from ..compress import LEVEL, deflate, zlib

ENABLED = True  # False: the writer deflates everything itself (the tests compare the two)
START_FROM = 256 * 1024  # text held before a child is worth starting; below, the writer deflates it all
_WRITE_FROM = 64 * 1024  # records gathered before a write: a system call per page would cost more
_PIPE_SIZE = 1 << 20  # room for a tenth of a second of the child's work each way
_TO_CHILD = struct.Struct("<II")  # index, length; then the text
_FROM_CHILD = struct.Struct("<III")  # index, CRC-32, length; then the deflated text


# The child: an isolated Python without site (no .pth files, no user paths, no PYTHON* variables)
# that imports zlib-ng from where this process found it, and nothing of modpack (it would take
# longer to start than rendering takes to need it). compress.compressor's own words: a test holds
# the two to the same bytes.
_CHILD = """
import os, struct, sys
sys.path.append(sys.argv[1])
from zlib_ng import zlib_ng as zlib
level = int(sys.argv[2])
head, answer = struct.Struct("<II"), struct.Struct("<III")
with os.fdopen(0, "rb", buffering=1 << 20) as source, os.fdopen(1, "wb", buffering=1 << 20) as sink:
    while record := source.read(head.size):
        if len(record) < head.size:
            sys.exit(1)
        index, length = head.unpack(record)
        text = source.read(length)
        if len(text) < length:
            sys.exit(1)
        compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
        packed = compressor.compress(text) + compressor.flush()
        sink.write(answer.pack(index, zlib.crc32(text), len(packed)))
        sink.write(packed)
"""


def _child_args() -> list[str]:
    import zlib_ng

    return [os.path.dirname(os.path.dirname(os.path.abspath(zlib_ng.__file__))), str(LEVEL)]


class _Record:
    """A text on its way to the child: its index and what of its header and text is still unsent."""

    __slots__ = ("index", "parts", "begun")

    def __init__(self, index: int, text: bytes):
        self.index = index
        self.parts = [memoryview(_TO_CHILD.pack(index, len(text))), memoryview(text)]
        self.begun = False  # some of it is written: the child must get all of it


class DeflateAhead:
    """Deflate text in a child process as it is made: ``submit`` each text, ``take`` what it became.

    A context manager: leaving it ends the child however the build went."""

    def __init__(self, enabled: bool = True):
        self._enabled = enabled and ENABLED and os.name == "posix"
        self._texts: list[bytes] = []  # kept alive: a text is known by its identity
        self._index: dict[int, int] = {}  # id(text) -> its index
        self._held = 0  # bytes not yet written to the child
        self._pump_at = _WRITE_FROM  # ...at which to try the pipe again (not at every page while it is full)
        self._child: subprocess.Popen[bytes] | None = None
        self._to_child = -1
        self._from_child = -1
        self._unsent: deque[_Record] = deque()
        self._answer = bytearray()
        self._done: dict[int, tuple[int, bytes]] | None = None
        self.failed = False

    def __enter__(self) -> DeflateAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, text: bytes) -> None:
        """Have ``text`` deflated ahead: queued for the child, which starts once enough has come."""
        if not text or not self._enabled or self.failed or self._done is not None or id(text) in self._index:
            return  # (an empty text: the writer's own work is nothing)
        self._index[id(text)] = index = len(self._texts)
        self._texts.append(text)
        self._unsent.append(_Record(index, text))
        self._held += _TO_CHILD.size + len(text)
        if self._child is None:
            if self._held >= START_FROM:
                self._start()
        elif self._held >= self._pump_at:
            self._pump()

    def take(self, text: bytes) -> tuple[int, bytes] | None:
        """(CRC-32, deflated bytes) of exactly this text, or None: the writer deflates it itself."""
        index = self._index.get(id(text))
        if index is None or self._texts[index] is not text:
            return None
        if self._done is None:
            self._finish()
        assert self._done is not None
        return self._done.get(index)

    def close(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._reap()
        self._to_child = self._from_child = -1

    def start(self) -> None:
        """Start the child now, before any text comes (a large module: it is ready when the first
        page is), rather than once enough text has."""
        if self._enabled and self._child is None and not self.failed and self._done is None:
            self._start()

    def _start(self) -> None:
        try:
            child = subprocess.Popen([sys.executable, "-I", "-S", "-c", _CHILD, *_child_args()],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     close_fds=True)
        except (OSError, ValueError, ImportError):
            self.failed = True
            return
        assert child.stdin is not None and child.stdout is not None
        self._child, self._to_child, self._from_child = child, child.stdin.fileno(), child.stdout.fileno()
        for fd in (self._to_child, self._from_child):
            pipes.widen(fd, _PIPE_SIZE)
            os.set_blocking(fd, False)
        self._pump()

    def _pump(self) -> None:
        """Write what the pipe takes now (several records a call), take what the child has answered:
        never waiting."""
        while self._unsent and not self.failed:
            parts = [part for record in itertools.islice(self._unsent, 64) for part in record.parts]
            try:
                written = os.writev(self._to_child, parts)
            except BlockingIOError:
                break
            except OSError:
                self.failed = True
                return
            self._held -= written
            while written:
                record = self._unsent[0]
                record.begun = True
                part = record.parts[0]
                if written >= len(part):
                    written -= len(part)
                    record.parts.pop(0)
                    if not record.parts:
                        self._unsent.popleft()
                else:
                    record.parts[0] = part[written:]
                    written = 0
        self._pump_at = self._held + _WRITE_FROM
        self._drain()

    def _drain(self) -> None:
        try:
            piece, _ = pipes.read_ready(self._from_child, 1 << 20)  # its end is _finish's to judge
        except OSError:
            self.failed = True
            return
        self._answer += piece

    def _finish(self) -> None:
        """Every answer (none, if anything fails: the writer deflates everything)."""
        try:
            self._collect()
        except Exception:  # noqa: BLE001 - whatever went wrong here, the writer's own way is the same bytes
            self.failed = True
        if self.failed:
            self._done = {}

    def _collect(self) -> None:
        """The child is given texts from the front of what is unsent while this process deflates them
        from the back, until none is left; then its answers are read."""
        self._done = {}
        if self._child is None or self.failed:
            return
        here: dict[int, tuple[int, bytes]] = {}
        since_pump = _WRITE_FROM
        while self._unsent and not self.failed:
            if since_pump >= _WRITE_FROM:  # the child's share, as the pipe takes it
                self._pump()
                since_pump = 0
                if not self._unsent:
                    break
            last = self._unsent[-1]
            if last.begun:  # the only one left, part written: the child gets the rest of it
                waiting = select.poll()
                waiting.register(self._from_child, select.POLLIN)
                waiting.register(self._to_child, select.POLLOUT)
                waiting.poll()
                since_pump = _WRITE_FROM
                continue
            self._unsent.pop()
            text = self._texts[last.index]
            self._held -= _TO_CHILD.size + len(text)
            since_pump += len(text)
            here[last.index] = (zlib.crc32(text), deflate(text))
        assert self._child.stdin is not None
        try:
            self._child.stdin.close()
        except OSError:
            self.failed = True
        self._to_child = -1
        os.set_blocking(self._from_child, True)
        try:
            while piece := os.read(self._from_child, 1 << 20):
                self._answer += piece
        except OSError:
            self.failed = True
        status = self._reap()
        done = here
        view, at = memoryview(self._answer), 0
        while at + _FROM_CHILD.size <= len(view):
            index, crc, length = _FROM_CHILD.unpack_from(view, at)
            at += _FROM_CHILD.size
            done[index] = (crc, bytes(view[at:at + length]))
            at += length
        complete = at == len(view) and len(done) == len(self._texts)
        view.release()
        self._answer = bytearray()
        if complete and status == 0 and not self.failed:
            self._done = done
        else:
            self.failed = True

    def _reap(self) -> int:
        child, self._child = self._child, None
        if child is None:
            return -1
        for stream in (child.stdin, child.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        return child.wait()
