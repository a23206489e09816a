"""The resident server: modpack imported and its validators made once, then a fork per command.

Each command runs in a child forked from a server that has never run one, so no command sees what
another left behind (no cache, no module state): it starts where a new process would be after its
imports, which is the quarter of a second a build otherwise spends before reading a byte.

Run by `modpack server start` as ``python -m modpack.resident.server``; see docs/cli.md#server.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import selectors
import signal
import socket
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from . import wire
from .client import LIMITS, ignored_signals
from .context import foreign


# What a build or a check would import or make on its way; done here once, before the first fork.
WARM_MODULES = (
    "modpack.cli", "modpack.definition.loader", "modpack.definition.checks", "modpack.definition.markdown",
    "modpack.definition.blocks", "modpack.package.builder", "modpack.package.content", "modpack.package.archive",
    "modpack.package.cache", "modpack.package.media", "modpack.checker.run", "modpack.checker.scorm",
    "modpack.checker.cmi5", "modpack.checker.tincan", "modpack.checker.names", "modpack.checker.reader",
    "modpack.package.targets.scorm12", "modpack.package.targets.scorm2004", "modpack.package.targets.cmi5",
    "modpack.package.targets.xapi", "modpack.package.targets.lom", "concurrent.futures", "multiprocessing",
    "encodings.utf_8_sig", "encodings.cp437",  # a page's text decoded; a zip's entry names
)
# ignored by every Python process from its start, the caller's as well as this one
_PYTHON_IGNORES = {signal.SIGPIPE, getattr(signal, "SIGXFSZ", signal.SIGPIPE)}
TICK = 1.0  # seconds between looks at the idle time and at the socket still being this server's
REQUEST_TIME = 2.0  # seconds a client has to send its whole request
MAX_PENDING = 32  # connections whose request is still coming; past them, a new one is declined at once


def warm_up() -> None:
    """Import and make, once, what every command would: nothing that depends on a user's input."""
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)
    from ..checker import names
    from ..package import builder
    from .. import xsd

    names.keyword_scanner()  # hyperscan's keywords compiled (a child makes only its scratch space)
    builder.make_ready()
    for standard in xsd.SCHEMA_SETS:
        xsd.schema(standard)
    gc.collect()
    gc.freeze()  # what is here now stays put: a child's collections do not touch (and copy) these pages


@dataclass
class Spare:
    """A child forked before it is needed, waiting for its command on ``channel``: the next command
    does not wait for a fork."""
    pid: int
    channel: socket.socket


@dataclass(eq=False)
class Pending:
    """A connection whose request is still coming, read as it comes (wire.Incoming): a client
    slow or silent, the same user's only, holds neither the server nor the others past its time."""
    conn: socket.socket
    peer: tuple[int, int] | None
    deadline: float
    incoming: wire.Incoming = field(default_factory=lambda: wire.Incoming(max_fds=4))


