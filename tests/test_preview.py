"""`modpack preview` reads packages as `check` does, refuses what it refuses, and never fails on
what a client or a package sends."""

from __future__ import annotations

import json
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

import modpack
from modpack import preview
from modpack.checker import check

from .conftest import ROOT, SAMPLES

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*.zip")))
def test_the_hostile_corpus_is_refused_as_check_refuses_it(name, tmp_path):
    report = check(HOSTILE / name)
    assert not report.readable or report.refusals  # check refuses every one of them
    with pytest.raises(preview.PackageRefused) as refused:
        preview.start(HOSTILE / name, 0, store=tmp_path / "store")
    for finding in report.refusals:
        assert finding.code in str(refused.value)


def test_the_cli_refuses_a_hostile_package_without_an_internal_error():
    result = subprocess.run([sys.executable, "-m", "modpack", "preview", str(HOSTILE / "zip-bomb-hidden.zip"),
                             "--port", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "refused" in result.stderr and "internal error" not in result.stderr


def _request(base: str, path: str, data: bytes | None = None, method: str = "GET",
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def cmi5_preview(tmp_path):
    package = modpack.build(SAMPLES / "kewirausahaan-sosial", "cmi5", tmp_path / "zip")[0]
    server, state = preview.start(package, 0, store=tmp_path / "store")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    # a token, as a launched AU would fetch it
    status, _ = _request(base, "/launch/0")
    fetch_id = next(iter(state.tokens))
    token = json.loads(_request(base, f"/fetch/{fetch_id}", b"", "POST")[1])["auth-token"]
    yield base, state, {"Authorization": f"Basic {token}", "Content-Type": "application/json"}
    server.stop()


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b"[]", b"\xff\xfe"])
def test_malformed_statements_are_answered_400(cmi5_preview, body):
    base, state, auth = cmi5_preview
    status, reply = _request(base, "/xapi/statements", body, "POST", auth)
    assert status == 400 and b"error" in reply
    assert _request(base, "/tracked")[0] == 200  # and the preview still answers


def test_a_body_over_the_cap_or_with_a_lying_length_is_refused(cmi5_preview):
    base, state, auth = cmi5_preview
    status, _ = _request(base, "/xapi/statements", b"{}", "POST", {**auth, "Content-Length": "999999999999"})
    assert status == 400


def test_one_bad_statement_in_the_store_never_breaks_tracked(cmi5_preview):
    base, state, auth = cmi5_preview
    good = {"actor": {"mbox": "mailto:a@b.id"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": "https://x.example/a"}}
    odd = {"verb": "not-a-dict", "object": ["a list"], "result": "<script>alert(1)</script>"}
    for statement in (good, odd):
        assert _request(base, "/xapi/statements", json.dumps(statement).encode(), "POST", auth)[0] == 200
    with state.statements_file.open("a", encoding="utf-8") as handle:
        handle.write("{half a line\n")
    status, page = _request(base, "/tracked")
    assert status == 200 and b"experienced" in page
    assert b"<script>alert" not in page and b"&lt;script&gt;" in page


def test_a_bad_state_request_is_400(cmi5_preview):
    base, state, auth = cmi5_preview
    status, _ = _request(base, "/xapi/activities/state?agent=%7Bnot-json&activityId=x&stateId=y", None, "GET", auth)
    assert status == 400


def _cmi5_zip(folder: Path, url: str, move_on: str = "Passed") -> Path:
    xml = ('<?xml version="1.0"?><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">'
           '<course id="https://x.example/c"><title><langstring lang="id">C</langstring></title>'
           '<description><langstring lang="id">C</langstring></description></course>'
           f'<au id="https://x.example/au" moveOn="{move_on}"><title><langstring lang="id">&lt;b&gt;AU&lt;/b&gt;</langstring>'
           f'</title><description><langstring lang="id">d</langstring></description><url>{url}</url></au>'
           '</courseStructure>')
    path = folder / "paket.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("cmi5.xml", xml)
        archive.writestr("index.html", "<p>a</p>")
    return path


def test_control_characters_in_an_au_url_never_reach_a_header(tmp_path):
    package = _cmi5_zip(tmp_path, "index.html&#13;&#10;Set-Cookie: x=1")
    with pytest.raises(preview.PackageRefused, match="control characters"):
        preview.start(package, 0, store=tmp_path / "store")


def test_package_values_are_escaped_in_the_preview_pages(tmp_path):
    package = _cmi5_zip(tmp_path, "index.html", move_on='Passed"><script>alert(1)</script>')
    server, state = preview.start(package, 0, store=tmp_path / "store")
    try:
        status, page = _request(f"http://127.0.0.1:{server.server_address[1]}", "/")
        assert status == 200 and b"<script>" not in page and b"<b>AU" not in page
        assert b"&lt;b&gt;AU" in page
    finally:
        server.stop()


def test_files_are_streamed_and_the_own_store_is_removed_on_stop(tmp_path):
    folder = tmp_path / "modul"
    shutil.copytree(SAMPLES / "rujukan-terpadu", folder)
    big = folder / "media" / "salam-pembuka.mp3"
    big.write_bytes(b"\0" * (3 * 1024 * 1024))  # larger than a chunk: read in pieces
    server, state = preview.start(folder, 0, fmt="scorm12")
    store = state.store
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with zipfile.ZipFile(next(store.glob("build-0/*.zip"))) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".mp3"))
        status, data = _request(base, f"/pkg/{name}")
        assert status == 200 and len(data) == 3 * 1024 * 1024
    finally:
        server.stop()
    assert not store.exists()


def test_watch_rebuilds_when_a_page_is_saved(tmp_path):
    folder = tmp_path / "modul"
    shutil.copytree(SAMPLES / "kewirausahaan-sosial", folder)
    seen: list[tuple[int, object]] = []
    server, state = preview.start(folder, 0, fmt="scorm12", watch=True, on_rebuild=lambda g, e: seen.append((g, e)))
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert _request(base, "/generation")[1] == b"0"
        page = folder / "halaman" / "01-dari-bantuan-ke-usaha.md"
        # an editor opening the page (vim's swap file, LibreOffice's lock) is not a save
        (page.parent / ".01-dari-bantuan-ke-usaha.md.swp").write_text("x", encoding="utf-8")
        (page.parent / ".~lock.modul.docx#").write_text("x", encoding="utf-8")
        time.sleep(1)  # three looks
        assert seen == []
        page.write_text(page.read_text(encoding="utf-8") + "\nKalimat baru dari penulis.\n", encoding="utf-8")
        deadline = time.time() + 10
        while not seen and time.time() < deadline:
            time.sleep(0.05)
        assert seen and seen[0] == (1, None)
        assert _request(base, "/generation")[1] == b"1"
        launch = _request(base, "/launch/0")[1]
        assert b"/preview/reload.js" in launch
        names = state.served.judged.package.names()
        script = next(n for n in names if n.startswith("content/pages/") and "dari-bantuan" in n)
        assert "Kalimat baru dari penulis." in _request(base, f"/pkg/{script}")[1].decode()
        # a broken save keeps the last good build served and says why
        (folder / "module.yaml").write_text("id: [", encoding="utf-8")
        deadline = time.time() + 10
        while len(seen) < 2 and time.time() < deadline:
            time.sleep(0.05)
        assert isinstance(seen[1][1], modpack.InvalidDefinition)
        assert _request(base, "/generation")[1] == b"1"
    finally:
        server.stop()
    # stopping ends the watch thread too: a later save rebuilds nothing
    deadline = time.time() + 5
    while any(t.name.startswith("modpack-watch") for t in threading.enumerate()) and time.time() < deadline:
        time.sleep(0.05)
    assert not any(t.name.startswith("modpack-watch") for t in threading.enumerate())
    (folder / "module.yaml").write_text((SAMPLES / "kewirausahaan-sosial" / "module.yaml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    time.sleep(1)
    assert len(seen) == 2


def test_watch_reloads_the_open_page_in_the_browser(browser, tmp_path):
    folder = tmp_path / "modul"
    shutil.copytree(SAMPLES / "kewirausahaan-sosial", folder)
    server, state = preview.start(folder, 0, fmt="scorm12", watch=True)
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/launch/0")
        page.frame_locator("#sco").locator("main h1").wait_for()
        page.evaluate("window.beforeTheSave = true")
        source = folder / "halaman" / "01-dari-bantuan-ke-usaha.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nParagraf yang baru ditulis.\n", encoding="utf-8")
        # the author saved: the preview rebuilds and the open page reloads itself, no click needed
        page.wait_for_function("() => window.beforeTheSave === undefined", timeout=15000)
        assert state.generation == 1
        page.frame_locator("#sco").locator("main h1").wait_for()
        page.close()
    finally:
        server.stop()


def test_a_batch_is_judged_whole_and_claims_its_ids_before_it_is_stored(cmi5_preview):
    """Statements after a Terminated in the same batch were taken, as were two copies of one id in
    a batch; a copy of a batch arriving while the first was being stored was stored twice."""
    base, state, auth = cmi5_preview
    session = {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "sesi-1"}

    def statement(ident: str, verb: str) -> dict:
        return {"id": ident, "actor": {"mbox": "mailto:a@b.id"}, "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
                "object": {"id": "https://x.example/a"}, "context": {"extensions": session}}

    ids = ["6f1c4d2e-0000-4000-8000-00000000000" + str(n) for n in range(4)]
    after = [statement(ids[0], "experienced"), statement(ids[1], "terminated"), statement(ids[2], "experienced")]
    assert _request(base, "/xapi/statements", json.dumps(after).encode(), "POST", auth)[0] == 403
    assert state.recorded() == []
    twice = [statement(ids[0], "experienced"), statement(ids[0], "experienced"), statement(ids[1], "terminated")]
    assert _request(base, "/xapi/statements", json.dumps(twice).encode(), "POST", auth)[0] == 200
    assert [s["id"] for s in state.recorded()] == [ids[0], ids[1]]
    assert _request(base, "/xapi/statements", json.dumps(twice).encode(), "POST", auth)[0] == 200  # no news
    assert len(state.recorded()) == 2


# -- hostile clients (from a probe): none holds the others, the memory, or the terminal ---------

def _raw(base: str, head: bytes) -> socket.socket:
    """A connection that sent ``head`` and then nothing."""
    sock = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=10)
    sock.sendall(head)
    return sock


def _state_put(base: str, auth: dict[str, str], length: int) -> bytes:
    return (f"PUT /xapi/activities/state?stateId=s&activityId=a&agent=%7B%7D HTTP/1.1\r\nHost: {base[7:]}\r\n"
            f"Authorization: {auth['Authorization']}\r\nContent-Length: {length}\r\n\r\n").encode()


def test_a_client_slow_to_send_a_state_document_holds_no_one_else(cmi5_preview):
    """Its body was read under the preview's lock: launches, statements and State waited for it."""
    base, state, auth = cmi5_preview
    stalled = _raw(base, _state_put(base, auth, 10))
    try:
        time.sleep(0.3)  # its handler is waiting for the body now
        started = time.monotonic()
        assert _request(base, "/launch/0")[0] == 200  # (followed to the AU's page)
        statement = {"actor": {"mbox": "mailto:a@b.id"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                     "object": {"id": "https://x.example/a"}}
        assert _request(base, "/xapi/statements", json.dumps(statement).encode(), "POST", auth)[0] == 200
        assert _request(base, "/xapi/activities/state?stateId=t&activityId=a&agent=%7B%7D", None, "GET", auth)[0] == 404
        assert time.monotonic() - started < 5  # (each would have waited for the stalled client, for ever)
    finally:
        stalled.close()


def test_a_silent_client_is_let_go_and_connections_past_the_cap_are_closed(cmi5_preview, monkeypatch):
    """Each connection held a thread and a descriptor for as long as its client kept it open
    (some 1,000 of them, and the preview refused everyone)."""
    base, state, auth = cmi5_preview
    from modpack.preview import MAX_CONNECTIONS
    from modpack.preview.server import BaseHandler

    monkeypatch.setattr(BaseHandler, "timeout", 1.0)
    for head in (b"", b"GET / HTTP/1.1\r\n"):  # silent from the start, or in its headers
        silent = _raw(base, head)
        reply = silent.recv(1000)
        while reply and (more := silent.recv(1000)):  # (in its headers: answered as a request without a Host)
            reply += more
        assert not reply or b" 421 " in reply  # let go after its second of silence (the test's socket waits ten)
        silent.close()
    held = [_raw(base, b"") for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.3)
        extra = _raw(base, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert extra.recv(100) == b""  # past the cap: closed unanswered, at once
        extra.close()
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _request(base, "/")[0] != 200:
        time.sleep(0.1)
    assert _request(base, "/")[0] == 200


def test_a_client_that_resets_is_let_go_without_a_traceback(cmi5_preview, capfd):
    base, state, auth = cmi5_preview
    for head in (b"GET / HTT", b"GET / HTTP/1.1\r\nHost: x"):
        sock = _raw(base, head)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # closed by a reset
        time.sleep(0.2)
        sock.close()
    time.sleep(0.5)
    assert _request(base, "/")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_odd_lengths_short_bodies_and_deep_statements_are_400(cmi5_preview):
    base, state, auth = cmi5_preview
    sock = _raw(base, _state_put(base, auth, 100)[:-4].replace(b"Content-Length: 100", "Content-Length: \u00b2".encode(
        "latin-1")) + b"\r\n\r\n")
    assert b" 400 " in sock.recv(200)  # '²' is a digit to str.isdigit(), not to int(): was a 500
    sock.close()
    sock = _raw(base, _state_put(base, auth, 100) + b'{"half')
    sock.shutdown(socket.SHUT_WR)  # the client closes early: half a document is not kept
    assert b" 400 " in sock.recv(200)
    sock.close()
    assert _request(base, "/xapi/activities/state?stateId=s&activityId=a&agent=%7B%7D", None, "GET", auth)[0] == 404
    deep = b'{"actor": ' + b"[" * 980 + b"]" * 980 + b"}"  # read by json, too deep to write again: was a 500
    assert _request(base, "/xapi/statements", deep, "POST", auth)[0] == 400


def test_what_the_preview_keeps_for_clients_is_capped(cmi5_preview, monkeypatch):
    """State documents, stored statements, a GET's answer and launch tokens each grew with what
    clients sent (60 documents of 4 MB: 240 MB more; a GET of 155 MB of statements: 1 GB)."""
    from modpack.preview import cmi5_lms

    base, state, auth = cmi5_preview
    monkeypatch.setattr(cmi5_lms, "MAX_DOCUMENTS", state.documents_size + 1000)
    url = "/xapi/activities/state?activityId=a&agent=%7B%7D&stateId="
    assert _request(base, url + "satu", b"x" * 600, "PUT", auth)[0] == 204
    assert _request(base, url + "dua", b"x" * 600, "PUT", auth)[0] == 413
    assert _request(base, url + "satu", b"x" * 100, "PUT", auth)[0] == 204  # replaced: its old size is freed
    assert _request(base, url + "dua", b"x" * 600, "PUT", auth)[0] == 204
    assert _request(base, url + "satu", None, "DELETE", auth)[0] == 204
    assert _request(base, url + "tiga", b"x" * 300, "PUT", auth)[0] == 204
    assert _request(base, url + "dua", None, "GET", auth) == (200, b"x" * 600)

    monkeypatch.setattr(cmi5_lms, "MAX_LISTED", 2)
    ids = [f"6f1c4d2e-0000-4000-8000-00000000010{n}" for n in range(4)]
    for ident in ids:
        statement = {"id": ident, "actor": {"mbox": "mailto:a@b.id"},
                     "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}, "object": {"id": "https://x.example/a"}}
        assert _request(base, "/xapi/statements", json.dumps(statement).encode(), "POST", auth)[0] == 200
    listed = json.loads(_request(base, "/xapi/statements", None, "GET", auth)[1])["statements"]
    assert [s["id"] for s in listed] == ids[2:]
    monkeypatch.setattr(cmi5_lms, "MAX_STATEMENTS_FILE", state.statements_file.stat().st_size + 10)
    statement["id"] = "6f1c4d2e-0000-4000-8000-000000000200"
    assert _request(base, "/xapi/statements", json.dumps(statement).encode(), "POST", auth)[0] == 413
    assert len(state.recorded()) == 4
    statement["id"] = "6f1c4d2e-0000-4000-8000-000000000201"  # the refused id was not claimed: free again
    monkeypatch.setattr(cmi5_lms, "MAX_STATEMENTS_FILE", 10 ** 9)
    assert _request(base, "/xapi/statements", json.dumps(statement).encode(), "POST", auth)[0] == 200

    monkeypatch.setattr(cmi5_lms, "MAX_TOKENS", 3)
    for _ in range(5):
        _request(base, "/launch/0")
    assert len(state.tokens) <= 3
    fetch_id = next(reversed(state.tokens))
    assert "auth-token" in json.loads(_request(base, f"/fetch/{fetch_id}", b"", "POST")[1])
    assert fetch_id not in state.tokens and len(state.valid_tokens) <= 3
    assert "error-code" in json.loads(_request(base, f"/fetch/{fetch_id}", b"", "POST")[1])  # once only


def test_scorm_commits_at_once_are_each_whole(tmp_path):
    """Every commit wrote the same temporary file: two at once lost one (a 500) or stored the two
    interleaved (CMI that was no JSON)."""
    server, state = preview.start(SAMPLES / "rujukan-terpadu", 0, fmt="scorm12", store=tmp_path / "store")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    statuses: list[int] = []
    bad: list[bytes] = []

    def commit(mark: str) -> None:
        for _ in range(25):
            body = json.dumps({"cmi.suspend_data": mark * 200_000}).encode()
            statuses.append(_request(base, "/cmi/0", body, "POST", {"Content-Type": "application/json"})[0])

    def read() -> None:
        for _ in range(60):
            status, body = _request(base, "/cmi/0")
            try:
                json.loads(body)
            except ValueError:
                bad.append(body[:40])

    try:
        threads = [threading.Thread(target=commit, args=(mark,)) for mark in "1234"] + [threading.Thread(target=read)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert statuses == [200] * 100 and not bad
        assert not list((tmp_path / "store" / "cmi").glob("*.part"))
    finally:
        server.stop()


@pytest.mark.browser
@pytest.mark.lrs
def test_a_full_store_refuses_a_batch_before_it_reaches_the_lrs(tmp_path, monkeypatch):
    """The store's room was judged after the batch was passed on: the LRS took it, the player was
    told 413, kept it and sent it again, to the LRS each time."""
    from modpack.preview import cmi5_lms

    from .lrs_support import LearningLocker

    lrs = LearningLocker().start()
    package = modpack.build(SAMPLES / "kewirausahaan-sosial", "cmi5", tmp_path / "zip")[0]
    server, state = preview.start(package, 0, lrs.endpoint, "Basic dGVzdDp0ZXN0", tmp_path / "store")
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        _request(base, "/launch/0")
        token = json.loads(_request(base, f"/fetch/{next(iter(state.tokens))}", b"", "POST")[1])["auth-token"]
        auth = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}

        def statement(ident: str) -> bytes:
            return json.dumps({"id": ident, "actor": {"mbox": "mailto:a@b.id"},
                               "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                               "object": {"id": "https://x.example/a"}}).encode()

        assert _request(base, "/xapi/statements", statement("6f1c4d2e-0000-4000-8000-000000000301"), "POST", auth)[0] == 200
        monkeypatch.setattr(cmi5_lms, "MAX_STATEMENTS_FILE", state.statements_file.stat().st_size + 10)
        for _ in range(3):  # as a player sends again what was refused
            assert _request(base, "/xapi/statements", statement("6f1c4d2e-0000-4000-8000-000000000302"), "POST",
                            auth)[0] == 413
        assert [s["id"] for s in lrs.statements()] == ["6f1c4d2e-0000-4000-8000-000000000301"]
    finally:
        server.stop()
        lrs.stop()
