"""Ctrl+C, a `kill` or a closed terminal (SIGINT, SIGTERM, SIGHUP): every command ends cleanly,
its temporary files removed, and the process ends as it would have: by the signal (SIGTERM,
SIGHUP), or, for Ctrl+C, with "Aborted!" and exit 130. Imports nothing of modpack.

Two ways, both set up by the `modpack` command (:func:`install`), never on import (a program that
calls modpack keeps its own handlers):
- everywhere, the signal is raised where Python is (KeyboardInterrupt, or :class:`Signalled` for
  SIGTERM and SIGHUP, which Python would let kill the process on the spot, leaving its temporary
  files), so that each ``except BaseException`` on the way out removes what it had begun; and it
  is remembered, since a library that meets it in a callback may turn it into an error of its own
  (pydantic, building a validator, raises SchemaError), which the command line then reports as
  the signal it was, not as an internal error; where Python cannot raise it (a finaliser, an
  import lock's callback) it is not printed as an ignored exception, and the command, which
  looks at what came, stops all the same;
- during a build (:func:`caught`), it is only noted, and raised at the build's next safe point
  (before each module, each format, and before it publishes): raised where Python was, it broke
  the process pool's own start ("cannot join thread before it is started", and a worker's
  traceback). A second Ctrl+C before a safe point stops it at once. A worker process forked by a
  build inherits the handler: it stops at its own next safe point, and the parent collects and
  removes what it staged. A signal noted once everything is published ends the process by it,
  and says nothing ("Aborted!" would claim a build undone).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator, NoReturn

NAMES = ("SIGINT", "SIGTERM", "SIGHUP")
SIGINT = signal.SIGINT
_received: int | None = None  # the signal noted by caught(), until a safe point raises it
_came: set[int] = set()  # each of NAMES this process has received and not acted on (on_signal, caught())
_owner: int | None = None  # the process whose caught() block runs (its forked workers only note)
_holding = False  # hold() was called in the running caught() block: a second Ctrl+C waits for its end


class Signalled(BaseException):
    """SIGTERM or SIGHUP, raised: a BaseException, which nothing on its way out catches. The
    command line ends the process by it (:func:`end_by`)."""

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number


# After a signal is raised, the clean-ups on its way out run: one that comes within this many
# seconds is only remembered, not raised (it would cut them short wherever Python is, even on the
# way into a deferred() block). The process ends by the first; a later one is raised, so that a
# clean-up that hangs can still be interrupted.
CLEAN_UP_GRACE = 1.0
_raised_at: float | None = None  # when on_signal last raised, until settle()


def on_signal(number: int, _frame: Any) -> None:
    """The `modpack` command's handler of NAMES: raised where Python is (Ctrl+C as Python raises
    it), and remembered (:func:`came`); one that follows a raised one within CLEAN_UP_GRACE is
    only remembered."""
    _came.add(number)
    if _raised_at is not None and time.monotonic() - _raised_at < CLEAN_UP_GRACE:
        return
    raise _raising(KeyboardInterrupt() if number == signal.SIGINT else Signalled(number))


def _raising(exc: BaseException) -> BaseException:
    """``exc``, a signal about to be raised (here, at a safe point, or as a block ends): from now
    a further one waits out CLEAN_UP_GRACE (see on_signal)."""
    global _raised_at
    _raised_at = time.monotonic()
    return exc


def install() -> None:
    """Make :func:`on_signal` this process's handler of each of NAMES that is as Python leaves it
    (one the caller ignores, as `nohup` does, stays ignored): what the `modpack` command does
    before it runs a command, in its own process or on the server."""
    global _previous_unraisable_hook
    for number in _numbers():
        if signal.getsignal(number) in _python_default(number):
            signal.signal(number, on_signal)
    if sys.unraisablehook is not _unraisable:
        _previous_unraisable_hook = sys.unraisablehook
        sys.unraisablehook = _unraisable


_previous_unraisable_hook: Any = None


def _unraisable(unraisable: Any) -> None:
    """Where Python cannot raise (a finaliser, an import lock's callback, an at-fork hook), the
    signal that on_signal raised there is not printed as "Exception ignored in ... Traceback": it
    is remembered (:func:`came`), and the command acts on it. Anything else is printed as before."""
    if isinstance(unraisable.exc_value, (KeyboardInterrupt, Signalled)) and _came:
        return
    (_previous_unraisable_hook or sys.__unraisablehook__)(unraisable)


def quiet_worker() -> None:
    """In a worker process forked from the command: each of NAMES that the command handles ends
    the worker on the spot instead, silently (a worker waiting for work would otherwise print a
    traceback), also one it was forked under (:func:`deferred`); its parent, which gets
    the signal too or stops it, removes what it had begun."""
    for number in _numbers():
        if signal.getsignal(number) in (on_signal, _note, _defer):
            signal.signal(number, signal.SIG_DFL)
    _deferred.clear()


def closing() -> None:
    """The command has ended (its work done or undone, its files removed, its exit status
    decided): from here, a Ctrl+C is ignored (it would only change the status, or raise inside the
    interpreter's own shutdown, which prints what it cannot raise), and a kill or a hang-up ends
    the process at once by the system's default (nothing is left to clean up; a stuck shutdown
    can still be killed)."""
    for number in _numbers():
        if signal.getsignal(number) in (on_signal, _note):
            signal.signal(number, signal.SIG_IGN if number == signal.SIGINT else signal.SIG_DFL)


def came() -> int | None:
    """The signal this process has received, if one has and it was not settled (SIGTERM or
    SIGHUP before SIGINT): what an error a library made of it really was, or, after a command
    that ended as if nothing had come, the signal something swallowed (a finaliser, an at-fork
    hook: Python ignores what they raise), by which the process must still end."""
    for number in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None), signal.SIGINT):
        if number in _came:
            return number
    return None


def settle() -> None:
    """For a command whose normal end is a signal (a watcher, a preview): the signal it took as
    its end is not one to end the process by."""
    global _received, _raised_at
    _came.clear()
    _received = _raised_at = None


_deferred: list[int] = []  # signals that came during a deferred() block, delivered at its end


def _defer(number: int, _frame: Any) -> None:
    _came.add(number)
    _deferred.append(number)


@contextmanager
def deferred() -> Iterator[None]:
    """NAMES noted, not acted on, while the block runs: a temporary file made and its removal set
    up, processes forked (whose at-fork hooks ignore what a handler raises), a clean-up that a
    second signal would cut short. One that comes meanwhile is acted on as the block ends, by the
    handler that was there. Python runs handlers in the main thread only: in another, the block
    cannot be interrupted, and nothing is done. (Not the system's signal mask: with other threads
    alive, a signal goes to one of them and the main thread's handler runs all the same.) A
    process forked within keeps the noting handler: :func:`quiet_worker` replaces it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    replaced = {}
    for number in _numbers():
        handler = signal.getsignal(number)
        if handler not in (signal.SIG_IGN, None, _defer):
            replaced[number] = signal.signal(number, _defer)
    try:
        yield
    finally:
        for number, before in replaced.items():
            signal.signal(number, before)
        came, _deferred[:] = [n for n in _deferred if n in replaced], []
        for number in dict.fromkeys(came):  # each once, in the order they came
            before = replaced[number]
            if callable(before):
                before(number, None)  # raises as it would have (KeyboardInterrupt, Signalled), or notes
            else:  # the system's default: the process ends by it, as it would have
                signal.raise_signal(number)


def hold() -> None:
    """From here to the end of the caught() block (a build publishing its zips, then recording and
    saying what it built), a second Ctrl+C is noted, not raised at once: the block's end tells it,
    by ending the process by SIGINT without an "Aborted!" that would claim nothing was built."""
    global _holding
    _holding = True


def _numbers() -> list[int]:
    return [getattr(signal, name) for name in NAMES if hasattr(signal, name)]


def _python_default(number: int) -> tuple[Any, ...]:
    """The handlers :func:`caught` may replace: Python's own, or the command's (on_signal)."""
    return (signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL, on_signal)


def _note(number: int, _frame: Any) -> None:
    global _received
    _came.add(number)
    if _raised_at is not None and time.monotonic() - _raised_at < CLEAN_UP_GRACE:
        return  # one was raised a moment ago: its clean-ups run, not cut short (as on_signal)
    if number == signal.SIGINT and _received == signal.SIGINT and os.getpid() == _owner and not _holding:
        # Ctrl+C again before a safe point: the user will not wait for one. Only in the process
        # that runs the block (a worker waiting for work would print a traceback), and still
        # noted: if a finaliser swallows this, the next safe point raises it.
        raise _raising(KeyboardInterrupt())
    _received = number


@contextmanager
def caught() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP are noted for :func:`check` (each that this
    process handles as Python does, or as the command does: one its caller ignored stays
    ignored), and one noted and not yet raised is raised as the block ends, as :class:`Signalled`
    (Ctrl+C too: the work was done, so the caller ends by the signal instead of saying it
    aborted); after it, they are as they were."""
    global _owner, _received, _holding
    replaced = {}
    for number in _numbers():
        if signal.getsignal(number) in _python_default(number):
            replaced[number] = signal.signal(number, _note)
    outer, _owner = (_owner, _holding), os.getpid()
    _holding = False
    try:
        yield
    except BaseException as exc:
        noted, _received = _received, None
        if noted is not None and not isinstance(exc, (KeyboardInterrupt, Signalled)):
            # ended by an error (a build that failed) after a signal came: the signal decides
            raise _raising(KeyboardInterrupt() if noted == signal.SIGINT else Signalled(noted)) from None
        raise  # the signal itself (its exception tells it), or an error before any came
    else:
        _raise_noted()  # the work is done (a build published): no "Aborted!", the process ends by it
    finally:
        _owner, _holding = outer
        for number, before in replaced.items():
            signal.signal(number, before)


def _raise_noted() -> None:
    global _received
    if _received is not None:
        number, _received = _received, None
        raise _raising(Signalled(number))


def check() -> None:
    """A safe point: raise :class:`Signalled` for a signal noted and not yet raised, or
    KeyboardInterrupt for Ctrl+C (which the command line reports as it always has)."""
    global _received
    if _received == signal.SIGINT:
        _received = None
        raise _raising(KeyboardInterrupt())
    _raise_noted()


def end_by(caught: Signalled) -> NoReturn:
    """End as the signal ends a process (its exit status says so), once the command has removed
    what it had begun."""
    signal.signal(caught.number, signal.SIG_DFL)
    os.kill(os.getpid(), caught.number)
    raise SystemExit(128 + caught.number)  # where a signal does not end a process at once
