"""Start, stop and ask this user's resident server (the API of ``modpack server``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from ..messages import t, os_reason
from . import wire

START_TIMEOUT = 60.0  # seconds for a new server to answer: imports and validators on a slow machine
DEFAULT_IDLE = 1800.0
LOG_NAME = "server.log"


class ResidentError(Exception):
    """A server cannot be started or reached as asked; the message says why."""


@dataclass(frozen=True)
class ServerStatus:
    pid: int
    socket: str
    served: int      # commands run since it started
    running: int     # commands running now
    idle: float      # seconds since the last command
    idle_limit: float
    commands: tuple[int, ...] = ()  # process ids of the commands running


def supported() -> bool:
    """Whether this system can run a server (it needs fork and Unix sockets: Linux, macOS, BSD)."""
    import socket

    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket.socket, "sendmsg")


def folder() -> str:
    """This user's folder of servers, made (0700) if it is missing; ResidentError if it is unsafe."""
    path = wire.runtime_dir()
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise ResidentError(t("cannot make {path}: {reason}", path=path, reason=os_reason(exc))) from None
    why = wire.unsafe_dir(path)
    if why is not None:
        raise ResidentError(t("cannot use {path}: {why}", path=path, why=t(why[0], **why[1])))
    return path


def _ask(path: str, op: str, timeout: float = 5.0) -> dict[str, object] | None:
    sock = wire.connect(path, timeout=timeout)
    if sock is None:
        return None
    try:
        wire.send(sock, {"op": op, "protocol": wire.PROTOCOL})
        return wire.receive(sock)[0]
    except (OSError, wire.WireError):
        return None
    finally:
        sock.close()


def status() -> ServerStatus | None:
    """The server of this code and user, or None when none runs."""
    if not supported():
        return None
    path = wire.runtime_dir()
    if wire.unsafe_dir(path) is not None:
        return None
    reply = _ask(wire.socket_path(path, wire.code_key()), "status")
    try:
        return ServerStatus(pid=_number(reply, "pid", int), socket=str(reply["socket"]),  # type: ignore[index]
                            served=_number(reply, "served", int), running=_number(reply, "running", int),
                            idle=_number(reply, "idle", float), idle_limit=_number(reply, "idle_limit", float),
                            commands=tuple(pid for pid in reply.get("commands") or () if type(pid) is int))  # type: ignore[union-attr]
    except (TypeError, KeyError, ValueError):
        return None  # no answer, or not a status


def _number(reply: dict[str, object] | None, name: str, kind: type[int] | type[float]) -> Any:
    if reply is None:
        raise KeyError(name)
    value = reply[name]
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(name)
    return kind(value)


def _stop_at(path: str) -> bool:
    """Ask the server at ``path`` to stop; a socket no one answers on is removed. True if one ran."""
    if _ask(path, "stop") is not None:
        return True
    try:
        os.unlink(path)
    except OSError:
        pass
    return False


def stop(every: bool = False) -> int:
    """Stop this code's server (``every``: all of this user's, older versions too); how many ran.
    Commands running end first; new ones run in their own process at once."""
    if not supported():
        return 0
    path = folder()
    if every:
        names = [os.path.join(path, n) for n in os.listdir(path) if n.endswith(wire.SOCKET_SUFFIX)]
    else:
        names = [wire.socket_path(path, wire.code_key())]
    return sum(_stop_at(name) for name in names if os.path.exists(name))


def start(idle: float = DEFAULT_IDLE) -> ServerStatus:
    """Start this user's server for this code, unless it runs already, and wait until it answers.
    Servers of older code (an upgrade, an edit) are stopped: no client can reach them any more."""
    if not supported():
        raise ResidentError(t("a resident server needs fork and Unix sockets (Linux, macOS, BSD)"))
    if not idle > 0:
        raise ResidentError(t("the idle time must be above 0 seconds, not {idle}", idle=idle))
    path = folder()
    running = status()
    if running is not None:
        return running
    own = wire.socket_path(path, wire.code_key())
    for name in os.listdir(path):
        other = os.path.join(path, name)
        if name.endswith(wire.SOCKET_SUFFIX) and other != own:
            _stop_at(other)
    log_path = os.path.join(path, LOG_NAME)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        process = subprocess.Popen([sys.executable, "-m", "modpack.resident.server", "--idle", repr(float(idle))],
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd="/",
                                   start_new_session=True, close_fds=True)
    finally:
        os.close(log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        found = status()
        if found is not None:
            return found
        if process.poll() is not None:
            raise ResidentError(t("the server ended at start (exit {code}): {log}", code=process.returncode,
                                  log=_tail(log_path)))
        time.sleep(0.05)
    process.kill()
    raise ResidentError(t("the server did not answer within {seconds} s: {log}", seconds=f"{START_TIMEOUT:.0f}",
                          log=_tail(log_path)))


def _tail(path: str) -> str:
    try:
        with open(path, "rb") as log:
            log.seek(0, os.SEEK_END)
            log.seek(max(0, log.tell() - 2000))
            return log.read().decode("utf-8", "replace").strip() or t("(no message)")
    except OSError:
        return t("(no message)")
