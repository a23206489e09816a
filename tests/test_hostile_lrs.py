"""An LRS is another party: a review's hostile answers, each from a real HTTP server on 127.0.0.1,
answered in bounded time and memory, with a message and exit 2, never a traceback or a leak."""

from __future__ import annotations

import base64
import gzip
import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import modpack
from modpack.credentials import keep
from modpack.progress import CohortError, ProgressError, progress, write
from modpack.xapi.report import LearnerHours, self_paced_hours
from modpack.xapi.send import Lrs, LrsUnreachable, SendError, Sender, SendSummary, _retry_after, checked_auth

from .conftest import ROOT
from .lrs_support import reply

SAMPLES = ROOT / "samples"
JAKARTA = ZoneInfo("Asia/Jakarta")


class _Hostile(BaseHTTPRequestHandler):
    """An LRS answering each request by ``answer(handler)``: status, headers, body."""

    answer = staticmethod(lambda handler: (200, {}, b'{"statements": []}'))
    seen: list[str] = []

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        if self.command == "POST":
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, headers, body = type(self).answer(self)
        if body is None:
            return  # the answer wrote itself
        reply(self, status, headers, body)

    do_GET = do_POST = _reply


@pytest.fixture
def hostile():
    servers = []

    def start(answer) -> tuple[str, type[_Hostile]]:
        handler = type("Handler", (_Hostile,), {"answer": staticmethod(answer), "seen": []})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/xAPI/", handler

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _drip(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], None]:
    """An answer promising a megabyte and sending a byte every 0.1 s, for 20 s (or until the
    client goes)."""
    handler.send_response(200)
    handler.send_header("Content-Length", "1000000")
    handler.end_headers()
    try:
        for _ in range(200):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass
    return 200, {}, None


def _page(statements: list[dict], more: str = "") -> bytes:
    return json.dumps({"statements": statements, "more": more}).encode()


