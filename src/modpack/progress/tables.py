"""The report's tables as rows of plain values, and written as CSV files or one JSON file.

CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return: a learner's name is typed by whoever enrolled them) get a leading apostrophe, as OWASP
advises; numbers are written as numbers. JSON is data, not a spreadsheet, and is left as it is.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

from .. import signals
from ..atomic import replaced
from ..cells import safe_cell
from ..messages import t
from .figures import LearnerRow
from .report import ProgressError, Report

TABLES = ("summary", "days", "districts", "learners", "follow-up", "learner-modules")


def _when(value: Any) -> str:
    return value.isoformat(timespec="minutes") if value is not None else ""


def who(report: Report, row: LearnerRow) -> tuple[str, str]:
    """(learner id, name) as the report may show them: the pseudonym twice when asked for."""
    if report.pseudonymised:
        return row.learner.code, row.learner.code
    return row.learner.id, row.learner.name


def reason_text(reason: str, module: str, row: LearnerRow, report: Report) -> str:
    if reason == "not-started":
        return t("not started {days} days after the cohort began", days=row.days_inactive)
    if reason == "inactive":
        return t("inactive for {days} days", days=row.days_inactive)
    return t("failed the post-test of {module} twice", module=module)


def rows(report: Report, table: str) -> Iterator[dict[str, Any]]:
    """The rows of one table (see TABLES), made one at a time."""
    if table == "summary":
        s = report.summary
        yield {"enrolled": s.enrolled, "not_started": s.not_started, "in_progress": s.in_progress,
               "completed": s.completed, "passed": s.passed, "lagging": s.lagging, "follow_up": s.follow_up,
               "jp_total": s.jp, "at_target": s.at_target, "target_jp": report.target_jp,
               "as_of": _when(report.options.as_of), "since": report.since or ""}
    elif table == "days":
        for day in report.days:
            yield {"day": day.day.isoformat(), "started": day.started, "completed": day.completed,
                   "module_completions": day.completions}
    elif table == "districts":
        for d in report.districts:
            yield {"district": d.district, "province": d.province, "enrolled": d.enrolled,
                   "not_started": d.not_started, "in_progress": d.in_progress, "completed": d.completed,
                   "passed": d.passed, "lagging": d.lagging, "lagging_share": round(d.lagging_share * 100, 1),
                   "mean_jp": round(d.mean_jp, 2)}
    elif table == "learners":
        modules, lessons = len(report.modules), report.catalogue.lessons
        for row in report.learners:
            ident, name = who(report, row)
            yield {"learner": ident, "name": name, "district": row.learner.district, "province": row.learner.province,
                   "role": row.learner.role, "cohort": row.learner.cohort,
                   "start_date": row.learner.start.isoformat() if row.learner.start else "", "status": row.status,
                   "passed": row.passed, "modules_done": row.modules_done, "modules": modules,
                   "lessons_done": row.lessons_done, "lessons": lessons, "post_test": row.post_test, "jp": row.jp,
                   "last_activity": _when(row.last), "days_inactive": row.days_inactive, "behind": row.behind,
                   "follow_up": "; ".join(r if not m else f"{r}:{m}" for r, m in row.reasons)}
    elif table == "follow-up":
        for row in report.follow_up:
            ident, name = who(report, row)
            for reason, module in row.reasons:
                yield {"learner": ident, "name": name, "district": row.learner.district,
                       "province": row.learner.province, "reason": reason, "module": module,
                       "why": reason_text(reason, module, row, report), "days_inactive": row.days_inactive,
                       "last_activity": _when(row.last)}
    elif table == "learner-modules":
        for row in report.learners:
            ident, name = who(report, row)
            for m in report.module_rows(row):
                yield {"learner": ident, "name": name, "district": row.learner.district, "module": m.module,
                       "status": m.status, "lessons_done": m.lessons_done, "lessons": m.lessons,
                       "pages_read": m.pages_read, "post_test": m.post_test, "passed": m.passed,
                       "failed_attempts": m.failed_attempts, "jp": m.jp, "first_activity": _when(m.first),
                       "last_activity": _when(m.last), "completed": _when(m.completed)}
    else:
        raise ValueError(f"no table '{table}' (tables: {', '.join(TABLES)})")


def write_csv(report: Report, table: str, handle: io.TextIOBase) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    header = False
    for row in rows(report, table):
        if not header:
            writer.writerow(row.keys())
            header = True
        writer.writerow([safe_cell(v) for v in row.values()])
    if not header:
        writer.writerow(_EMPTY_HEADERS[table])


_EMPTY_HEADERS = {
    "follow-up": ["learner", "name", "district", "province", "reason", "module", "why", "days_inactive", "last_activity"],
    "days": ["day", "started", "completed", "module_completions"],
    "districts": ["district", "province", "enrolled", "not_started", "in_progress", "completed", "passed", "lagging",
                  "lagging_share", "mean_jp"],
    "learners": ["learner", "name"], "learner-modules": ["learner", "name", "module"], "summary": ["enrolled"],
}


def write_csv_folder(report: Report, out: str | os.PathLike[str]) -> Path:
    """A folder of one CSV file per table, written beside it first and renamed into place whole.
    An existing ``out`` is replaced only when it is an earlier report (nothing in it but these
    tables' files): any other folder or file is refused, never emptied (ProgressError)."""
    out = Path(out)
    if out.is_symlink() or (out.exists() and not _earlier_report(out)):
        raise ProgressError(t("'{path}' exists and is not an earlier CSV report (only {names}): choose a new "
                              "folder; nothing in it was touched", path=out,
                              names=", ".join(f"{table}.csv" for table in TABLES)))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    old: Path | None = None
    try:
        for table in TABLES:
            # personal data: readable by its owner only, as every report (atomic.py), also out of this folder
            with open(staging / f"{table}.csv", "w", encoding="utf-8-sig", newline="",
                      opener=lambda path, flags: os.open(path, flags, 0o600)) as handle:
                write_csv(report, table, handle)  # the BOM: spreadsheets then read UTF-8 names right
        if out.exists():  # the earlier report set aside, the new one renamed in, then the old removed
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.replace(out, old / "report")
        os.replace(staging, out)
    except BaseException:
        with signals.deferred():  # a second signal waits: the earlier report goes back first
            if old is not None and (old / "report").exists() and not out.exists():
                os.replace(old / "report", out)  # the earlier report back where it was
            shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if old is not None and out.exists():  # the set-aside report removed only once one stands at out
            shutil.rmtree(old, ignore_errors=True)
    return out


def _earlier_report(folder: Path) -> bool:
    """A real folder holding nothing but files named as this report's tables."""
    if not folder.is_dir():
        return False
    names = {f"{table}.csv" for table in TABLES}
    # what file managers and spreadsheets leave beside files they showed (.DS_Store, .~lock.x#) too
    return all((entry.name in names or entry.name.startswith(".")) and entry.is_file(follow_symlinks=False)
               for entry in os.scandir(folder))


def write_json(report: Report, out: str | os.PathLike[str]) -> Path:
    """All tables in one JSON object, streamed to a file beside ``out``, then renamed into place."""
    with replaced(out) as handle:
        handle.write('{"provenance": ' + json.dumps(provenance(report), ensure_ascii=False))
        for table in TABLES:
            handle.write(f', "{table}": [')
            for number, row in enumerate(rows(report, table)):
                handle.write((", " if number else "") + json.dumps(row, ensure_ascii=False))
            handle.write("]")
        handle.write("}\n")
    return Path(out)


def modpack_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("modpack")
    except PackageNotFoundError:
        return "?"


def provenance(report: Report) -> dict[str, Any]:
    return {"course": report.course.id, "course_version": report.course.version,
            "cohort": os.path.basename(report.cohort_path), "sources": [n.source for n in report.sources],
            "statements_read": report.tally.read, "statements_counted": report.tally.counted,
            "since": report.since, "as_of": _when(report.options.as_of), "made": _when(report.made),
            "timezone": str(report.options.zone), "district": report.district,
            "pseudonymised": report.pseudonymised, "modpack": modpack_version(), "notes": report.notes}
