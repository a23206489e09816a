"""Records to xAPI statements, and statements into a real LRS (Learning Locker), each exactly once."""

from __future__ import annotations

import csv
import json
import uuid
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

import modpack
from modpack.xapi.convert import convert
from modpack.xapi.records import read_records
from modpack.xapi.statements import StatementBuilder, from_tincan, statement_id, to_tincan
from modpack.xapi.validation import SCHEMA_FILE, StatementValidator
from modpack.xapi.send import given_id

from .conftest import ROOT, SAMPLES
from .lrs_support import LearningLocker, xapi_validation_warnings

RECORDS = SAMPLES / "records" / "rujukan-terpadu.csv"
HOMEPAGE = "https://simpeg.example.go.id"
CREDENTIALS = {"MODPACK_LRS_USERNAME": "modpack-test", "MODPACK_LRS_PASSWORD": "sangat-rahasia-42"}


@pytest.fixture(scope="module")
def module():
    return modpack.load(SAMPLES / "rujukan-terpadu")


def statements_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, **kwargs)


# -- conversion ------------------------------------------------------------------------

def test_sample_records_convert_to_valid_statements(module, tmp_path):
    out = tmp_path / "out.jsonl"
    course = modpack.load(SAMPLES / "course.yaml")
    # as shipped, the sample converts whole: the account's row names its home page itself
    assert (convert(RECORDS, module, None, course).rejected) == 0
    summary = convert(RECORDS, module, out, course, account_homepage="https://lain.example.go.id")
    assert (summary.rows, summary.written, summary.rejected) == (7, 7, 0)
    found = statements_of(out)
    assert xapi_validation_warnings(out.read_bytes()) == []  # Learning Locker's validator agrees
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for statement in found:
        jsonschema.validate(statement, schema)  # the reference validator agrees with the fast one
    attended, _, pre, post, failed, completed, account = found
    base = "https://pelatihan.example.go.id/xapi/modules/rujukan-terpadu"
    assert attended["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attended"
    assert attended["object"]["id"] == f"{base}/sessions/studi-kasus-rujukan"
    assert attended["object"]["definition"]["name"] == {
        "id-ID": "Studi kasus rujukan bersama fasilitator", "en-US": "Referral case studies with a facilitator"}
    assert attended["result"] == {"completion": True, "duration": "PT1H30M"}  # 2 JP x 45 minutes
    context = attended["context"]
    assert context["contextActivities"]["parent"] == [{"objectType": "Activity", "id": base}]
    assert context["contextActivities"]["grouping"][0]["id"] == "https://pelatihan.example.go.id/xapi/courses/pelatihan-pilar-kesos"
    assert context["instructor"] == {"objectType": "Agent", "name": "Dewi Lestari", "mbox": "mailto:dewi.fasilitator@example.go.id"}
    assert context["extensions"] == {"https://pelatihan.example.go.id/xapi/extensions/jp": 2}
    assert context["platform"] == "modpack" and context["language"] == "id-ID"
    assert attended["timestamp"] == "2026-03-04T09:00:00+07:00"
    assert pre["verb"]["id"].endswith("/scored") and "success" not in pre["result"]
    assert post["verb"]["id"].endswith("/passed") and post["result"]["score"] == {"scaled": 0.85, "raw": 85, "min": 0, "max": 100}
    assert post["result"]["success"] is True
    assert failed["verb"]["id"].endswith("/failed") and failed["result"]["success"] is False
    assert completed["verb"]["id"].endswith("/completed") and completed["object"]["id"] == base
    assert completed["result"]["duration"] == "PT3H" and completed["context"]["extensions"][
        "https://pelatihan.example.go.id/xapi/extensions/jp"] == 4
    assert account["actor"]["account"] == {"homePage": HOMEPAGE, "name": "199001012015031001"}
    assert account["result"]["duration"] == "PT1H7M30S"  # a partial attendance of 1.5 JP
    # one learner, one module: one registration
    assert pre["context"]["registration"] == post["context"]["registration"] == completed["context"]["registration"]


def test_statement_ids_are_uuid5_of_the_documented_key(module, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    convert(RECORDS, module, first, account_homepage=HOMEPAGE)
    convert(RECORDS, module, second, account_homepage=HOMEPAGE)
    assert first.read_bytes() == second.read_bytes()
    statement = statements_of(first)[0]
    # the key and namespace docs/statements.md documents, through Python's own uuid5
    key = ("attendance|https://pelatihan.example.go.id/xapi/modules/rujukan-terpadu/sessions/studi-kasus-rujukan"
           "|mailto:siti.rahma@example.id|2026-03-04T02:00:00.000Z")
    documented = uuid.uuid5(uuid.UUID("5b0f3d7e-6a1c-5d0e-9c43-6d6f64706163"), key)
    assert statement["id"] == str(documented)
    assert statement_id(*key.split("|", 3)) == str(documented)
    assert uuid.UUID(statement["id"]).version == 5


def test_every_bad_row_is_reported_and_the_rest_written(module, tmp_path):
    records = tmp_path / "hadir.csv"
    records.write_text(
        "kind,email,name,item,timestamp,score,jp\n"
        "attendance,siti@example.id,Siti,studi-kasus-rujukan,2026-03-04T09:00:00+07:00,,\n"   # row 2: good
        "hadir,siti@example.id,Siti,studi-kasus-rujukan,2026-03-04T09:00:00+07:00,,\n"        # row 3: kind
        "attendance,bukan-email,Budi,studi-kasus-rujukan,2026-03-04T09:00:00+07:00,,\n"       # row 4: email
        "attendance,budi@example.id,Budi,studi-kasus-rujukan,2026-03-04 09:00,,\n"            # row 5: no zone
        "test,andi@example.id,Andi,pasca-tes,2026-03-05T10:00:00+07:00,120,\n"                # row 6: score
        "attendance,andi@example.id,Andi,sesi-lain,2026-03-04T09:00:00+07:00,,\n"             # row 7: session
        "test,andi@example.id,Andi,pasca-tes,2026-03-05T10:00:00+07:00,,\n"                   # row 8: no score
        "attendance,rina@example.id,Rina,studi-kasus-rujukan,2026-03-04T09:00:00+07:00,,-1\n" # row 9: jp
        "completion,rina@example.id,Rina,,2026-03-06T15:00:00+08:00,,\n",                     # row 10: good
        encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = convert(records, module, out)
    assert (summary.rows, summary.written, summary.rejected) == (9, 2, 7)
    assert [(e.row, e.column) for e in summary.errors] == [
        (3, "kind"), (4, "email"), (5, "timestamp"), (6, "score"), (7, "item"), (8, "score"), (9, "jp")]
    assert "no time zone" in summary.errors[2].reason and "sesi-lain" in summary.errors[4].reason
    assert len(statements_of(out)) == 2
    result = run("statements", str(records), "--module", str(SAMPLES / "rujukan-terpadu"), "-o", str(tmp_path / "c.jsonl"))
    assert result.returncode == 1  # findings: the good rows are written, the bad ones reported
    assert f"{records}:row 5: timestamp: '2026-03-04 09:00' has no time zone" in result.stderr
    assert "9 row(s): 2 statement(s)" in result.stderr and "Traceback" not in result.stderr


def test_text_that_is_not_utf8_and_numbers_that_are_not_finite(module, tmp_path):
    records = tmp_path / "cp1252.csv"
    records.write_bytes("kind,email,name,item,timestamp,jp\n".encode()
                        + "attendance,a@b.id,Andr\xe9,studi-kasus-rujukan,2026-03-04T09:00:00+07:00,\n".encode("cp1252")
                        + b"attendance,c@d.id,Citra,studi-kasus-rujukan,2026-03-04T09:00:00+07:00,nan\n"
                        + b"attendance,e@f.id,Eko,studi-kasus-rujukan,2026-03-04T09:00:00+07:00,inf\n")
    summary = convert(records, module, None)
    assert summary.written == 0
    assert [(e.row, e.column) for e in summary.errors] == [(2, "name"), (3, "jp"), (4, "jp")]
    assert "UTF-8" in summary.errors[0].reason


def test_json_lines_records_and_malformed_lines(module, tmp_path):
    records = tmp_path / "hadir.jsonl"
    records.write_text(
        json.dumps({"kind": "attendance", "account": "1990", "item": "studi-kasus-rujukan",
                    "timestamp": "2026-03-04T09:00:00+07:00"}) + "\n"
        + "{not json\n"
        + json.dumps({"kind": "test", "email": "a@b.id", "item": "pra-tes", "timestamp": "2026-03-02T08:00:00Z",
                      "score": 40, "warna": "merah"}) + "\n",
        encoding="utf-8")
    summary = convert(records, module, None, account_homepage=HOMEPAGE)
    assert summary.written == 1
    assert [(e.row, e.column) for e in summary.errors] == [(2, ""), (3, "warna")]


def test_xapi_2_on_request(module, tmp_path):
    out = tmp_path / "v2.jsonl"
    convert(RECORDS, module, out, xapi_version="2.0", account_homepage=HOMEPAGE)
    assert {s["version"] for s in statements_of(out)} == {"2.0.0"}


def test_tincan_objects_in_and_out(module):
    builder = StatementBuilder(module)
    record = next(r for r in read_records(RECORDS, HOMEPAGE) if not isinstance(r, list))
    statement = builder.build(record)
    as_tincan = to_tincan(statement)
    assert str(as_tincan.id) == statement["id"]
    assert as_tincan.verb.id == "http://adlnet.gov/expapi/verbs/attended"
    back = from_tincan(as_tincan)
    assert back["object"]["id"] == statement["object"]["id"] and back["actor"]["mbox"] == statement["actor"]["mbox"]
    assert StatementValidator().errors(back) == []


def test_validator_matches_the_schema():
    validator = StatementValidator()
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    good = {"actor": {"mbox": "mailto:a@b.id"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
            "object": {"id": "https://x.example/a"}}
    bad = [
        {**good, "actor": {"mbox": "a@b.id"}},
        {**good, "verb": {"id": "attended"}},
        {**good, "timestamp": "2026-03-04T09:00:00"},
        {**good, "result": {"score": {"scaled": 1.5}}},
        {**good, "warna": "merah"},
        {"actor": good["actor"], "verb": good["verb"]},
        {**good, "context": {"registration": "bukan-uuid"}},
    ]
    assert validator.errors(good) == []
    for statement in bad:
        assert validator.errors(statement), statement
        assert list(jsonschema.Draft7Validator(schema).iter_errors(statement)), statement
    assert validator.errors(bad[0])  # remembered values are never mistaken for good ones


def test_committed_statement_schema_is_the_packaged_one():
    assert (ROOT / "schemas" / "xapi-statement.schema.json").read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")


# -- the LRS -----------------------------------------------------------------------------

@pytest.fixture
def lrs():
    server = LearningLocker().start()
    yield server
    server.stop()


def ten_thousand(tmp_path: Path, module) -> Path:
    records = tmp_path / "records.csv"
    with records.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kind", "email", "name", "item", "timestamp", "score"])
        for n in range(2500):
            email, name = f"peserta{n}@example.id", f"Peserta {n}"
            day = 1 + n % 28
            writer.writerow(["attendance", email, name, "studi-kasus-rujukan", f"2026-04-{day:02d}T09:00:00+07:00", ""])
            writer.writerow(["test", email, name, "pra-tes", f"2026-04-{day:02d}T08:00:00+07:00", n % 100])
            writer.writerow(["test", email, name, "pasca-tes", f"2026-04-{day:02d}T11:00:00+07:00", 50 + n % 51])
            writer.writerow(["completion", email, name, "", f"2026-04-{day:02d}T12:00:00+07:00", ""])
    out = tmp_path / "statements.jsonl"
    summary = convert(records, module, out)
    assert summary.written == 10_000
    return out


def test_send_ten_thousand_then_resend_nothing_new(lrs, module, tmp_path):
    out = ten_thousand(tmp_path, module)
    assert xapi_validation_warnings(out.read_bytes()) == []
    result = run("send", str(out), "--lrs", lrs.endpoint, "--batch-size", "250", env=CREDENTIALS)
    assert result.returncode == 0, result.stderr
    assert "sent 10000, already stored 0, rejected 0" in result.stdout
    held = lrs.statements()
    assert len(held) == 10_000 and len({s["id"] for s in held}) == 10_000
    assert {s["id"] for s in held} == {s["id"] for s in statements_of(out)}
    again = run("send", str(out), "--lrs", lrs.endpoint, "--restart", env=CREDENTIALS)
    assert again.returncode == 0 and "rejected 0" in again.stdout
    assert len(lrs.statements()) == 10_000  # nothing new
    # the credentials never appear in what modpack prints
    for text in (result.stdout, result.stderr, again.stdout, again.stderr):
        assert CREDENTIALS["MODPACK_LRS_PASSWORD"] not in text


def _converting(records: Path, out: Path, busy_wait: bool = False) -> subprocess.Popen[str]:
    """`modpack statements` of ``records`` into ``out``, in a session of its own, once it has begun
    writing (its temporary file is there); ``busy_wait``: seen as soon as it is (no sleep between looks)."""
    process = subprocess.Popen([sys.executable, "-m", "modpack", "statements", str(records), "--module",
                                str(SAMPLES / "rujukan-terpadu"), "--account-homepage", HOMEPAGE, "-o", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                               env={**os.environ, "MODPACK_LANG": "en", "MODPACK_SERVER": "off"})
    deadline = time.monotonic() + 60
    while not list(out.parent.glob(".*.part")) and process.poll() is None and time.monotonic() < deadline:
        if not busy_wait:
            time.sleep(0.002)
    return process


@pytest.mark.parametrize("number, group", [(signal.SIGTERM, False), (signal.SIGHUP, False), (signal.SIGTERM, True),
                                           (signal.SIGINT, True)], ids=["kill", "hang-up", "kill-group", "ctrl-c"])
def test_a_conversion_killed_half_way_leaves_no_file_behind(tmp_path, number, group):
    """A `kill`, a closed terminal or Ctrl+C (to the process, or to its group with its workers)
    while `statements` writes: no output, and no temporary file beside it (a kill left one), and
    the process ends by the signal (Ctrl+C: 'Aborted!', 130), never with a traceback."""
    records = tmp_path / "besar.csv"
    rows = RECORDS.read_text(encoding="utf-8").splitlines()
    records.write_text("\n".join([rows[0]] + [rows[1 + n % (len(rows) - 1)] for n in range(40_000)]) + "\n",
                       encoding="utf-8")
    out = tmp_path / "keluar" / "pernyataan.jsonl"
    process = _converting(records, out)
    assert process.poll() is None, "it ended before it could be stopped"
    time.sleep(0.1)  # writing
    (os.killpg if group else os.kill)(process.pid, number)
    _out, err = process.communicate(timeout=60)
    assert "Traceback" not in err and "internal error" not in err, err
    assert list(out.parent.iterdir()) == []
    if number == signal.SIGINT:
        assert process.returncode in (130, -signal.SIGINT) and "Aborted!" in err
    else:
        assert process.returncode == -number


@pytest.mark.parametrize("wait, second", [(0.0, None), (0.002, None), (0.3, None), (0.3, signal.SIGINT)],
                         ids=["as-it-forks", "just-after", "while-converting", "then-ctrl-c"])
def test_a_conversion_on_both_cores_killed_stops_its_workers_at_once_and_leaves_nothing(tmp_path, wait, second):
    """Records past 16 MB are converted by forked workers too. A kill as they are forked, or while
    they convert: every worker stopped with the command (one was left running, holding the
    caller's terminal, and a kill waited for the workers' whole parts), no file left behind."""
    records = tmp_path / "besar.csv"
    rows = RECORDS.read_text(encoding="utf-8").splitlines()
    with records.open("w", encoding="utf-8") as handle:
        handle.write(rows[0] + "\n")
        body = "\n".join(rows[1:]) + "\n"
        while handle.tell() < 17 * 1024 * 1024:
            handle.write(body)
    out = tmp_path / "keluar" / "pernyataan.jsonl"
    process = _converting(records, out, busy_wait=True)
    time.sleep(wait)
    assert process.poll() is None, "it ended before it could be stopped"
    process.send_signal(signal.SIGTERM)  # to the command alone, as `kill PID` does
    if second is not None:  # and another as it cleans up (which it cut short, leaving a part file)
        time.sleep(0.003)
        process.send_signal(second)
    _, err = process.communicate(timeout=60)
    time.sleep(0.5)
    try:
        os.killpg(process.pid, 0)  # anything left of its process group?
        os.killpg(process.pid, signal.SIGKILL)
        left = True
    except ProcessLookupError:
        left = False
    assert not left, "a worker outlived the command"
    # ended by the kill, or, when both were pending at once (Python runs the handler of SIGINT
    # first), by the Ctrl+C: 'Aborted!' and 130, or SIGINT itself (a shell sees 130 either way)
    ended_by_ctrl_c = second is not None and process.returncode in (130, -signal.SIGINT) and "Aborted!" in err
    assert process.returncode == -signal.SIGTERM or ended_by_ctrl_c, (process.returncode, err)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("number", [signal.SIGKILL, signal.SIGTERM], ids=["killed-outright", "kill"])
def test_interrupted_send_resumes_with_nothing_lost_or_twice(lrs, module, tmp_path, number):
    out = ten_thousand(tmp_path, module)
    checkpoint = tmp_path / "kirim.checkpoint"
    process = subprocess.Popen([sys.executable, "-m", "modpack", "send", str(out), "--lrs", lrs.endpoint,
                                "--batch-size", "50", "--checkpoint", str(checkpoint)],
                               env={**os.environ, **CREDENTIALS}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        if checkpoint.exists() and json.loads(checkpoint.read_text())["next_line"] > 3000:
            break
        time.sleep(0.02)
    process.send_signal(number)  # stopped half-way: as hard as it gets, or a kill it may clean up after
    assert process.wait() == -number
    if number == signal.SIGTERM:
        assert not list(tmp_path.glob("*.part"))  # (the lock file stays: an flock, released by the end)
    stopped_at = json.loads(checkpoint.read_text())["next_line"]
    assert 3000 < stopped_at < 10_000
    held_before = len(lrs.statements())
    assert held_before >= stopped_at - 1
    resumed = run("send", str(out), "--lrs", lrs.endpoint, "--batch-size", "50", "--checkpoint", str(checkpoint),
                  env=CREDENTIALS)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{stopped_at - 1} sent before (checkpoint)" in resumed.stdout
    held = lrs.statements()
    assert len(held) == 10_000 and len({s["id"] for s in held}) == 10_000


def test_one_invalid_statement_in_a_batch(lrs, module, tmp_path):
    out = tmp_path / "campur.jsonl"
    convert(RECORDS, module, out, account_homepage=HOMEPAGE)
    lines = out.read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[3])
    bad["actor"] = {"objectType": "Agent", "mbox": "siti.rahma-tanpa-mailto"}  # what a hand edit can do
    lines[3] = json.dumps(bad)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("send", str(out), "--lrs", lrs.endpoint, "--batch-size", "10", env=CREDENTIALS)
    assert result.returncode == 1
    assert f"{out}:4: rejected ({bad['id']}): 400" in result.stderr
    assert "sent 6, already stored 0, rejected 1" in result.stdout
    assert len(lrs.statements()) == 6


def test_statements_without_ids_are_stored_once_however_often_they_are_sent(lrs, module, tmp_path):
    """Statements another tool wrote without ids: the LRS would give each a new id at every send,
    so a resend (after an interrupted batch, or by --restart) stored them twice. Each is given an id
    from its line and text; two identical lines stay two events; an id that is not text is refused
    with its line, before it is sent."""
    out = tmp_path / "tanpa-id.jsonl"
    convert(RECORDS, module, out, account_homepage=HOMEPAGE)
    statements = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for statement in statements:
        del statement["id"]
    lines = [json.dumps(s) for s in statements] + [json.dumps(statements[0]), '{"id": null, "verb": {}}']
    lines[1] = " " + lines[1].replace("{", "{ ", 1)  # a space where the id goes
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = run("send", str(out), "--lrs", lrs.endpoint, "--batch-size", "3", env=CREDENTIALS)
    assert first.returncode == 1, first.stderr
    assert f"{out}:{len(lines)}: rejected: its id is not text" in first.stderr
    assert f"sent {len(statements) + 1}, already stored 0, rejected 1" in first.stdout
    assert f"{len(statements) + 1} statement(s) had no id" in first.stdout
    held = lrs.statements()
    assert len(held) == len(statements) + 1 and len({s["id"] for s in held}) == len(held)
    again = run("send", str(out), "--lrs", lrs.endpoint, "--restart", env=CREDENTIALS)
    assert again.returncode == 1 and "rejected 1" in again.stdout
    assert len(lrs.statements()) == len(statements) + 1  # nothing twice
    assert {s["id"] for s in lrs.statements()} == {s["id"] for s in held}


def test_a_given_id_goes_in_front_of_whatever_the_statement_holds():
    ident, statement = given_id(4, b'{ }')
    assert json.loads(statement) == {"id": ident}
    ident2, statement = given_id(5, b'{\n "verb": {"id": "x"}}')
    assert json.loads(statement) == {"id": ident2, "verb": {"id": "x"}} and ident2 != ident
    assert given_id(5, b'{\n "verb": {"id": "x"}}')[0] == ident2  # the same line, the same id
    assert uuid.UUID(ident).version == 5


def test_a_wrong_endpoint_stops_without_losing_anything(lrs, module, tmp_path):
    out = tmp_path / "s.jsonl"
    convert(RECORDS, module, out, account_homepage=HOMEPAGE)
    wrong = run("send", str(out), "--lrs", lrs.endpoint.replace("/xAPI/", "/salah/"), "--batch-size", "3", env=CREDENTIALS)
    assert wrong.returncode == 2 and "answered 404" in wrong.stderr
    right = run("send", str(out), "--lrs", lrs.endpoint, "--batch-size", "3", env=CREDENTIALS)
    assert right.returncode == 0 and "sent 7" in right.stdout and "sent before" not in right.stdout
    assert len(lrs.statements()) == 7
    # the same file to another LRS is not skipped because it went to the first one
    other = LearningLocker().start()
    try:
        again = run("send", str(out), "--lrs", other.endpoint, env=CREDENTIALS)
        assert "sent 7" in again.stdout and len(other.statements()) == 7
    finally:
        other.stop()


@pytest.mark.lrs
def test_lrs_down_for_a_while(module, tmp_path):
    out = tmp_path / "s.jsonl"
    convert(RECORDS, module, out, account_homepage=HOMEPAGE)
    server = LearningLocker()  # not started yet: connections are refused
    sender = subprocess.Popen([sys.executable, "-m", "modpack", "send", str(out), "--lrs", server.endpoint],
                              env={**os.environ, **CREDENTIALS}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    server.start()
    try:
        stdout, stderr = sender.communicate(timeout=120)
        assert sender.returncode == 0, stderr
        assert "sent 7" in stdout and "retries" in stdout and ", 0 retries" not in stdout
        assert len(server.statements()) == 7
    finally:
        server.stop()


def test_send_needs_credentials_from_the_environment_or_a_file(tmp_path, lrs, module):
    out = tmp_path / "s.jsonl"
    convert(RECORDS, module, out, account_homepage=HOMEPAGE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODPACK_LRS_")}
    missing = subprocess.run([sys.executable, "-m", "modpack", "send", str(out), "--lrs", lrs.endpoint],
                             capture_output=True, text=True, env=env)
    assert missing.returncode == 2 and "no credentials" in missing.stderr
    creds = tmp_path / "lrs.txt"
    creds.write_text("modpack:rahasia-dari-berkas\n", encoding="utf-8")
    from_file = subprocess.run([sys.executable, "-m", "modpack", "send", str(out), "--lrs", lrs.endpoint,
                                "--credentials", str(creds)], capture_output=True, text=True, env=env)
    assert from_file.returncode == 0 and "rahasia-dari-berkas" not in from_file.stdout + from_file.stderr
    assert "--password" not in run("send", "--help").stdout


def test_report_counts_jp_per_learner(lrs, module, tmp_path):
    out = tmp_path / "s.jsonl"
    convert(RECORDS, module, out, account_homepage=HOMEPAGE)
    assert run("send", str(out), "--lrs", lrs.endpoint, env=CREDENTIALS).returncode == 0
    report = run("report", "--records", str(RECORDS), "--module", str(SAMPLES / "rujukan-terpadu"), "--lrs",
                 lrs.endpoint, "--year", "2026", "--account-homepage", HOMEPAGE, env=CREDENTIALS)
    assert report.returncode == 0, report.stderr
    rows = list(csv.DictReader(report.stdout.splitlines()))
    siti = next(r for r in rows if r["learner"] == "siti.rahma@example.id")
    assert (siti["facilitated_jp"], siti["self_paced_jp"], siti["total_jp"], siti["remaining_jp"], siti["met"]) == (
        "2", "4", "6", "14", "no")
    andi = next(r for r in rows if r["learner"].endswith("|199001012015031001"))
    assert andi["facilitated_jp"] == "1.5" and andi["self_paced_jp"] == "0"


def test_report_keys_each_learner_once_and_counts_each_module_and_session_once(lrs, module, tmp_path):
    """From a review against the LRS: learners named by mbox_sha1sum or openid were added up in one
    row 'None|None'; a module completed twice counted twice, as did an attendance row given twice;
    an e-mail in capitals made a second row; another module under the same IRI base counted; and
    the year was read from how a timestamp was written, not when it was in WIB."""
    import hashlib

    from modpack.xapi.vocabulary import jp_extension

    key = jp_extension(module.effective_iri_base)

    def completion(actor: dict, when: str, object_id: str = module.iri) -> dict:
        return {"actor": actor, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                "object": {"objectType": "Activity", "id": object_id}, "timestamp": when,
                "context": {"extensions": {key: 4}}}

    sha = {"mbox_sha1sum": hashlib.sha1(b"mailto:hash.satu@example.id").hexdigest()}
    sha2 = {"mbox_sha1sum": hashlib.sha1(b"mailto:hash.dua@example.id").hexdigest()}
    openid = {"openid": "https://id.example.go.id/u/77"}
    made = [completion(sha, "2026-05-01T10:00:00+07:00"), completion(sha2, "2026-05-01T10:00:00+07:00"),
            completion(openid, "2026-05-01T10:00:00+07:00"),
            completion({"mbox": "mailto:dua.kali@example.id"}, "2026-05-01T10:00:00+07:00"),
            completion({"mbox": "mailto:dua.kali@example.id"}, "2026-06-01T10:00:00+07:00"),  # a relaunch
            completion({"mbox": "mailto:Siti.Rahma@Example.id"}, "2026-05-02T10:00:00+07:00"),
            completion({"mbox": "mailto:modul.lain@example.id"}, "2026-05-01T10:00:00+07:00",
                       module.effective_iri_base + "modules/modul-lain"),
            completion({"mbox": "mailto:tahun.baru@example.id"}, "2026-12-31T18:00:00Z"),  # 1 January, 01:00 WIB
            completion({"mbox": "mailto:akhir.tahun@example.id"}, "2026-12-31T16:00:00Z")]  # 23:00 WIB
    statements = tmp_path / "selesai.jsonl"
    statements.write_text("".join(json.dumps(s) + "\n" for s in made), encoding="utf-8")
    assert run("send", str(statements), "--lrs", lrs.endpoint, env=CREDENTIALS).returncode == 0
    records = tmp_path / "hadir.csv"
    lines = RECORDS.read_text(encoding="utf-8").splitlines()
    records.write_text("\n".join(lines + [line for line in lines[1:] if "siti.rahma" in line]) + "\n", encoding="utf-8")
    report = run("report", "--records", str(records), "--module", str(SAMPLES / "rujukan-terpadu"), "--lrs",
                 lrs.endpoint, "--year", "2026", "--account-homepage", HOMEPAGE, env=CREDENTIALS)
    assert report.returncode == 0, report.stderr
    rows = {r["learner"]: r for r in csv.DictReader(report.stdout.splitlines())}
    assert "None|None" not in rows
    for who in ("sha1:" + sha["mbox_sha1sum"], "sha1:" + sha2["mbox_sha1sum"], "openid:" + openid["openid"],
                "dua.kali@example.id", "akhir.tahun@example.id"):
        assert rows[who]["self_paced_jp"] == "4", who
    assert "modul.lain@example.id" not in rows and "tahun.baru@example.id" not in rows
    siti = rows["siti.rahma@example.id"]  # one row: her attendance twice over, her completion in capitals
    assert (siti["facilitated_jp"], siti["self_paced_jp"]) == ("2", "4")


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_an_overlong_line_or_value_is_one_rejected_row_and_never_read_whole(module, tmp_path, suffix):
    """A line of 300 MB was read whole (1 GB held), and a CSV value over csv's 128 KiB field limit
    ended the conversion as an internal error (exit 70). Each is now its row's error, the rows
    around it converted, on one core or split over three."""
    from modpack.xapi.records import MAX_ROW_LINE

    records = tmp_path / f"panjang{suffix}"
    rows = [{"kind": "test", "email": f"p{n}@example.id", "item": "pasca-tes",
             "timestamp": "2026-05-01T10:00:00+07:00", "score": n % 101} for n in range(40)]
    rows[7]["name"] = "n" * 200_000  # over csv's field limit, well within a line
    with records.open("w", newline="", encoding="utf-8") as handle:
        if suffix == ".csv":
            writer = csv.writer(handle)
            writer.writerow(["kind", "email", "name", "item", "timestamp", "score"])
        for n, row in enumerate(rows):
            if n == 20:
                handle.write("x" * (2 * MAX_ROW_LINE) + "\n")  # a line of its own: 2 MB
            if suffix == ".csv":
                writer.writerow([row["kind"], row["email"], row.get("name", ""), row["item"], row["timestamp"],
                                 row["score"]])
            else:
                handle.write(json.dumps(row) + "\n")
    first = 2 if suffix == ".csv" else 1  # the line of rows[0]
    expected = ([(first + 7, ""), (first + 20, "")] if suffix == ".csv" else [(first + 20, "")])
    one, many = tmp_path / "one.jsonl", tmp_path / "many.jsonl"
    sequential = convert(records, module, one, workers=1)
    parallel = convert(records, module, many, workers=3, parallel_from=0)
    for summary in (sequential, parallel):
        assert [(e.row, e.column) for e in summary.errors] == expected
        assert summary.written == 40 - (1 if suffix == ".csv" else 0)
    assert one.read_bytes() == many.read_bytes()
    assert "longer than 1,048,576 bytes" in str(sequential.errors[-1])
    if suffix == ".csv":
        assert "longer than 131,072 characters" in str(sequential.errors[0])
        header_only = tmp_path / "kepala.csv"  # a first line too long: the header itself
        header_only.write_text("kind," + "k" * (2 * MAX_ROW_LINE) + "\n", encoding="utf-8")
        said = convert(header_only, module, tmp_path / "h.jsonl", workers=3, parallel_from=0)
        assert [(e.row, e.column) for e in said.errors] == [(1, "")] and said.written == 0


def test_parallel_conversion_equals_sequential(module, tmp_path):
    records = tmp_path / "banyak.csv"
    with records.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kind", "email", "item", "timestamp", "score"])
        for n in range(3000):
            writer.writerow(["test", f"p{n}@example.id", "pasca-tes", f"2026-05-01T10:{n % 60:02d}:00+07:00",
                             "abc" if n == 1777 else n % 101])
    one, many = tmp_path / "one.jsonl", tmp_path / "many.jsonl"
    sequential = convert(records, module, one, workers=1)
    parallel = convert(records, module, many, workers=3, parallel_from=0)
    assert one.read_bytes() == many.read_bytes()
    assert (parallel.rows, parallel.written, parallel.rejected) == (sequential.rows, sequential.written, 1) == (3000, 2999, 1)
    assert [(e.row, e.column) for e in parallel.errors] == [(1779, "score")]