COMPLETED = {"id": "s1", "actor": {"mbox": "mailto:a@example.id"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
             "object": {"id": "https://pelatihan.example.go.id/xapi/x"}, "timestamp": "2026-03-03T10:00:00+07:00"}


def test_a_more_link_back_to_itself_is_not_followed_for_ever(hostile, tmp_path):
    endpoint, handler = hostile(lambda h: (200, {}, _page([COMPLETED], more=h.path)))
    with pytest.raises(SendError, match="leads back to a page already read"):  # 640 pages in 30 s, and on, before
        self_paced_hours(Lrs(endpoint, None), ["https://pelatihan.example.go.id/xapi/"], None, {})
    assert len(handler.seen) == 1  # the first page, whose link is itself
    # progress: the same, said as its own error
    cohort = tmp_path / "angkatan.csv"
    cohort.write_text("email,start_date\na@example.id,2026-03-02\n", encoding="utf-8")
    with pytest.raises(ProgressError, match="leads back to a page already read"):
        progress(modpack.load(SAMPLES / "course.yaml"), cohort, lrs=endpoint, lrs_auth="Basic eDp5")


def test_an_empty_page_ends_the_reading_whatever_it_links_to(hostile):
    counter = iter(range(10**6))
    endpoint, handler = hostile(lambda h: (200, {}, _page([], more=f"/xAPI/statements?p={next(counter)}")))
    hours: dict[str, LearnerHours] = {}
    assert self_paced_hours(Lrs(endpoint, None), ["https://pelatihan.example.go.id/xapi/"], None, hours) == 0
    assert len(handler.seen) == 1


@pytest.mark.parametrize("more", ["http://127.0.0.1:99999/xAPI/statements", "http://[::1/x", "/xAPI/statements?a=b\x00c"])
def test_a_more_link_no_client_can_follow_is_said(hostile, more):
    endpoint, _ = hostile(lambda h: (200, {}, _page([COMPLETED], more=more)))
    with pytest.raises(SendError):  # ValueError or InvalidURL, exit 70, before
        self_paced_hours(Lrs(endpoint, None), ["https://pelatihan.example.go.id/xapi/"], None, {})


def test_an_answer_dripped_a_byte_at_a_time_is_given_up_at_the_deadline(hostile):
    endpoint, _ = hostile(_drip)
    lrs = Lrs(endpoint, None, deadline=1.0)  # httpx's per-read timeout alone waited for the whole drip
    began = time.monotonic()
    with pytest.raises(LrsUnreachable, match="within 1 s"):
        lrs.get_bounded("/xAPI/statements", 1 << 20)
    assert time.monotonic() - began < 5


def test_a_post_answered_with_a_gzip_bomb_is_refused(hostile):
    bomb = gzip.compress(b"[" + b" " * (50 * 1024 * 1024) + b"]")
    endpoint, _ = hostile(lambda h: (200, {"Content-Encoding": "gzip"}, bomb))
    sender = Sender(Lrs(endpoint, None), sleep=lambda s: None)
    with pytest.raises(SendError, match="inflates to more than"):  # inflated whole: MemoryError, exit 70, before
        sender.send_batch([(1, "a", b'{"id": "a"}')], SendSummary())


def test_a_page_of_millions_of_objects_is_refused_before_it_is_parsed(hostile, monkeypatch):
    from modpack.xapi import send

    monkeypatch.setattr(send, "MAX_OBJECTS", 1000)
    endpoint, _ = hostile(lambda h: (200, {}, b'{"statements": [' + b"{}," * 5000 + b"{}]}"))
    with pytest.raises(SendError, match="more than 1,000 JSON objects"):
        self_paced_hours(Lrs(endpoint, None), ["https://pelatihan.example.go.id/xapi/"], None, {})


def test_retry_after_takes_ascii_digits_only():
    assert _retry_after("²") is None and _retry_after("7") == 7.0  # float('²') raised: exit 70 on any answer


def test_what_the_lrs_says_cannot_leak_a_cut_token_or_write_a_line(hostile):
    auth = checked_auth("Basic " + base64.b64encode(b"kunci:rahasia-yang-panjang").decode())
    keep(auth)
    token = auth.split()[1]
    # the token placed so that the message's cut falls inside it
    body = json.dumps({"message": "x" * (500 - len(token) // 2) + token + "\r\nFAKE: ok"}).encode()
    endpoint, _ = hostile(lambda h: (404, {}, body))
    sender = Sender(Lrs(endpoint, auth), sleep=lambda s: None)
    with pytest.raises(SendError) as refused:
        sender.send_batch([(1, "a", b'{"id": "a"}')], SendSummary())
    said = str(refused.value)
    assert token[: len(token) // 3] not in said and "[hidden]" in said
    assert "\n" not in said and "\r" not in said


def _one_learner_report(tmp_path):
    """The course's progress report for a cohort of one learner with no statements."""
    course = modpack.load(SAMPLES / "course.yaml")
    cohort = tmp_path / "angkatan.csv"
    cohort.write_text("email,start_date\na@example.id,2026-03-02\n", encoding="utf-8")
    statements = tmp_path / "s.jsonl"
    statements.write_text("", encoding="utf-8")
    return progress(course, cohort, statements=[statements], as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))


def test_a_csv_report_never_replaces_a_folder_that_is_not_one(tmp_path):
    report = _one_learner_report(tmp_path)
    victim = tmp_path / "skripsi"
    (victim / "bab").mkdir(parents=True)
    (victim / "skripsi.docx").write_text("milik penulis", encoding="utf-8")
    with pytest.raises(ProgressError, match="not an earlier CSV report"):  # emptied, before
        write(report, victim, "csv")
    assert (victim / "skripsi.docx").read_text(encoding="utf-8") == "milik penulis" and (victim / "bab").is_dir()
    # an earlier report is replaced whole
    earlier = write(report, tmp_path / "laporan", "csv")
    again = write(report, earlier, "csv")
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in earlier.iterdir())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".laporan")]
    with pytest.raises(ProgressError, match="cannot be written"):  # IsADirectoryError, exit 70, before
        write(report, victim, "html")


def test_a_score_that_overflows_is_no_score(tmp_path):
    course = modpack.load(SAMPLES / "course.yaml")
    module = course.loaded_modules[0]
    cohort = tmp_path / "angkatan.csv"
    cohort.write_text("email,start_date\na@example.id,2026-03-02\n", encoding="utf-8")
    passed = {"id": "11111111-1111-4111-8111-111111111111", "actor": {"mbox": "mailto:a@example.id"},
              "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}, "object": {"id": module.iri},
              "timestamp": "2026-03-03T10:00:00+07:00", "result": {"score": {"raw": 1e308, "max": 1e-300}}}
    statements = tmp_path / "s.jsonl"
    statements.write_text(json.dumps(passed) + "\n", encoding="utf-8")
    report = progress(course, cohort, statements=[statements], as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    write(report, tmp_path / "r.html", "html")  # OverflowError, exit 70, before
    text = write(report, tmp_path / "r.json", "json").read_text(encoding="utf-8")
    assert "Infinity" not in text and json.loads(text)


def test_a_fifo_is_never_read_as_statements_or_as_a_cohort(tmp_path):
    fifo = tmp_path / "antrian.jsonl"
    os.mkfifo(fifo)
    env = {**os.environ, "MODPACK_LRS_USERNAME": "kunci", "MODPACK_LRS_PASSWORD": "rahasia", "MODPACK_LANG": "en"}
    sent = subprocess.run([sys.executable, "-m", "modpack", "send", str(fifo), "--lrs", "http://127.0.0.1:9/xAPI/"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert sent.returncode == 2 and "FIFO, device or socket" in sent.stderr
    with pytest.raises(CohortError, match="FIFO, device or socket"):  # opened, it waited for a writer
        progress(modpack.load(SAMPLES / "course.yaml"), fifo, statements=[])


def test_a_fifo_is_never_read_as_records_or_credentials(tmp_path):
    """`statements` and `report --records` waited for ever on a FIFO given as the records, and the
    library's convert, read_records and send_file did too: refused, nothing written."""
    from modpack.definition.files import RefusedFile
    from modpack.xapi import read_records
    from modpack.xapi.convert import convert
    from modpack.xapi.send import send_file

    fifo = tmp_path / "hadir.csv"
    os.mkfifo(fifo)
    env = {**os.environ, "MODPACK_LANG": "en"}
    module = str(SAMPLES / "rujukan-terpadu")
    for args in (["statements", str(fifo), "--module", module, "-o", str(tmp_path / "keluar.jsonl")],
                 ["report", "--records", str(fifo), "--module", module]):
        done = subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True, env=env,
                              timeout=60)
        assert done.returncode == 2 and f"'{fifo}' is not a regular file (a FIFO, device or socket)" in done.stderr, \
            done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hadir.csv"]
    with pytest.raises(RefusedFile, match="FIFO, device or socket"):
        convert(fifo, modpack.load(module), tmp_path / "keluar.jsonl")
    with pytest.raises(RefusedFile, match="FIFO, device or socket"):
        list(read_records(fifo))
    with pytest.raises(RefusedFile, match="FIFO, device or socket"):
        send_file(fifo, "http://127.0.0.1:9/xAPI/", "Basic eDp5")
    statements = tmp_path / "s.jsonl"
    statements.write_text("", encoding="utf-8")
    sent = subprocess.run([sys.executable, "-m", "modpack", "send", str(statements), "--lrs",
                           "http://127.0.0.1:9/xAPI/", "--credentials", str(fifo)], capture_output=True, text=True,
                          env=env, timeout=60)
    assert sent.returncode == 2 and "is not a regular file (a FIFO, device or socket)" in sent.stderr, sent.stderr


def test_json_nested_thousands_deep_is_a_rejected_row_or_a_message(tmp_path):
    """A records line or a credentials file of arrays nested 50,000 deep ended `statements` and
    `send` as internal errors (Python's json raised RecursionError)."""
    env = {**os.environ, "MODPACK_LANG": "en"}
    records = tmp_path / "dalam.jsonl"
    records.write_text("[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "modpack", "statements", str(records), "--module",
                           str(SAMPLES / "rujukan-terpadu")], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1 and f"{records}:row 1: not a record: its values nest too deep" in done.stderr, \
        done.stderr
    credentials = tmp_path / "kredensial.json"
    credentials.write_text('{"auth": ' + "[" * 30_000 + "]" * 30_000 + "}", encoding="utf-8")
    sent = subprocess.run([sys.executable, "-m", "modpack", "send", str(records), "--lrs", "http://127.0.0.1:9/xAPI/",
                           "--credentials", str(credentials)], capture_output=True, text=True, env=env, timeout=60)
    assert sent.returncode == 2 and f"the credentials file '{credentials}' is not valid JSON" in sent.stderr, \
        sent.stderr


def test_a_damaged_checkpoint_is_read_as_far_as_it_is_sound(tmp_path, hostile):
    endpoint, _ = hostile(lambda h: (200, {}, b'["a"]'))
    statements = tmp_path / "s.jsonl"
    statements.write_text('{"id": "00000000-0000-4000-8000-000000000001"}\n' * 3, encoding="utf-8")
    checkpoint = tmp_path / "s.jsonl.checkpoint"
    checkpoint.write_text(json.dumps({"source": str(statements.resolve()), "size": statements.stat().st_size,
                                      "endpoint": endpoint, "next_line": 2,
                                      "summary": {"sent": "x", "rejected": [{"bogus": 1}]}}), encoding="utf-8")
    from modpack.xapi.send import send_file

    summary = send_file(statements, endpoint, None, checkpoint=checkpoint)  # TypeError, exit 70, before
    assert summary.sent == 2 and summary.rejected == []


def test_the_lrs_address_must_be_one_a_client_can_use():
    for endpoint in ("http://[::1/xAPI/", "http://127.0.0.1:18080/xAPI/\x7f", "http://127.0.0.1:99999/xAPI/"):
        with pytest.raises(SendError, match="is not an http\\(s\\) LRS endpoint"):
            Lrs(endpoint, None)



def test_a_tls_failure_is_said_at_once_not_retried(hostile):
    endpoint, _ = hostile(lambda h: (200, {}, b"[]"))
    waits: list[float] = []
    sender = Sender(Lrs(endpoint.replace("http://", "https://"), None), sleep=waits.append)  # TLS to a plain port
    with pytest.raises(SendError, match="TLS connection to the LRS failed"):
        sender.send_batch([(1, "a", b'{"id": "a"}')], SendSummary())
    assert waits == []  # eight retries over 92 s, before


def test_a_more_link_whose_path_names_another_host_carries_no_credential(hostile):
    """'http://LRS//evil/steal' is the LRS's own host, but its path kept alone and joined again is
    '//evil/steal': another host, which got the Authorization header."""
    evil_endpoint, evil = hostile(lambda h: (200, {}, _page([])))
    evil_host = evil_endpoint.split("/")[2].replace("127.0.0.1", "localhost")
    link: dict[str, str] = {}

    def lrs_answer(handler):
        if "/steal" in handler.path:  # (http.server makes the path's leading '//' one '/')
            return 200, {}, _page([])  # the page asked of the LRS itself: empty, the end
        return 200, {}, _page([COMPLETED], more=link["more"])

    endpoint, handler = hostile(lrs_answer)
    link["more"] = f"{endpoint.split('/xAPI/')[0]}//{evil_host}/steal"
    self_paced_hours(Lrs(endpoint, "Basic c2VjcmV0OnBhc3N3b3Jk"), ["https://pelatihan.example.go.id/xapi/"], None, {})
    assert evil.seen == [] and handler.seen[1] == f"GET /{evil_host}/steal"


def test_warnings_of_any_shape_in_a_refusal_are_read(hostile):
    endpoint, _ = hostile(lambda h: (404, {}, b'{"message": "bad query", "warnings": null}'))
    with pytest.raises(SendError, match="bad query"):  # TypeError, exit 70, before
        Sender(Lrs(endpoint, None), sleep=lambda s: None).send_batch([(1, "a", b'{"id": "a"}')], SendSummary())


def test_a_request_given_up_at_its_deadline_leaves_no_thread_reading(hostile):
    endpoint, _ = hostile(_drip)
    lrs = Lrs(endpoint, None, deadline=0.5)
    for _ in range(3):
        with pytest.raises(LrsUnreachable):
            lrs.get_bounded("/xAPI/statements", 1 << 20)
    time.sleep(1.0)
    assert [t.name for t in threading.enumerate() if t.name == "modpack-lrs-request"] == []


def test_a_handshake_cut_short_is_retried_unlike_a_refused_certificate():
    """An LRS restarting, or a busy balancer, closes a connection during TLS's handshake: worth
    retrying (it was taken for a permanent TLS failure and given up at once)."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)  # so that the thread sees it is done: a thread left alive stops the checker's forks
    port = listener.getsockname()[1]
    done = threading.Event()

    def cut() -> None:
        while not done.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:  # the timeout: look again
                continue
            connection.close()

    cutter = threading.Thread(target=cut, daemon=True)
    cutter.start()
    waits: list[float] = []
    sender = Sender(Lrs(f"https://127.0.0.1:{port}/xAPI/", None), sleep=waits.append, max_retries=2)
    try:
        with pytest.raises(SendError, match="after 2 retries"):
            sender.send_batch([(1, "a", b'{"id": "a"}')], SendSummary())
    finally:
        done.set()
        cutter.join()
        listener.close()
    assert len(waits) == 2


def test_an_earlier_csv_report_a_file_manager_has_touched_is_replaced(tmp_path):
    report = _one_learner_report(tmp_path)
    earlier = write(report, tmp_path / "laporan", "csv")
    (earlier / ".DS_Store").write_bytes(b"\0")
    (earlier / ".~lock.learners.csv#").write_text("x", encoding="utf-8")
    again = write(report, earlier, "csv")  # refused as not a report, before
    assert not (again / ".DS_Store").exists() and (again / "learners.csv").exists()
