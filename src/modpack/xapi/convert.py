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
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable

import orjson

from ..model import Course, Module
from ..signals import quiet_worker
from .records import RowError, csv_header, read_records
from .statements import StatementBuilder
from .validation import StatementValidator

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
            reject(RowError(item.row, "", "the statement is not valid xAPI: " + "; ".join(problems)))
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
    body = csv_header(path)[2] if is_csv else 0
    pending = [body + (size - body) * n // parts for n in range(1, parts)]
    cuts = [(body, 2 if is_csv else 1)]  # (byte offset, line number there)
    lines = position = 0
    with path.open("rb") as handle:  # one streaming pass finds the cuts and their line numbers
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
    target.parent.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    pieces = _split(records, workers) if workers > 1 and records.stat().st_size >= parallel_from else None
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    part_files: list[Path] = []
    try:
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
                with ProcessPoolExecutor(len(jobs), mp_context=multiprocessing.get_context("fork"),
                                         initializer=quiet_worker) as pool:
                    futures = [pool.submit(_worker, job) for job in jobs]
                    start, end, first = pieces[0]
                    summary = _convert_part(str(records), module, course, xapi_version, account_homepage, handle,
                                            start, end, first)
                    handle.flush()
                    for part, future in zip(part_files, futures):
                        result = future.result()
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
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        for part in part_files:
            part.unlink(missing_ok=True)
    summary.errors = collected
    return summary
