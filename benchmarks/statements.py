"""Statements per second: modpack against the tincan library, on the same rows, in the same run.

Usage: python benchmarks/statements.py [--rows 1000000] [--tincan-rows 20000]

Makes a CSV of attendance, offline test and completion rows for the sample module, converts it
with modpack (read, build, validate against the xAPI statement schema, serialise to JSON Lines),
and builds and serialises the same statements with the tincan library (which validates types as
it builds), and, as the floor (issue 16), the same statements written as plain dicts with orjson
straight from csv rows: no model, no validation. Prints rows per second and peak RSS of each, each
in a process of its own. Targets (issue 6): at least 15x tincan's rate; peak RSS under 150 MB.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "samples" / "rujukan-terpadu"


def make_records(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kind", "email", "name", "item", "timestamp", "score", "instructor_email"])
        for n in range(rows):
            learner = n // 4
            email, name = f"peserta{learner}@example.id", f"Peserta {learner}"
            day, kind = 1 + learner % 28, n % 4
            if kind == 0:
                writer.writerow(["attendance", email, name, "studi-kasus-rujukan", f"2026-04-{day:02d}T09:00:00+07:00", "",
                                 "dewi@example.go.id"])
            elif kind == 1:
                writer.writerow(["test", email, name, "pra-tes", f"2026-04-{day:02d}T08:00:00+07:00", learner % 100, ""])
            elif kind == 2:
                writer.writerow(["test", email, name, "pasca-tes", f"2026-04-{day:02d}T11:00:00+07:00", 50 + learner % 51, ""])
            else:
                writer.writerow(["completion", email, name, "", f"2026-04-{day:02d}T12:00:00+07:00", "", ""])


MODPACK_RUN = """
import sys, time
import modpack
from modpack.xapi.convert import convert
module = modpack.load(sys.argv[1])
start = time.perf_counter()
summary = convert(sys.argv[2], module, sys.argv[3], keep_errors=False)
print(summary.written, time.perf_counter() - start)
"""

TINCAN_RUN = """
import sys, time, uuid
from datetime import datetime
import modpack
from modpack.xapi.records import Record, read_records
from tincan import (Activity, ActivityDefinition, Agent, Context, ContextActivities, Extensions, LanguageMap,
                    Result, Score, Statement, Verb)
module = modpack.load(sys.argv[1])
base = module.iri
session = module.facilitated_sessions[0]
limit = int(sys.argv[3])
start = time.perf_counter()
count = 0
with open(sys.argv[4], "w", encoding="utf-8") as out:
    for record in read_records(sys.argv[2]):
        if count >= limit:
            break
        kind = record.kind
        if kind == "attendance":
            verb, obj, result = "attended", Activity(id=f"{base}/sessions/{session.id}", definition=ActivityDefinition(
                name=LanguageMap(session.title), type="http://adlnet.gov/expapi/activities/meeting")), Result(
                completion=True, duration="PT1H30M")
        elif kind == "test":
            verb = "scored" if record.item == "pra-tes" else ("passed" if record.score >= 70 else "failed")
            obj = Activity(id=f"{base}/assessments/{record.item}", definition=ActivityDefinition(
                name=LanguageMap({"id-ID": record.item}), type="http://adlnet.gov/expapi/activities/assessment"))
            result = Result(score=Score(scaled=record.score / 100, raw=record.score, min=0, max=100), completion=True)
        else:
            verb, obj, result = "completed", Activity(id=base, definition=ActivityDefinition(
                name=LanguageMap(module.title), type="http://adlnet.gov/expapi/activities/module")), Result(
                completion=True, duration="PT3H")
        statement = Statement(
            id=uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}|{record.email}|{record.timestamp.isoformat()}"),
            actor=Agent(mbox=f"mailto:{record.email}", name=record.name),
            verb=Verb(id=f"http://adlnet.gov/expapi/verbs/{verb}", display=LanguageMap({"en-US": verb})),
            object=obj, result=result,
            context=Context(registration=uuid.uuid5(uuid.NAMESPACE_URL, record.email), platform="modpack",
                            language="id-ID", context_activities=ContextActivities(parent=[Activity(id=base)]),
                            extensions=Extensions({f"{module.effective_iri_base}extensions/jp": 2})),
            timestamp=record.timestamp.isoformat())
        out.write(statement.to_json() + "\\n")
        count += 1
