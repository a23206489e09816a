"""The `modpack` command's front door: `build` and `check` go to this user's resident server when
one runs for this exact code, every other command (and any doubt) runs here, in this process.

A request carries what a process is: its arguments, environment, working folder, umask, limits,
and its standard streams themselves (as file descriptors), so that the command runs as if it had
been started here; the answer is its exit status, which this process then takes as its own.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

TYPE_CHECKING = False  # typing itself is not imported: each millisecond of the client is paid on every build
if TYPE_CHECKING:
    from typing import Any, Callable, Union

    _Handler = Union[Callable[[int, Union[FrameType, None]], Any], int, signal.Handlers]

_DELEGATED = frozenset({"build", "check"})
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGCONT, signal.SIGWINCH)
# limits a shell may set (ulimit) that must bind the command on the server as they would here
LIMITS = ("RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_STACK")
EXIT_SERVER_LOST = 70  # as an internal error: the command's end is unknown
ANSWER_TIME = 60.0  # seconds to wait for the server to take a request it has received


def main() -> None:
    """The `modpack` command (and `python -m modpack`)."""
    argv = sys.argv[1:]
    if delegable(argv):
        try:
            outcome = run_remote(argv)
        except KeyboardInterrupt:  # before the command's pid came: the server stops it as the client goes
            sys.exit(128 + signal.SIGINT)
        if outcome is not None:
            _end_as(*outcome)
    from .. import signals

    signals.install()  # Ctrl+C, kill and hang-up raised where Python is, and remembered (signals.py)
    try:
        from ..cli import main as cli_main
    except (KeyboardInterrupt, signals.Signalled, Exception) as exc:  # a signal while modpack starts
        came = signals.came()  # (Python may wrap it: a RuntimeError from __set_name__, say)
        if came is None and not isinstance(exc, (KeyboardInterrupt, signals.Signalled)):
            raise  # not a signal: a broken installation, said as Python says it
        if isinstance(exc, signals.Signalled) or came not in (None, signal.SIGINT):
            signals.end_by(exc if isinstance(exc, signals.Signalled) else signals.Signalled(came or signal.SIGTERM))
        from ..messages import t  # Ctrl+C: said as the command line says it, not a traceback

        signals.closing()
        sys.stderr.write(t("Aborted!") + "\n")
        sys.exit(128 + signal.SIGINT)  # cli.EXIT_INTERRUPTED
    cli_main(prog_name="modpack")


def delegable(argv: list[str]) -> bool:
    """Whether the command may run on a server: `build` (not `--watch`, which is resident itself)
    and `check`, with MODPACK_SERVER not 'off', on a system that can fork."""
    if os.environ.get("MODPACK_SERVER") == "off" or not hasattr(os, "fork") or not hasattr(os, "getuid"):
        return False
    at = 0
    while at < len(argv) and (argv[at] == "--lang" or argv[at].startswith("--lang=")):
        at += 2 if argv[at] == "--lang" else 1
    if at >= len(argv) or argv[at] not in _DELEGATED:
        return False
    return "--watch" not in argv[at + 1:]


def request(argv: list[str]) -> dict[str, object]:
    """What the server needs to run ``argv`` as this process would."""
    import resource

    mask = os.umask(0)
    os.umask(mask)
    limits = {name: list(resource.getrlimit(getattr(resource, name))) for name in LIMITS if hasattr(resource, name)}
    streams: list[list[object] | None] = []
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "encoding"):
            streams.append(None)
        else:
            streams.append([stream.encoding, stream.errors, bool(getattr(stream, "line_buffering", False)),
                            bool(getattr(stream, "write_through", False))])
    return {"op": "run", "protocol": 1, "argv": argv, "env": dict(os.environ), "umask": mask, "limits": limits,
            "streams": streams, "ignored": sorted(ignored_signals())}


def ignored_signals() -> set[int]:
    """The signals this process ignores (`nohup`, `cmd &` in a script, `trap '' INT`): a command
    started here would inherit that, and so does the command the server runs."""
    found = set()
    for number in signal.valid_signals() - {signal.SIGKILL, signal.SIGSTOP}:
        try:
            if signal.getsignal(number) == signal.SIG_IGN:
                found.add(int(number))
        except (OSError, ValueError):
            pass
    return found


def run_remote(argv: list[str]) -> tuple[str, int] | None:
    """('exit', code) or ('signal', number) of the command run by the server; None when no server
    takes it (none runs, it declines, or it cannot be reached): then it runs here."""
    from . import wire

    folder = wire.runtime_dir()
    if wire.unsafe_dir(folder) is not None:
        return None
    path = wire.socket_path(folder, wire.code_key())
    if not os.path.exists(path):
        return None
    sock = wire.connect(path, timeout=5.0)
    if sock is None:
        return None
    try:
        try:
            for fd in (0, 1, 2):
                os.fstat(fd)  # a closed standard stream: let this process meet it as it would
            cwd = os.open(".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return None
        try:
            wire.send(sock, request(argv), [0, 1, 2, cwd])
        except OSError:
            return None  # never received whole: the server runs nothing
        finally:
            os.close(cwd)
        # From here the server may have started the command: only its explicit refusal lets it run
        # here, never a silence (which would run it twice).
        try:
            sock.settimeout(ANSWER_TIME)
            reply, _ = wire.receive(sock)
        except (OSError, wire.WireError):
            return _lost(None)
        if "declined" in reply:
            return None
        pid = reply.get("pid")
        if not isinstance(pid, int) or pid <= 0:
            return _lost(None)
        sock.settimeout(None)
        running = [pid]
        before = _forward_signals(running)
        try:
            while isinstance((reply := wire.receive(sock)[0]).get("pid"), int):
                running[0] = reply["pid"]  # the spare failed: the server forked another
        except (OSError, wire.WireError):
            return _lost(running[0])
        if "declined" in reply:  # the spare failed having run nothing, and no process was left for it
            for number, handler in before.items():
                signal.signal(number, handler)
            return None
    finally:
        sock.close()
    if isinstance(reply.get("signal"), int):
        return "signal", reply["signal"]
    code = reply.get("exit")
    return "exit", code if isinstance(code, int) else EXIT_SERVER_LOST


def _lost(pid: int | None) -> tuple[str, int]:
    """The server went silent or away: the command, if it runs, is stopped (it would go on writing
    after this process ended), and this process ends as after an internal error."""
    from ..messages import t

    if pid is not None:
        deaf = signal.getsignal(signal.SIGTERM) == signal.SIG_IGN  # and so is the command: see server._kill
        try:
            os.killpg(pid, signal.SIGKILL if deaf else signal.SIGTERM)
        except OSError:
            pass
    sys.stderr.write(t("modpack: the resident server stopped before the command ended") + "\n")
    return "exit", EXIT_SERVER_LOST


def _forward_signals(running: list[int]) -> dict[int, _Handler]:
    """Ctrl-C and its kin reach the command (and the workers it started), as they would here; those
    this process ignores are left ignored (the command ignores them too). Gives the handlers it
    replaced."""
    def forward(number: int, _frame: FrameType | None) -> None:
        pid = running[0]
        try:
            os.killpg(pid, number)
        except OSError:
            try:
                os.kill(pid, number)
            except OSError:
                pass

    def stop(number: int, frame: FrameType | None) -> None:
        """Ctrl-Z: the command stops (it cannot refuse), then this process does; `fg` continues
        both (SIGCONT is forwarded)."""
        forward(signal.SIGSTOP, frame)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)
        signal.signal(signal.SIGTSTP, stop)  # continued

    before: dict[int, _Handler] = {}
    for number in (*_FORWARDED, signal.SIGTSTP):
        handler = signal.getsignal(number)
        # SIGCONT continues a process that ignores it all the same: it must reach a stopped command
        if handler != signal.SIG_IGN or number == signal.SIGCONT:
            before[number] = signal.SIG_DFL if handler is None else handler
            signal.signal(number, stop if number == signal.SIGTSTP else forward)
    return before


def _end_as(kind: str, value: int) -> None:
    if kind == "signal":
        for number in _FORWARDED:
            signal.signal(number, signal.SIG_DFL)
        try:
            signal.signal(value, signal.SIG_DFL)
        except (OSError, ValueError):
            pass  # SIGKILL and SIGSTOP have no handler to reset
        try:
            os.kill(os.getpid(), value)
        except (OSError, ValueError):
            pass
        sys.exit(128 + value)
    sys.exit(value)
