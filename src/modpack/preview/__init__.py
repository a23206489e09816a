"""`modpack preview`: a small LMS on 127.0.0.1 to try a module or package as a learner would.

Three small parts: ``package`` opens what is served with the checker's safe reader (a package
``check`` refuses is refused here too); ``scorm_host`` hosts each SCORM 1.2/2004 SCO under a
SCORM API of its own and keeps its CMI in a file, so a relaunch resumes; ``cmi5_lms`` is the
cmi5 LMS and LRS side. ``server`` holds what they share: the state, serving files (streamed,
never unpacked), the index and /tracked. With ``watch``, a module is rebuilt when one of its
files changes and open pages reload themselves. The browser tests use this same code as their
LMS. May import: ``modpack.package`` (to build a module on the fly), ``modpack.checker`` (to read
a package safely), ``modpack.definition``, ``modpack.model``, ``modpack.xapi``, ``modpack.signals``
(to make its folder whole), ``modpack.atomic`` (a SCORM commit written whole) and
``modpack.messages``.
"""

from __future__ import annotations

import errno
import os
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

from ..definition.diagnostics import InvalidDefinition
from ..package.formats import BuildError
from ..xapi.send import Lrs
from .cmi5_lms import Cmi5Lms
from ..package.cache import signature, watch_wait
from ..signals import deferred
from .package import PackageRefused, Served, build_module, open_package
from .scorm_host import ScormHost
from .server import PreviewState


class Handler(Cmi5Lms, ScormHost):
    """Every route: the cmi5 LMS, the SCORM host, and what the server serves itself."""


MAX_CONNECTIONS = 64  # at once (a browser opens six to a host): one more is closed unanswered


class Preview(ThreadingHTTPServer):
    """The running preview: ``state`` is what it keeps; ``stop()`` ends it and removes its own files.

    A connection past MAX_CONNECTIONS is closed at once (each holds a thread and a descriptor until
    its client is done or silent for REQUEST_TIMEOUT); out of descriptors, it pauses before it
    accepts again, rather than spinning on the listening socket; a client that resets or goes
    silent is let go without a word on the terminal."""

    daemon_threads = True
    request_queue_size = 128  # (5 by default: a burst of connections waited a second each for a SYN again)
    state: PreviewState
    stopping: threading.Event

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kwargs)

    def get_request(self) -> Any:
        try:
            return super().get_request()
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                time.sleep(0.1)  # (the listener stays readable: without a pause, the loop would spin)
            raise

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread for it: its slot is free again
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, OSError):  # a client that reset, timed out or left: nothing to report
            return
        print(f"modpack preview: a request failed: {type(error).__name__}: {error}", file=sys.stderr)

    def stop(self) -> None:
        self.stopping.set()  # the watch thread ends too: no rebuild after stop
        self.shutdown()
        self.server_close()
        self.state.served.close()
        for served in getattr(self, "_retired", []):
            served.close()
        if self.state.temporary:
            self.state.temporary.cleanup()


def _is_package(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".zip"


def _open(source: Path, store: Path, fmt: str, generation: int) -> Served:
    zip_path = source if _is_package(source) else build_module(source, store / f"build-{generation}", fmt)
    return open_package(zip_path)


def start(source: str | os.PathLike[str], port: int = 0, lrs: str | None = None, lrs_auth: str | None = None,
          store: str | os.PathLike[str] | None = None, learner: str = "Peserta Pratinjau",
          fmt: str = "cmi5", watch: bool = False,
          on_rebuild: Callable[[int, Exception | None], None] | None = None) -> tuple[Preview, PreviewState]:
    """Start the preview LMS in a background thread; returns the server and its state.

    ``source`` is a cmi5 or SCORM package (zip), or a module built on the fly as ``fmt``.
    Raises :class:`PackageRefused` for a package ``check`` refuses, InvalidDefinition for a
    module with errors, and SendError for an LRS address or credentials that cannot be used. With ``watch`` (a module only), every change to the module's files
    rebuilds it; ``on_rebuild(generation, error)`` is told of each rebuild.
    """
    source = Path(source)
    if lrs is not None:
        Lrs(lrs, lrs_auth).close()  # a bad address or credentials are refused now, not at the first statement
    temporary = None
    if store:
        store_path = Path(store)
    else:
        with deferred():  # the folder and its removal when the process ends are made together
            temporary = tempfile.TemporaryDirectory(prefix="modpack-preview-", ignore_cleanup_errors=True)
        store_path = Path(temporary.name)
    server, served, serving = None, None, False
    try:
        store_path.mkdir(parents=True, exist_ok=True)
        served = _open(source, store_path, fmt, 0)
        state = PreviewState(served, store_path, lrs=lrs, lrs_auth=lrs_auth, temporary=temporary,
                             watching=watch and not _is_package(source))
        handler = type("PreviewHandler", (Handler,), {"preview": state})
        server = Preview(("127.0.0.1", port), handler)
        server.state = state
        server.stopping = threading.Event()
        state.learner = {"objectType": "Agent", "name": learner,
                         "account": {"homePage": f"http://127.0.0.1:{server.server_address[1]}", "name": "peserta"}}
        with deferred():  # started and known as started together: stop() waits for a loop that runs
            threading.Thread(target=server.serve_forever, daemon=True).start()
            serving = True
        if state.watching:
            # the first look is taken now, not in the thread: a save right after start() is seen
            threading.Thread(target=_watch, args=(server, source, signature(source), fmt, on_rebuild),
                             name=f"modpack-watch-{server.server_address[1]}", daemon=True).start()
    except BaseException:  # a bad module, a port taken, or a Ctrl+C while it starts: nothing left behind
        if serving:
            server.stop()  # type: ignore[union-attr]
        else:
            if server is not None:
                server.server_close()
            if served is not None:
                served.close()
            if temporary is not None:
                temporary.cleanup()
        raise
    return server, state


def _watch(server: Preview, source: Path, last: tuple[tuple[Any, ...], ...], fmt: str,
           on_rebuild: Callable[[int, Exception | None], None] | None, interval: float = 0.3) -> None:
    """Rebuild ``source`` when a file it reads is saved: what `build --watch` looks at (its files,
    a course's modules wherever they are; an editor's swap and lock files are not a save)."""
    state = server.state
    retired: list[Served] = []
    server._retired = retired  # type: ignore[attr-defined]
    looked = 0.0
    while not server.stopping.wait(watch_wait(looked, interval)):  # (as build --watch: a long look, a longer wait)
        looking = time.thread_time()
        now = signature(source)
        looked = time.thread_time() - looking
        if now == last:
            continue
        last = now
        generation = state.generation + 1
        try:
            served = _open(source, state.store, fmt, generation)
        except (InvalidDefinition, BuildError, PackageRefused, OSError) as exc:
            if on_rebuild:
                on_rebuild(generation, exc)  # the last good build stays served
            continue
        with state.lock:
            if server.stopping.is_set():  # stopped while building: nothing will close it later
                served.close()
                return
            retired.append(state.served)  # still open: a page may be reading from it
            state.served = served
            state.generation = generation
        if on_rebuild:
            on_rebuild(generation, None)


__all__ = ["PackageRefused", "Preview", "PreviewState", "start"]
