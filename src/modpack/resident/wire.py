"""What the client and the server share: where the socket lives, which code it serves, the frames.

Kept to the standard library's light modules: the client imports this on every `build` and
`check`, and each millisecond here is one a content team waits for after each edit.
"""

from __future__ import annotations

import _socket  # socket.py would import enum, selectors and array for what these few calls need
import json
import os
import stat
import struct
import sys
import time
from typing import Any, Mapping

PROTOCOL = 1
MAX_FRAME = 1 << 20   # an environment of a few kB; a megabyte is far beyond any real request
SOCKET_SUFFIX = ".sock"
_LENGTH = struct.Struct(">I")
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class WireError(Exception):
    """The other side broke the protocol or went away."""


# A socket's path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS), with the name
# (server-KEY.sock, 28 bytes) and the temporary suffix it is bound under (.PID.tmp, up to 12).
MAX_FOLDER = 56


def runtime_dir(env: Mapping[str, str] | None = None) -> str:
    """The folder of this user's servers: $XDG_RUNTIME_DIR/modpack (per user, 0700, cleared at
    log-out), else (or if that path is too long for a socket) /tmp/modpack-UID, as tmux does."""
    base = (os.environ if env is None else env).get("XDG_RUNTIME_DIR", "")
    if base and os.path.isabs(base):
        folder = os.path.join(base, "modpack")
        if len(os.fsencode(folder)) <= MAX_FOLDER:
            return folder
    return f"/tmp/modpack-{os.getuid()}"


def unsafe_dir(path: str) -> tuple[str, dict[str, object]] | None:
    """Why ``path`` may not hold this user's sockets (a message template of modpack.messages and
    its values), or None when it may: a real folder (not a link), owned by this user, that no one
    else can enter or write."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "it does not exist", {}
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder (or it is a link)", {}
    if info.st_uid != os.getuid():
        return "it belongs to user {owner}, not to you ({uid})", {"owner": info.st_uid, "uid": os.getuid()}
    if info.st_mode & 0o077:
        return "others may use it (mode {mode}; it must be 700)", {"mode": f"{stat.S_IMODE(info.st_mode):o}"}
    return None


def code_key(root: str = _PACKAGE_ROOT) -> str:
    """A name for the exact code that runs: the interpreter, where it finds packages, and every file
    of modpack (name, size, time of change). A server started before an upgrade or an edit has another key, so no client
    ever reaches it: a build never runs code older than the command that asked for it."""
    items: list[str] = [sys.executable, sys.prefix, sys.version, root]
    # where the dependencies come from: a folder's time changes as packages are installed in it or
    # removed (a pip upgrade of pydantic); the first entry is the script's or working folder
    for folder_on_path in sys.path[1:]:
        try:
            items.append(f"{folder_on_path}\0{os.stat(folder_on_path).st_mtime_ns}")
        except OSError:
            items.append(folder_on_path)
    fixed = len(items)
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    info = entry.stat(follow_symlinks=False)
                    items.append(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}")
    items[fixed:] = sorted(items[fixed:])  # scandir's order is the file system's, not a fixed one
    import zlib  # already loaded by the interpreter; two checksums make 64 bits, enough to tell versions apart

    text = "\n".join(items).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


def socket_path(folder: str, key: str) -> str:
    return os.path.join(folder, f"server-{key}{SOCKET_SUFFIX}")


_FD = struct.Struct("i")


def peer(sock: _socket.socket) -> tuple[int, int] | None:
    """The process id and user id at the other end, where the system tells them (Linux)."""
    option = getattr(_socket, "SO_PEERCRED", None)
    if option is None:
        return None
    pid, uid, _gid = struct.unpack("3i", sock.getsockopt(_socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return int(pid), int(uid)


def send(sock: _socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    body = json.dumps(message, separators=(",", ":")).encode()
    frame = _LENGTH.pack(len(body)) + body
    if fds:  # SCM_RIGHTS: the receiver gets its own descriptors of the same open files
        rights = b"".join(_FD.pack(fd) for fd in fds)
        sent = sock.sendmsg([frame], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
        frame = frame[sent:]
    if frame:
        sock.sendall(frame)


def _exactly(sock: _socket.socket, size: int, deadline: float | None = None) -> bytes:
    data = bytearray()
    while len(data) < size:
        _before(sock, deadline)
        piece = sock.recv(size - len(data))
        if not piece:
            raise WireError("the other side closed the connection")
        data += piece
    return bytes(data)


def _before(sock: _socket.socket, deadline: float | None) -> None:
    """A read's timeout: what is left of ``deadline`` (time.monotonic), which bounds the whole frame."""
    if deadline is not None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise WireError("the request took too long")
        sock.settimeout(left)


