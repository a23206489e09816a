"""Ctrl+C, a `kill` or a closed terminal (SIGINT, SIGTERM, SIGHUP) during a build, ended cleanly:
the build stops at its next safe point (before each module, each format, and before it
publishes), removes its temporary zips on its way out, and the process then ends as it would
have: by the signal (SIGTERM, SIGHUP), or, for Ctrl+C, with click's "Aborted!" and exit 1 (a
Ctrl+C that comes once everything is published ends the process by SIGINT, and says nothing). A
second Ctrl+C before a safe point stops it at once (its zips removed all the same). Imports
nothing of modpack: the command line sets it up before it imports a builder.

Why noted, not raised by the handler: a handler's exception is raised wherever Python is, also
in a callback of a native library (the HTML sanitiser's, pydantic's), which swallows it or turns
it into an error of its own, or in the middle of the process pool's own start (which then failed
with "cannot join thread before it is started", and its worker printed a traceback). A worker
process forked by a build inherits the handler: it stops at its own next safe point, and the
parent collects and removes what it staged.
"""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from typing import Any, Iterator, NoReturn

NAMES = ("SIGINT", "SIGTERM", "SIGHUP")
_received: int | None = None  # the signal received, until a safe point raises it
_interrupted = False  # a Ctrl+C came (on_interrupt, or noted by caught())


class Signalled(BaseException):
    """Raised at a safe point for a signal received: a BaseException, which nothing on its way
    out catches."""

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number


def on_interrupt(_number: int, _frame: Any) -> None:
    """Python's own Ctrl+C (KeyboardInterrupt, wherever Python is), remembered: a library that
    turns it into an error of its own (pydantic, building a validator, raises SchemaError) has
    still been interrupted, and :func:`interrupted` says so. The command line's SIGINT handler."""
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


def remember_interrupts() -> None:
    """Make :func:`on_interrupt` this process's Ctrl+C (unless it is ignored here): what the
    `modpack` command does before it runs a command, in its own process or on the server. Not
    done on import: a program that calls modpack keeps its own handler."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, on_interrupt)


def interrupted() -> bool:
    """Whether a Ctrl+C has come to this process (while on_interrupt or caught() handled it)."""
    return _interrupted


def _note(number: int, _frame: Any) -> None:
    global _received, _interrupted
    _interrupted = _interrupted or number == signal.SIGINT
    if number == signal.SIGINT and _received == signal.SIGINT:
        _received = None
        raise KeyboardInterrupt  # Ctrl+C again before a safe point: the user will not wait for one
    _received = number


@contextmanager
def caught() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP are noted for :func:`check` (each that this
    process handles as Python does by default: one its caller ignored stays ignored), and one
    noted and not yet raised is raised as the block ends, as :class:`Signalled` (Ctrl+C too: the
    work was done, so the caller ends by the signal instead of saying it aborted); after it, they
    are as they were."""
    replaced = {}
    for number in (getattr(signal, name) for name in NAMES if hasattr(signal, name)):
        defaults = (signal.default_int_handler, on_interrupt) if number == signal.SIGINT else (signal.SIG_DFL,)
        if signal.getsignal(number) in defaults:
            replaced[number] = signal.signal(number, _note)
    try:
        yield
        _raise_noted()  # the work is done (a build published): no "Aborted!", the process ends by it
    finally:
        for number, before in replaced.items():
            signal.signal(number, before)


def _raise_noted() -> None:
    global _received
    if _received is not None:
        number, _received = _received, None
        raise Signalled(number)


def check() -> None:
    """A safe point: raise :class:`Signalled` for a signal received and not yet raised, or
    KeyboardInterrupt for Ctrl+C (which the command line reports as it always has)."""
    global _received
    if _received is not None:
        number, _received = _received, None
        if number == signal.SIGINT:
            raise KeyboardInterrupt
        raise Signalled(number)


def end_by(caught: Signalled) -> NoReturn:
    """End as the signal ends a process (its exit status says so), once the build has removed
    what it had begun."""
    signal.signal(caught.number, signal.SIG_DFL)
    os.kill(os.getpid(), caught.number)
    raise SystemExit(128 + caught.number)  # where a signal does not end a process at once