@dataclass
class Server:
    folder: str
    key: str
    idle: float
    path: str = ""
    listener: socket.socket | None = None
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    children: dict[int, socket.socket] = field(default_factory=dict)  # pid -> its client's connection
    pending: list[Pending] = field(default_factory=list)  # connections whose request is still coming
    deaf: set[int] = field(default_factory=set)  # the commands that ignore SIGTERM (as their callers do)
    served: int = 0
    started: float = field(default_factory=time.time)
    last_active: float = field(default_factory=time.monotonic)
    stopping: bool = False
    stop_asked: bool = False
    inode: int = 0
    spare: Spare | None = None
    spare_failed: bool = False  # the last fork of a spare failed (said once in the log, not each turn)
    wake_r: int = -1
    wake_w: int = -1

    # --- set-up and tear-down ---

    def listen(self) -> None:
        """Bind the socket under a temporary name, then rename it into place: a client never meets a
        socket that is not listening yet."""
        self.path = wire.socket_path(self.folder, self.key)
        temporary = f"{self.path}.{os.getpid()}.tmp"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        old_mask = os.umask(0o177)
        try:
            listener.bind(temporary)
        finally:
            os.umask(old_mask)
        listener.listen(64)
        os.replace(temporary, self.path)
        listener.setblocking(False)
        self.listener = listener
        self.inode = os.stat(self.path).st_ino
        self.selector.register(listener, selectors.EVENT_READ, "accept")
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)
        self.selector.register(self.wake_r, selectors.EVENT_READ, "signal")
        signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wake-up pipe hears of it
        signal.signal(signal.SIGTERM, self._stop_signal)
        signal.signal(signal.SIGINT, self._stop_signal)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    def _stop_signal(self, _number: int, _frame: Any) -> None:
        self.stop_asked = True  # acted on by the loop (the wake-up pipe ends its wait), not mid-step

    def begin_stop(self) -> None:
        """New commands go elsewhere at once; those running end first."""
        if self.stopping:
            return
        self.stopping = True
        self._unlink_own_socket()
        if self.listener is not None:
            self.selector.unregister(self.listener)
            self._decline_queued(self.listener)
            self.listener.close()
            self.listener = None
        for request in list(self.pending):  # as the queued ones: they run their command at home
            self._drop_pending(request, "the server is stopping")

    @staticmethod
    def _decline_queued(listener: socket.socket) -> None:
        """Tell the clients that connected before the name went, and wait in the queue, that
        nothing runs here: closing the listener on them would leave them not knowing, and they
        would end as if the server had died mid-command. (What they sent stays unread: a client
        reads the answer before it learns of that.)"""
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:  # BlockingIOError: the queue is empty
                return
            try:
                conn.settimeout(0.5)
                wire.send(conn, {"declined": "the server is stopping"})
            except OSError:
                pass
            conn.close()

    def _unlink_own_socket(self) -> None:
        if self._still_ours():
            try:
                os.unlink(self.path)
            except OSError:
                pass

    def _still_ours(self) -> bool:
        try:
            return os.stat(self.path).st_ino == self.inode
        except OSError:
            return False

    # --- the loop ---

    def serve(self) -> None:
        self._tend_spare()
        while not (self.stopping and not self.children):
            if self.stop_asked:
                self.begin_stop()
            wait = TICK
            if self.pending:
                wait = max(0.0, min(wait, min(request.deadline for request in self.pending) - time.monotonic()))
            for key, _events in self.selector.select(wait):
                if self.stop_asked:
                    break
                if key.data == "accept":
                    self._accept()
                elif isinstance(key.data, Pending):
                    if key.data in self.pending:  # (not one a stop in this same turn declined and closed)
                        self._read_request(key.data)
                elif key.data == "signal":
                    try:
                        os.read(self.wake_r, 512)
                    except BlockingIOError:
                        pass
                elif isinstance(key.data, int):
                    self._client_left(key.data)
            now = time.monotonic()
            for request in [request for request in self.pending if request.deadline <= now]:
                self._drop_pending(request, "the request took too long")
            self._reap()
            self._tend_spare()
            if not self.stopping and not self.children:
                if time.monotonic() - self.last_active > self.idle:
                    self.begin_stop()
                elif not self._still_ours():  # another server took the name (or it was removed)
                    self.begin_stop()
        self._unlink_own_socket()
        self._drop_spare()

    # --- the spare ---

    def _tend_spare(self) -> None:
        """A spare while the server serves (forked after the reply to the command before, so that
        no client waits for it); tried again on the next turn of the loop if the system has no
        process to give now."""
        if self.stopping:
            self._drop_spare()
        elif self.spare is None:
            self.spare = self._fork_spare()

    def _fork_spare(self) -> Spare | None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            pid = os.fork()
        except OSError as exc:  # EAGAIN at `ulimit -u` or a cgroup's pids.max, ENOMEM
            if not self.spare_failed:
                print(f"modpack server: no spare for now: {exc}", file=sys.stderr, flush=True)
            self.spare_failed = True
            ours.close()
            theirs.close()
            return None
        self.spare_failed = False
        if pid == 0:  # the spare: never returns
            code = 70
            try:
                ours.close()
                self._become_child(None)
                code = _wait_as_spare(theirs)
            finally:
                os._exit(code)
        theirs.close()
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass
        return Spare(pid, ours)

    def _drop_spare(self) -> None:
        if self.spare is not None:
            self.spare.channel.close()  # it reads the end of its channel and leaves
            try:
                os.waitpid(self.spare.pid, 0)  # at once: it waits for nothing else
            except ChildProcessError:
                pass
            self.spare = None

    def _accept(self) -> None:
        """A new connection: its request is read as it comes (_read_request), while the server
        goes on with the others."""
        if self.listener is None:
            return
        try:
            conn, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        try:
            other = wire.peer(conn)
            if other is not None and other[1] != os.getuid():
                why = f"user {other[1]} is not this server's user"
            elif len(self.pending) >= MAX_PENDING:
                why = f"more than {MAX_PENDING} requests are coming in at once"
            else:
                conn.setblocking(False)
                request = Pending(conn, other, time.monotonic() + REQUEST_TIME)
                self.pending.append(request)
                self.selector.register(conn, selectors.EVENT_READ, request)
                self._read_request(request)  # a client sends as it connects: often whole already
                return
            conn.settimeout(0.5)
            wire.send(conn, {"declined": why})
        except OSError:
            pass
        except Exception:  # noqa: BLE001 - one bad connection never ends the server: said in its log
            traceback.print_exc()
        conn.close()

    def _read_request(self, request: Pending) -> None:
        try:
            message = request.incoming.read(request.conn)
        except wire.WireError as exc:
            self._drop_pending(request, str(exc))
            return
        if message is None:
            return  # more to come
        self._forget_pending(request)
        request.conn.setblocking(True)
        try:
            self._answer(request.conn, message, request.incoming.take_fds(), request.peer)
        except Exception:  # noqa: BLE001 - one bad connection never ends the server: said in its log
            traceback.print_exc()
            request.conn.close()

    def _forget_pending(self, request: Pending) -> None:
        if request in self.pending:
            self.pending.remove(request)
        try:
            self.selector.unregister(request.conn)
        except (KeyError, ValueError):
            pass

    def _drop_pending(self, request: Pending, why: str) -> None:
        """Decline a request that cannot be served (broken, too slow, or the server stops)."""
        self._forget_pending(request)
        request.incoming.close()
        try:
            request.conn.settimeout(0.5)
            wire.send(request.conn, {"declined": why})
        except OSError:
            pass
        request.conn.close()

    def _answer(self, conn: socket.socket, message: dict[str, Any], fds: list[int],
                other: tuple[int, int] | None) -> None:
        try:
            op = message.get("op")
            if op == "status":
                wire.send(conn, self.status())
            elif op == "stop":
                wire.send(conn, {"stopping": True, "running": len(self.children)})
                self.begin_stop()
            elif op == "run":
                elsewhere = foreign(other[0]) if other is not None else None
                if elsewhere:
                    raise wire.WireError(elsewhere)
                owned, fds = fds, []
                self._run(conn, message, owned)  # owns the descriptors, and the connection
                return
            else:
                wire.send(conn, {"declined": f"unknown request {op!r}"})
        except (OSError, wire.WireError) as exc:
            try:
                wire.send(conn, {"declined": str(exc)})
            except OSError:
                pass
        finally:
            for fd in fds:
                os.close(fd)
        conn.close()

    def status(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "key": self.key, "socket": self.path, "served": self.served,
                "running": len(self.children), "started": self.started, "idle_limit": self.idle,
                "idle": round(time.monotonic() - self.last_active, 1) if not self.children else 0.0,
                "spare": self.spare.pid if self.spare is not None else None, "commands": sorted(self.children)}

    def _run(self, conn: socket.socket, message: dict[str, Any], fds: list[int]) -> None:
        why = _unfit(message, fds)
        if why:
            for fd in fds:
                os.close(fd)
            try:
                wire.send(conn, {"declined": why})
            except OSError:
                pass
            conn.close()
            return
        pid = self._hand_to_spare(conn, message, fds)
        told = pid is not None  # the spare's pid went first; after it, only the spare writes, then the server
        if pid is None:
            try:
                pid = os.fork()
            except OSError as exc:  # nothing runs: the client is told so, and runs it itself
                for fd in fds:
                    os.close(fd)
                try:
                    wire.send(conn, {"declined": f"no process for the command: {exc}"})
                except OSError:
                    pass
                conn.close()
                return
            if pid == 0:  # the child: never returns
                code = 70
                try:
                    self._become_child(conn)
                    code = run_command(message, fds)
                finally:
                    os._exit(code)
        for fd in fds:
            os.close(fd)
        self.last_active = time.monotonic()  # only commands count: a status or a stray connection does not
        try:
            os.setpgid(pid, pid)  # also done by the child: whichever comes first, signals reach its group
        except OSError:
            pass
        self.served += 1
        self.children[pid] = conn
        if signal.SIGTERM in message["ignored"]:
            self.deaf.add(pid)
        try:
            if not told:
                wire.send(conn, {"pid": pid})  # (a spare that failed was told first: the client takes the last)
        except OSError:
            self._kill(pid)
        conn.setblocking(False)
        self.selector.register(conn, selectors.EVENT_READ, pid)

    def _hand_to_spare(self, conn: socket.socket, message: dict[str, Any], fds: list[int]) -> int | None:
        """The spare's pid once it has the command (and its own copies of ``fds``); None without one.

        The client is told the pid first, then the spare gets the connection too: it sends the exit
        code itself as soon as the command has ended, before its process is torn down (the server
        still sends how the process ended, which the client no longer waits for)."""
        spare, self.spare = self.spare, None
        if spare is None:
            return None
        try:
            wire.send(conn, {"pid": spare.pid})
            wire.send(spare.channel, message, [*fds, conn.fileno()])
        except (OSError, ValueError, RecursionError):  # (a message that cannot be sent again is not the spare's end)
            spare.channel.close()
            return None  # it went away (it is reaped as any child), having run nothing: fork as before
        spare.channel.close()
        return spare.pid

    def _become_child(self, keep: socket.socket | None) -> None:
        """Drop what is the server's: its socket, other clients, its signal handling."""
        signal.set_wakeup_fd(-1)
        for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for ignored in ignored_signals() - _PYTHON_IGNORES:  # what the server's own start left ignored
            signal.signal(ignored, signal.SIG_DFL)  # is not the caller's (run_command sets those)
        try:
            os.setpgid(0, 0)
        except OSError:
            pass
        if self.listener is not None:
            self.listener.close()
        for conn in self.children.values():
            conn.close()
        for request in self.pending:  # the server's to answer, not this child's
            request.incoming.close()
            request.conn.close()
        if self.spare is not None:
            self.spare.channel.close()
        self.selector.close()
        os.close(self.wake_r)
        os.close(self.wake_w)
        if keep is not None:
            keep.close()  # the exit status is sent by the server, which sees how the child ended

    def _client_left(self, pid: int) -> None:
        """The client went away (killed, say): its command is stopped as a terminal would stop it."""
        conn = self.children.get(pid)
        if conn is None:
            return
        try:
            data = conn.recv(1)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.selector.unregister(conn)
            self._kill(pid)

    def _kill(self, pid: int) -> None:
        """SIGTERM, so that the command removes what it had begun to write; SIGKILL to one that
        ignores SIGTERM (its caller did), which would otherwise outlive its caller."""
        try:
            os.killpg(pid, signal.SIGKILL if pid in self.deaf else signal.SIGTERM)
            os.killpg(pid, signal.SIGCONT)  # a command stopped (Ctrl-Z) takes its SIGTERM once continued
        except OSError:
            pass

    def _reap(self) -> None:
        while True:  # (not only while commands run: a spare dropped or gone is reaped too, never left a zombie)
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            self.deaf.discard(pid)
            if conn is None:
                continue
            self.last_active = time.monotonic()
            if os.WIFSIGNALED(status):
                reply = {"signal": os.WTERMSIG(status)}
            else:
                reply = {"exit": os.waitstatus_to_exitcode(status)}
            try:
                self.selector.unregister(conn)
            except (KeyError, ValueError):
                pass
            try:
                conn.setblocking(True)
                conn.settimeout(2.0)
                wire.send(conn, reply)
            except OSError:
                pass
            conn.close()