def receive(sock: _socket.socket, max_fds: int = 0, deadline: float | None = None) -> tuple[dict[str, Any], list[int]]:
    """One frame, and the file descriptors that came with its first bytes (not inherited by
    programs the receiver starts); all of it before ``deadline`` (time.monotonic), if given."""
    fds: list[int] = []
    if max_fds:
        _before(sock, deadline)
        head, ancillary, flags, _ = sock.recvmsg(_LENGTH.size, _socket.CMSG_SPACE(max_fds * _FD.size),
                                                 getattr(_socket, "MSG_CMSG_CLOEXEC", 0))
        for level, kind, data in ancillary:
            if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
                whole = len(data) - len(data) % _FD.size
                fds += [fd for (fd,) in _FD.iter_unpack(data[:whole])]
        if flags & getattr(_socket, "MSG_CTRUNC", 0):
            _close(fds)
            raise WireError("file descriptors were cut off")
        if not head:
            raise WireError("the other side closed the connection")
        head += _exactly(sock, _LENGTH.size - len(head), deadline) if len(head) < _LENGTH.size else b""
    else:
        head = _exactly(sock, _LENGTH.size, deadline)
    try:
        (size,) = _LENGTH.unpack(head)
        if size > MAX_FRAME:
            raise WireError(f"a frame of {size} bytes (at most {MAX_FRAME})")
        message = json.loads(_exactly(sock, size, deadline))
        if not isinstance(message, dict):
            raise WireError("a frame that is not an object")
    except (WireError, ValueError, OSError, RecursionError) as exc:  # RecursionError: '[' nested deep
        _close(fds)
        raise WireError(str(exc)) from None
    return message, fds


class Incoming:
    """One frame read as its bytes come, never waiting for them: what a server that must not be
    held by one client reads each connection with (receive() waits). The descriptors that come
    with its bytes, at most ``max_fds`` of them, are kept with it (not inherited by programs)."""

    def __init__(self, max_fds: int = 0):
        self.max_fds = max_fds
        self.data = bytearray()
        self.fds: list[int] = []

    def read(self, sock: _socket.socket) -> dict[str, Any] | None:
        """What ``sock`` has now (it is non-blocking); the message once the whole frame has come,
        else None. Never reads past the frame. WireError (its descriptors closed) for a broken one."""
        try:
            size = _LENGTH.unpack_from(self.data)[0] if len(self.data) >= _LENGTH.size else None
            if size is not None and size > MAX_FRAME:
                raise WireError(f"a frame of {size} bytes (at most {MAX_FRAME})")
            wanted = _LENGTH.size - len(self.data) if size is None else _LENGTH.size + size - len(self.data)
            try:
                if self.max_fds:
                    piece, ancillary, flags, _ = sock.recvmsg(min(wanted, 1 << 16), _socket.CMSG_SPACE(
                        self.max_fds * _FD.size), getattr(_socket, "MSG_CMSG_CLOEXEC", 0))
                    for level, kind, data in ancillary:
                        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
                            whole = len(data) - len(data) % _FD.size
                            self.fds += [fd for (fd,) in _FD.iter_unpack(data[:whole])]
                    if flags & getattr(_socket, "MSG_CTRUNC", 0) or len(self.fds) > self.max_fds:
                        raise WireError("file descriptors were cut off")
                else:
                    piece = sock.recv(min(wanted, 1 << 16))
            except (BlockingIOError, InterruptedError):
                return None
            if not piece:
                raise WireError("the other side closed the connection")
            self.data += piece
            if len(self.data) < _LENGTH.size:
                return None
            (size,) = _LENGTH.unpack_from(self.data)
            if size > MAX_FRAME:
                raise WireError(f"a frame of {size} bytes (at most {MAX_FRAME})")
            if len(self.data) < _LENGTH.size + size:
                return None
            message = json.loads(bytes(self.data[_LENGTH.size:]))
            if not isinstance(message, dict):
                raise WireError("a frame that is not an object")
            return message
        except (WireError, ValueError, OSError, RecursionError) as exc:  # RecursionError: '[' nested deep
            self.close()
            raise WireError(str(exc)) from None

    def take_fds(self) -> list[int]:
        """The descriptors, now the caller's to close."""
        fds, self.fds = self.fds, []
        return fds

    def close(self) -> None:
        _close(self.take_fds())


def _close(fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def connect(path: str, timeout: float | None = None) -> _socket.socket | None:
    """A connection to the server at ``path``, or None if none answers there (it is the server's
    own user: checked, so a socket someone else made is never spoken to)."""
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
        other = peer(sock)
        if other is not None and other[1] != os.getuid():
            raise ConnectionRefusedError
    except OSError:
        sock.close()
        return None
    return sock