print(count, time.perf_counter() - start)
"""


FLOOR_RUN = """
import csv, sys, time, uuid
import orjson
import modpack
module = modpack.load(sys.argv[1])
base, session = module.iri, module.facilitated_sessions[0]
jp = f"{module.effective_iri_base}extensions/jp"
start = time.perf_counter()
count = 0
with open(sys.argv[2], newline="", encoding="utf-8") as rows, open(sys.argv[3], "wb") as out:
    for kind, email, name, item, timestamp, score, instructor in csv.reader(rows):
        if kind == "kind":
            continue
        if kind == "attendance":
            verb, obj, result = "attended", {"id": f"{base}/sessions/{session.id}", "definition": {
                "name": session.title, "type": "http://adlnet.gov/expapi/activities/meeting"}}, {
                "completion": True, "duration": "PT1H30M"}
        elif kind == "test":
            raw = int(score)
            verb = "scored" if item == "pra-tes" else ("passed" if raw >= 70 else "failed")
            obj = {"id": f"{base}/assessments/{item}", "definition": {"name": {"id-ID": item},
                   "type": "http://adlnet.gov/expapi/activities/assessment"}}
            result = {"score": {"scaled": raw / 100, "raw": raw, "min": 0, "max": 100}, "completion": True}
        else:
            verb, obj, result = "completed", {"id": base, "definition": {"name": module.title,
                "type": "http://adlnet.gov/expapi/activities/module"}}, {"completion": True, "duration": "PT3H"}
        out.write(orjson.dumps({
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}|{email}|{timestamp}")),
            "actor": {"objectType": "Agent", "mbox": f"mailto:{email}", "name": name},
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
            "object": {"objectType": "Activity", **obj}, "result": result,
            "context": {"registration": str(uuid.uuid5(uuid.NAMESPACE_URL, email)), "platform": "modpack",
                        "language": "id-ID", "contextActivities": {"parent": [{"id": base}]},
                        "extensions": {jp: 2}},
            "timestamp": timestamp}) + b"\\n")
        count += 1
print(count, time.perf_counter() - start)
"""


def measure(code: str, *args: str) -> tuple[int, float, float]:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    out = process.stdout.read().decode().split()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(process.stderr.read().decode())
    return int(out[0]), float(out[1]), usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--tincan-rows", type=int, default=20_000, help="tincan is slow: its rate is measured on fewer rows")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="modpack-statements-") as work:
        records = Path(work) / "records.csv"
        make_records(records, args.rows)
        count, seconds, rss = measure(MODPACK_RUN, str(MODULE), str(records), str(Path(work) / "out.jsonl"))
        size = (Path(work) / "out.jsonl").stat().st_size / 1e6
        f_count, f_seconds, f_rss = measure(FLOOR_RUN, str(MODULE), str(records), str(Path(work) / "floor.jsonl"))
        t_count, t_seconds, t_rss = measure(TINCAN_RUN, str(MODULE), str(records), str(min(args.tincan_rows, args.rows)),
                                            str(Path(work) / "tincan.jsonl"))
    ours, theirs = count / seconds, t_count / t_seconds
    print(f"rows: {args.rows:,} (attendance, pre-test, post-test, completion)")
    print(f"  modpack  {count:>9,} statements in {seconds:6.2f} s  {ours:9,.0f}/s  peak RSS {rss:6.1f} MB  ({size:.0f} MB JSON Lines)")
    print(f"  tincan   {t_count:>9,} statements in {t_seconds:6.2f} s  {theirs:9,.0f}/s  peak RSS {t_rss:6.1f} MB")
    floor = f_count / f_seconds
    print(f"  floor    {f_count:>9,} statements in {f_seconds:6.2f} s  {floor:9,.0f}/s  peak RSS {f_rss:6.1f} MB  "
          "(dicts and orjson, nothing checked)")
    print(f"  modpack / tincan: {ours / theirs:.1f}x   (target >= 15x; peak RSS < 150 MB)")
    print(f"  modpack / floor, time per statement: {floor / ours:.2f}x   (no target: what building each statement "
          "as a model and checking it against the xAPI schema costs; modpack converts on every core, the floor "
          "on one)")


if __name__ == "__main__":
    main()