def _wait_as_spare(channel: socket.socket) -> int:
    """In the spare: wait for a command, run it, and tell the client its exit code. The server
    closing the channel (it stops, or drops the spare) ends the spare quietly."""
    try:
        message, fds = wire.receive(channel, max_fds=5)
    except (OSError, wire.WireError):
        return 0
    channel.close()
    if len(fds) != 5:
        for fd in fds:
            os.close(fd)
        return 70
    client = socket.socket(fileno=fds.pop())
    code = run_command(message, fds)
    try:
        client.settimeout(2.0)
        wire.send(client, {"exit": code})
    except OSError:
        pass  # the server tells it, once this process has ended
    client.close()
    return code


_RUN_FIELDS = frozenset({"op", "protocol", "argv", "env", "umask", "limits", "streams", "ignored"})


def _unfit(message: dict[str, Any], fds: list[int]) -> str | None:
    """Why a run request cannot be served as asked (then the client runs the command itself).
    Every field is judged here, before any process is given the command: one the child could not
    take (an environment variable the system cannot set, an unknown encoding, a limit above its
    own hard one) would otherwise end it with 70 and no word, where the client's own process runs."""
    if message.get("protocol") != wire.PROTOCOL:
        return "another protocol"
    if len(fds) != 4:
        return "the standard streams and working folder did not come"
    if not set(message) <= _RUN_FIELDS:
        return f"unknown fields {sorted(set(message) - _RUN_FIELDS)!r}"
    argv, env = message.get("argv"), message.get("env")
    if not (isinstance(argv, list) and all(isinstance(a, str) and "\0" not in a for a in argv)):
        return "arguments are not a list of strings"
    if not (isinstance(env, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())):
        return "the environment is not a mapping of strings"
    if any(not key or "=" in key or "\0" in key or "\0" in value for key, value in env.items()):
        return "the environment holds a variable this system cannot set"
    umask = message.get("umask")
    if not (isinstance(umask, int) and not isinstance(umask, bool) and 0 <= umask <= 0o777):
        return "no umask"
    streams = message.get("streams")
    if streams is not None and not (isinstance(streams, list) and len(streams) == 3
                                    and all(spec is None or _stream_spec(spec) for spec in streams)):
        return "the standard streams are not described as Python makes them"
    ignored = message.get("ignored")
    if not (isinstance(ignored, list) and all(isinstance(n, int) for n in ignored)
            and set(ignored) <= signal.valid_signals() - {signal.SIGKILL, signal.SIGSTOP}):
        return "the ignored signals are not a list of signals"
    import resource

    limits = message.get("limits")
    if not isinstance(limits, dict):
        return "no limits"
    if not set(limits) <= set(LIMITS):
        return f"unknown limits {sorted(set(limits) - set(LIMITS))!r}"
    for name in LIMITS:
        if not hasattr(resource, name):
            continue
        asked = limits.get(name)
        if not (isinstance(asked, list) and len(asked) == 2
                and all(isinstance(v, int) and (v == resource.RLIM_INFINITY or 0 <= v < 2 ** 63) for v in asked)):
            return f"no {name}"
        if asked[1] != resource.RLIM_INFINITY and (asked[0] == resource.RLIM_INFINITY or asked[0] > asked[1]):
            return f"{name} is softer than it is hard"
        _soft, hard = resource.getrlimit(getattr(resource, name))
        if hard != resource.RLIM_INFINITY and (asked[1] == resource.RLIM_INFINITY or asked[1] > hard):
            return f"{name} is higher than the server's"  # a child cannot raise it: run it at home
    return None


