"""Records file -> validated statements in a JSON Lines file, streaming, written whole or not at all.

A large file is cut at line boundaries into one part per core; each part is converted in a
process of its own into a part file, and the parts are joined in order. Memory stays flat: rows
are read, converted and written one at a time.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable

import orjson

from ..model import Course, Module
from .. import signals
from ..atomic import refuse_special
from .records import RowError, csv_header, read_records
from .statements import StatementBuilder
from .validation import StatementValidator
from ..messages import t
from ..definition.files import open_regular

PARALLEL_FROM = 16 * 1024 * 1024  # bytes of records: below this, starting processes costs more than it saves


@dataclass
class Conversion:
    rows: int = 0
    written: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)


def _convert_part(records_path: str, module: Module, course: Course | None, xapi_version: str,
                  account_homepage: str | None, handle: IO[bytes] | None, start: int = 0, end: int | None = None,
                  first_line: int = 1, on_error: Callable[[RowError], None] | None = None) -> Conversion:
    summary = Conversion()
    build = StatementBuilder(module, course, xapi_version).build
    check = StatementValidator().errors
    write = handle.write if handle is not None else None
    dumps = orjson.dumps
    rejected_rows: set[int] = set()
    rows = written = 0

    def reject(error: RowError) -> None:
        rejected_rows.add(error.row)
        if on_error is not None:
            on_error(error)
        else:
            summary.errors.append(error)

    # One loop, no generator layers: this runs a million times.
    for item in read_records(records_path, account_homepage, start, end, first_line):
        rows += 1
        if isinstance(item, list):
            for error in item:
                reject(error)
            continue
        statement = build(item)
        if isinstance(statement, RowError):
            reject(statement)
            continue
        problems = check(statement)
        if problems:
            reject(RowError(item.row, "", t("the statement is not valid xAPI: {problems}", problems="; ".join(problems))))
            continue
        if write is not None:
            write(dumps(statement) + b"\n")
        written += 1
    summary.rows, summary.written, summary.rejected = rows, written, len(rejected_rows)
    return summary


def _worker(args: tuple[Any, ...]) -> Conversion:
    records_path, module, course, xapi_version, homepage, part_path, start, end, first_line = args
    with open(part_path, "wb", buffering=1 << 20) as handle:
        return _convert_part(records_path, module, course, xapi_version, homepage, handle, start, end, first_line)


def _append(part: Path, handle: IO[bytes]) -> None:
    """Append a part file to the output, in the kernel where it can (no copy through Python)."""
    handle.flush()
    with part.open("rb") as piece:
        try:
            size, offset = part.stat().st_size, 0
            while offset < size:
                sent = os.sendfile(handle.fileno(), piece.fileno(), offset, size - offset)
                if sent == 0:
                    break
                offset += sent
            if offset == size:
                return
            piece.seek(offset)
        except (AttributeError, OSError):
            piece.seek(0)
        shutil.copyfileobj(piece, handle, 1 << 20)


def _split(path: Path, parts: int) -> list[tuple[int, int | None, int]] | None:
    """(start, end, first line) of ``parts`` pieces cut at line starts; None if rows may span lines."""
    size = path.stat().st_size
    is_csv = path.suffix.lower() not in (".jsonl", ".ndjson", ".json")
    header, _, body = csv_header(path) if is_csv else ([], "", 0)
    if header is None:
        return None  # a first line too long to read: one piece, which says so
    pending = [body + (size - body) * n // parts for n in range(1, parts)]
    cuts = [(body, 2 if is_csv else 1)]  # (byte offset, line number there)
    lines = position = 0
    with open_regular(path) as handle:  # one streaming pass finds the cuts and their line numbers
        while chunk := handle.read(1 << 20):
            if is_csv and b'"' in chunk:
                return None  # quoted CSV fields may hold line breaks: read it in one piece
            while pending and position + len(chunk) > pending[0]:
                at = chunk.find(b"\n", max(pending[0] - position, 0))
                if at < 0:
                    pending[0] = position + len(chunk)  # look on in the next chunk
                    break
                cuts.append((position + at + 1, lines + chunk.count(b"\n", 0, at + 1) + 1))
                pending.pop(0)
            lines += chunk.count(b"\n")
            position += len(chunk)
    cuts = [cut for cut in cuts if cut[0] < size or cut is cuts[0]]
    return [(start, cuts[i + 1][0] if i + 1 < len(cuts) else None, line) for i, (start, line) in enumerate(cuts)]


def convert(records_path: str | os.PathLike[str], module: Module, out: str | os.PathLike[str] | IO[bytes] | None = None,
            course: Course | None = None, xapi_version: str = "1.0.3", account_homepage: str | None = None,
            on_error: Callable[[RowError], None] | None = None, keep_errors: bool = True,
            workers: int | None = None, parallel_from: int = PARALLEL_FROM) -> Conversion:
    """Convert a CSV or JSON Lines records file into statements, one JSON object per line.

    ``out`` is a path (written to a temporary file and renamed), an open binary file, or None to
    only validate. Rows with problems are reported (``on_error`` and ``Conversion.errors``), never
    dropped silently; the good rows are written.
    """
    records = Path(records_path)
    with open_regular(records):  # a FIFO or device is refused (RefusedFile) before anything is made
        pass
    callback = on_error
    collected: list[RowError] = []
    if keep_errors:
        def both(error: RowError) -> None:
            collected.append(error)
            if on_error:
                on_error(error)

        callback = both
    if out is None or hasattr(out, "write"):
        summary = _convert_part(str(records), module, course, xapi_version, account_homepage, out,  # type: ignore[arg-type]
                                on_error=callback or (lambda e: None))
        summary.errors = collected
        return summary
    target = Path(out)
    refuse_special(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    cores = workers or os.cpu_count() or 1
    pieces = _split(records, cores) if cores > 1 and records.stat().st_size >= parallel_from else None
    temporary: str | None = None
    part_files: list[Path] = []
    started: list[tuple[Any, Any]] = []  # (process, the pipe its summary comes on)
    try:
        with signals.deferred():  # made and its removal set up before a kill is let in (signals.py)
            fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            if not pieces or len(pieces) == 1:
                summary = _convert_part(str(records), module, course, xapi_version, account_homepage, handle,
                                        on_error=callback or (lambda e: None))
            else:
                # This process converts the first part straight into the output while one process per
                # other part writes a part file; those are appended in order afterwards.
                part_files = [Path(f"{temporary}.{n}") for n in range(1, len(pieces))]
                jobs = [(str(records), module, course, xapi_version, account_homepage, str(part), start, end, first)
                        for part, (start, end, first) in zip(part_files, pieces[1:])]
                _start_workers(jobs, started)
                start, end, first = pieces[0]
                summary = _convert_part(str(records), module, course, xapi_version, account_homepage, handle,
                                        start, end, first)
                handle.flush()
                for part, (process, results) in zip(part_files, started):
                    try:
                        result = results.recv()
                    except EOFError:
                        raise OSError(f"a process converting {records} ended without its part "
                                      f"(exit {process.exitcode})") from None
                    if isinstance(result, BaseException):
                        raise result
                    summary.rows += result.rows
                    summary.written += result.written
                    summary.rejected += result.rejected
                    summary.errors += result.errors
                    _append(part, handle)
                for error in summary.errors:
                    if callback:
                        callback(error)
        os.replace(temporary, target)
    except BaseException:
        with signals.deferred():  # a second signal waits for the clean-up (it cut it short)
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        with signals.deferred():
            _stop_workers(started)  # at once, on a kill or an error: not after they have converted their parts
            for part in part_files:
                part.unlink(missing_ok=True)
    summary.errors = collected
    return summary


def _start_workers(jobs: list[tuple[Any, ...]], started: list[tuple[Any, Any]]) -> None:
    """One forked process per job, each with the pipe its summary comes back on, put in ``started``
    as it starts (so that a signal let in at the end finds them all there, to be stopped)."""
    context = multiprocessing.get_context("fork")
    with signals.deferred():  # no signal raised inside the fork's own hooks (they ignore it): held to the end
        for job in jobs:
            results, sending = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(job, sending, os.getpid()), daemon=True)
            process.start()
            started.append((process, results))
            sending.close()


def _work(job: tuple[Any, ...], sending: Any, parent: int) -> None:
    """A worker's life: its part converted into its part file, and its summary (or the exception
    that stopped it) sent back. A signal ends it on the spot (its parent cleans up); one whose
    parent is gone (killed outright) removes its part file itself."""
    signals.quiet_worker()
    try:
        result: Conversion | BaseException = _worker(job)
    except Exception as exc:  # noqa: BLE001 - told to the parent, which raises it
        result = exc
    if os.getppid() != parent:
        Path(job[5]).unlink(missing_ok=True)
        return
    try:
        sending.send(result)
    except (OSError, ValueError):  # the parent is gone
        Path(job[5]).unlink(missing_ok=True)


def _stop_workers(workers: list[tuple[Any, Any]]) -> None:
    """Each worker ended (SIGTERM, then SIGKILL for one that has not ended within 5 s) and collected."""
    for process, _ in workers:
        if process.is_alive():
            process.terminate()
    for process, results in workers:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
        results.close()
