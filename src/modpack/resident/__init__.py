"""A resident server for the command line: `modpack build` and `modpack check` without the quarter
of a second each new process spends on Python, imports and validators before it reads a byte.

A content team that rebuilds after every edit, or a CI job that checks many packages, starts one
(`modpack server start`); the `modpack` command then hands those two commands to it, and runs
everything else (and both, when no server runs) in its own process, as before. The server runs
each command in a fresh fork of itself with the caller's streams, folder, environment, umask and
limits, and answers with its exit status: output, files and exit codes are the same either way
(tested). It serves only its own user (a 0700 folder, and the peer's user id checked), only the
exact code it was started from (a key of the interpreter and modpack's files), and ends after
30 minutes without a command. Library users need none of this: their process is already warm.

    >>> from modpack import resident
    >>> resident.start()            # doctest: +SKIP
    >>> resident.status().served    # doctest: +SKIP
    >>> resident.stop()             # doctest: +SKIP

May import: cli (the server runs it), messages, and definition, model, package, xsd and checker
(the server makes their validators, schemas and hyperscan's keywords before its first command). The
client imports nothing of modpack until it runs a command itself.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .control import ResidentError as ResidentError, ServerStatus as ServerStatus, folder as folder
    from .control import start as start, status as status, stop as stop, supported as supported

# imported when first used: the client (every `modpack build`) must not pay for subprocess and the rest
_CONTROL = frozenset({"ResidentError", "ServerStatus", "folder", "start", "status", "stop", "supported"})


def __getattr__(name: str) -> Any:
    if name in _CONTROL:
        from . import control

        return getattr(control, name)
    raise AttributeError(f"module 'modpack.resident' has no attribute '{name}'")