def _stream_spec(spec: Any) -> bool:
    """Whether ``spec`` describes a text stream _stream can make: [encoding, errors, line_buffering,
    write_through], the encoding and the error handler known to this Python."""
    import codecs

    if not (isinstance(spec, list) and len(spec) == 4 and all(isinstance(v, str) for v in spec[:2])
            and all(isinstance(v, bool) for v in spec[2:])):
        return False
    try:
        codecs.lookup(spec[0])
        codecs.lookup_error(spec[1])
    except LookupError:
        return False
    return True


def _stream(fd: int, mode: str, spec: list[Any] | None) -> io.TextIOWrapper | None:
    """A standard stream on ``fd`` made as the client's interpreter made its own."""
    if spec is None:
        return None
    encoding, errors, line_buffering, write_through = spec
    raw = io.FileIO(fd, mode, closefd=False)
    buffered = io.BufferedReader(raw) if mode == "rb" else io.BufferedWriter(raw)
    return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, line_buffering=line_buffering,
                            write_through=write_through, newline="\n" if mode == "rb" else None)


def run_command(message: dict[str, Any], fds: list[int]) -> int:
    """In the child: become the client's process (streams, folder, environment, umask, limits),
    run the command, and give its exit code."""
    import resource
    import tempfile

    stdin, stdout, stderr, cwd = fds
    for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(fd, target)
        os.close(fd)
    os.fchdir(cwd)
    os.close(cwd)
    os.environ.clear()
    os.environ.update(message["env"])
    time.tzset()
    tempfile.tempdir = None  # found again from this environment's TMPDIR
    os.umask(message["umask"])
    for name, (soft, hard) in message["limits"].items():
        if hasattr(resource, name):
            resource.setrlimit(getattr(resource, name), (soft, hard))
    streams = message.get("streams") or [None, None, None]
    sys.stdin = _stream(0, "rb", streams[0])
    sys.stdout = _stream(1, "wb", streams[1])
    sys.stderr = _stream(2, "wb", streams[2])
    for number in message["ignored"]:  # as `nohup` or `cmd &` left them: what the command inherits
        signal.signal(number, signal.SIG_IGN)
    sys.argv = ["modpack", *message["argv"]]
    code = 0
    try:
        from .. import signals
        from ..cli import main

        signals.install()  # as the client does in its own process
        main(args=message["argv"], prog_name="modpack")
    except signals.Signalled as caught:  # killed before the command line could end by it: as it would
        signals.end_by(caught)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    except BaseException:  # as the interpreter would: the trace, then 1
        traceback.print_exc()
        code = 1
    import atexit

    atexit._run_exitfuncs()  # what the interpreter does at its end (os._exit follows, which would not)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except OSError:
            pass
    return code


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m modpack.resident.server", description=__doc__)
    parser.add_argument("--idle", type=float, default=1800.0, help="seconds without a command before it ends")
    args = parser.parse_args(argv)
    from .control import ResidentError, folder as safe_folder

    try:
        folder = safe_folder()
    except ResidentError as exc:
        sys.exit(f"modpack server: {exc}")
    warm_up()
    server = Server(folder=folder, key=wire.code_key(), idle=args.idle)
    try:
        server.listen()
    except OSError as exc:
        sys.exit(f"modpack server: cannot listen in {folder}: {exc}")
    print(f"modpack server {os.getpid()} listening on {server.path}", flush=True)
    server.serve()


if __name__ == "__main__":
    main()
