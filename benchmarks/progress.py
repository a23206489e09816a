"""`modpack progress` at a programme's scale: 100,000 learners and 5,000,000 statements.

Usage: python benchmarks/progress.py [--learners 100000] [--statements 5000000] [--keep]

Makes an 11-module course (the two sample modules, each used under several ids, as a 108 JP
programme's 11 modules would be), a cohort CSV of the learners in 40 districts, and a JSON Lines
file of statements as the Tin Can player and `modpack statements` send them (initialized, pages
experienced, questions answered, passed or failed, completed, terminated, sessions attended), as
an LRS returns them (with stored, authority, version). Then, in a process of its own, reads them
and writes the HTML report. Prints the time, statements per second and peak RSS.
Target (issue 13): under 60 s and under 500 MB for 100k learners / 5M statements.
The files are made once under benchmarks/.data/ and reused (delete it to make them again).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / ".data"
MODULES = 11

RUN = r"""
import sys, time
from datetime import datetime
from zoneinfo import ZoneInfo
sys.path.insert(0, sys.argv[4])
import modpack
from modpack.progress import progress, write
from progress_course import course_of_eleven
course = course_of_eleven()
start = time.perf_counter()
report = progress(course, sys.argv[1], statements=[sys.argv[2]], as_of=datetime(2026, 3, 16, 12, tzinfo=ZoneInfo("Asia/Jakarta")))
counted = time.perf_counter()
write(report, sys.argv[3])
done = time.perf_counter()
s = report.summary
print(report.tally.read, report.tally.counted, s.enrolled, s.not_started, s.in_progress, s.completed, s.follow_up,
      round(counted - start, 2), round(done - counted, 2))
"""

COURSE = '''
import modpack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def course_of_eleven():
    """The sample course with 11 modules: the two sample modules under 11 ids."""
    course = modpack.load(ROOT / "samples" / "course.yaml")
    first, second = course.loaded_modules
    modules = [(first if k % 2 == 0 else second).model_copy(update={"id": f"modul-{k + 1:02d}"}) for k in range(11)]
    course = course.model_copy(update={"modules": [m.id for m in modules]})
    course._modules = modules
    return course
'''


def write_course_helper() -> Path:
    helper = DATA / "progress_course.py"
    helper.write_text(COURSE, encoding="utf-8")
    return helper


def make_files(learners: int, statements: int, cohort: Path, jsonl: Path) -> None:
    sys.path.insert(0, str(DATA))
    from progress_course import course_of_eleven

    course = course_of_eleven()
    modules = course.loaded_modules
    rng = random.Random(13)
    start = date(2026, 3, 2)
    districts = [f"Kab. Contoh {k:02d}" for k in range(40)]
    with cohort.open("w", encoding="utf-8") as handle:
        handle.write("email,name,district,province,role,start_date\n")
        for n in range(learners):
            handle.write(f"peserta{n}@example.id,Peserta {n},{districts[n % 40]},Provinsi {n % 40 // 5},"
                         f"Pendamping PKH,{start.isoformat()}\n")
    pages = [[f"{m.iri}/pages/{p.id}" for lesson in m.lessons for p in lesson.pages] for m in modules]
    questions = [[f"{m.iri}/assessments/{m.post_test.id}/questions/{q.id}" for q in m.post_test.all_questions()]
                 for m in modules]
    authority = '{"objectType":"Agent","name":"lrs","mbox":"mailto:lrs@example.go.id"}'
    grouping = '[{"objectType":"Activity","id":"https://pelatihan.example.go.id/xapi/courses/pelatihan-pilar-kesos"}]'

    def line(n: int, verb: str, object_id: str, when: datetime, extra: str, registration: str) -> str:
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return ('{"id":"%s","actor":{"objectType":"Agent","name":"Peserta %d","mbox":"mailto:peserta%d@example.id"},'
                '"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":"%s"}},'
                '"object":{"objectType":"Activity","id":"%s"},%s'
                '"context":{"registration":"%s","contextActivities":{"parent":[{"id":"%s","objectType":"Activity"}],'
                '"grouping":%s}},"timestamp":"%s","stored":"%s","authority":%s,"version":"1.0.0"}\n') % (
            uuid.UUID(int=rng.getrandbits(128), version=4), n, n, verb, verb, object_id, extra, registration,
            object_id.split("/pages/")[0].split("/assessments/")[0], grouping, stamp, stamp, authority)

    written = 0
    per_learner = statements / (learners * 0.9)
    with jsonl.open("w", encoding="utf-8") as handle:
        n = 0
        while written < statements:
            learner = n % learners
            n += 1
            if learner % 10 == 9 and n <= learners:
                continue  # a tenth never start
            budget = max(int(rng.gauss(per_learner, per_learner / 4)), 1)
            when = datetime(2026, 3, 2, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(0, 14 * 24 * 60))
            registration = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            for k, module in enumerate(modules):
                if budget <= 0 or written >= statements:
                    break
                iri = module.iri
                parts = [("initialized", iri, "")] + [("experienced", p, "") for p in pages[k]]
                for q in questions[k]:
                    parts.append(("answered", q, '"result":{"success":true,"response":"0"},'))
                score = rng.random()
                passed = score >= 0.5
                parts.append(("passed" if passed else "failed", iri,
                              '"result":{"score":{"scaled":%.2f},"success":%s},' % (score, "true" if passed else "false")))
                if passed:
                    parts.append(("completed", iri, '"result":{"completion":true},'))
                parts.append(("terminated", iri, ""))
                for verb, object_id, extra in parts[:budget]:
                    when += timedelta(seconds=rng.randrange(20, 300))
                    handle.write(line(learner, verb, object_id, when, extra, registration))
                    written += 1
                    if written >= statements:
                        break
                budget -= len(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=5_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the report (benchmarks/.data/report.html)")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    write_course_helper()
    cohort = DATA / f"cohort-{args.learners}.csv"
    jsonl = DATA / f"statements-{args.learners}-{args.statements}.jsonl"
    if not jsonl.exists() or not cohort.exists():
        began = time.perf_counter()
        make_files(args.learners, args.statements, cohort, jsonl)
        print(f"made {jsonl.name} ({jsonl.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - began:.0f} s")
    report = DATA / "report.html"
    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", RUN, str(cohort), str(jsonl), str(report), str(DATA)],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    elapsed = time.perf_counter() - began
    if result.returncode:
        sys.exit(result.stderr)
    read, counted, enrolled, not_started, in_progress, completed, follow_up, reading, writing = result.stdout.split()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = report.stat().st_size / 1e6
    print(f"learners {int(enrolled):,}, modules {MODULES}, statements read {int(read):,} "
          f"({jsonl.stat().st_size / 1e9:.2f} GB), counted {int(counted):,}")
    print(f"  not started {not_started}, in progress {in_progress}, completed {completed}, to follow up {follow_up}")
    print(f"  read and counted in {reading} s ({int(read) / float(reading):,.0f} statements/s), "
          f"report written in {writing} s ({size:.1f} MB)")
    print(f"  whole run {elapsed:.1f} s (with start-up and loading the course), peak RSS {peak:.0f} MB")
    print(f"  target: under 60 s and under 500 MB -> {'met' if elapsed < 60 and peak < 500 else 'NOT met'}")
    if not args.keep:
        report.unlink()


if __name__ == "__main__":
    main()
