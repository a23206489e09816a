"""The player speaking xAPI: cmi5 through `modpack preview` (the LMS) into a real LRS (Learning
Locker's statements service), and Tin Can straight to the LRS; in Debian's Chromium."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import pytest

import modpack
from modpack import preview

from .conftest import SAMPLES
from .lrs_support import LearningLocker, xapi_validation_warnings
from .player_support import drawn, go_next, on_test, screen, take_test, walk_to

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
LRS_AUTH = "Basic dGVzdDp0ZXN0"


@pytest.fixture
def lrs():
    server = LearningLocker().start()
    yield server
    server.stop()


@pytest.fixture
def module():
    loaded = modpack.load(SAMPLES / "kewirausahaan-sosial")
    loaded.delivery.cmi5.structure = "single-au"
    return loaded


def start_preview(module, lrs, tmp_path):
    package = modpack.build_package(module, "cmi5", tmp_path / "zip")
    server, state = preview.start(package, 0, lrs.endpoint, LRS_AUTH, tmp_path / "store")
    return server, state, f"http://127.0.0.1:{server.server_address[1]}"


def defined(statements: list[dict], registration: str) -> list[dict]:
    """The cmi5-defined statements of a registration, in the order they were made."""
    mine = [s for s in statements if s.get("context", {}).get("registration") == registration]
    cats = lambda s: [c["id"] for c in s["context"].get("contextActivities", {}).get("category", [])]  # noqa: E731
    return sorted((s for s in mine if CMI5_CATEGORY in cats(s)), key=lambda s: s["timestamp"])


def verbs(statements: list[dict]) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def wait_for(condition, seconds: float = 20) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def open_au(browser, base: str):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(base + "/launch/0")
    page.locator("main h1").wait_for()
    frame = page.main_frame
    drawn(frame)
    assert frame.evaluate("window.modpack.state().tracking") is True
    return context, page, frame, errors


def finish(frame) -> None:
    walk_to(frame, lambda f: f.locator(".mp-next").inner_text() == "Selesai")
    frame.locator(".mp-next").click()


def test_launch_read_pass_gives_the_cmi5_sequence(browser, lrs, module, tmp_path):
    server, state, base = start_preview(module, lrs, tmp_path)
    context, page, frame, errors = open_au(browser, base)
    for test in module.assessments():
        walk_to(frame, on_test(test.id))
        take_test(frame, test)
    finish(frame)
    registration = state.registration
    wait_for(lambda: "terminated" in verbs(defined(lrs.statements(), registration)))
    held = lrs.statements()
    sequence = defined(held, registration)
    assert verbs(sequence) == ["initialized", "passed", "completed", "terminated"]
    au_id = state.aus[0].id
    session = sequence[0]["context"]["extensions"][SESSION]
    for statement in held:
        assert statement["context"]["registration"] == registration
        assert statement["context"]["extensions"][SESSION] == session
        assert statement["actor"] == state.learner
        assert statement["context"]["contextActivities"]["grouping"] == [{"id": au_id, "objectType": "Activity"}]
    for statement in sequence:
        assert statement["object"]["id"] == au_id
        assert statement["timestamp"].endswith("Z")
    passed, completed, terminated = sequence[1:]
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] >= 0.75
    assert passed["result"]["duration"].startswith("PT") and completed["result"]["completion"] is True
    for moving in (passed, completed):  # cmi5 9.6.2.2: results with success or completion carry moveon
        assert MOVEON in [c["id"] for c in moving["context"]["contextActivities"]["category"]]
    assert passed["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == 0.75
    assert MOVEON not in [c["id"] for c in terminated["context"]["contextActivities"]["category"]]
    # "cmi5 allowed" statements: the pages read and every answered question, with its interaction
    others = [s for s in held if s not in sequence]
    assert {v for v in verbs(others)} == {"experienced", "answered"}
    answered = [s for s in others if s["verb"]["id"].endswith("answered")]
    assert len(answered) == sum(a.asked_count() for a in module.assessments())
    types = {s["object"]["definition"]["interactionType"] for s in answered}
    assert types == {"choice", "true-false", "fill-in", "matching", "sequencing", "numeric"}
    assert all(s["object"]["definition"]["correctResponsesPattern"] for s in answered)
    assert xapi_validation_warnings(b"\n".join(json.dumps(s).encode() for s in held)) == []
    assert len({s["id"] for s in held}) == len(held)
    assert errors == []
    context.close()
    server.shutdown()


def test_fail_then_relaunch_as_a_new_session(browser, lrs, module, tmp_path):
    server, state, base = start_preview(module, lrs, tmp_path)
    context, page, frame, errors = open_au(browser, base)
    walk_to(frame, on_test(module.post_test.id))
    take_test(frame, module.post_test, correct=False)
    finish(frame)
    registration = state.registration
    try:
        wait_for(lambda: verbs(defined(lrs.statements(), registration)) == ["initialized", "failed", "terminated"])
    except AssertionError:
        raise AssertionError(verbs(defined(lrs.statements(), registration)))
    failed = defined(lrs.statements(), registration)[1]
    assert failed["result"]["success"] is False
    assert MOVEON in [c["id"] for c in failed["context"]["contextActivities"]["category"]]
    assert failed["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == 0.75
    context.close()

    # the learner comes back: a new session of the same registration, resumed where they were
    context, page, frame, errors = open_au(browser, base)
    # where they left: the certificate, not theirs yet; one step back is the post-test
    assert screen(frame) == {"kind": "certificate", "id": None}
    assert frame.locator(".mp-certificate").count() == 0
    frame.locator(".mp-prev").click()
    frame.wait_for_function("window.modpack.state().screen.kind === 'test'")
    assert screen(frame) == {"kind": "test", "id": module.post_test.id}
    page.get_by_role("button", name="Coba lagi").click()
    take_test(frame, module.post_test)
    finish(frame)
    try:
        wait_for(lambda: len(defined(lrs.statements(), registration)) == 7)
    except AssertionError:
        raise AssertionError(verbs(defined(lrs.statements(), registration)))
    sequence = defined(lrs.statements(), registration)
    assert verbs(sequence) == ["initialized", "failed", "terminated", "initialized", "passed", "completed", "terminated"]
    sessions = [s["context"]["extensions"][SESSION] for s in sequence]
    assert len(set(sessions[:3])) == 1 and len(set(sessions[3:])) == 1 and sessions[0] != sessions[3]
    context.close()

    # and once more: passed and completed are never sent twice for a registration
    context, page, frame, errors = open_au(browser, base)
    finish(frame)
    wait_for(lambda: len(defined(lrs.statements(), registration)) == 9)
    assert verbs(defined(lrs.statements(), registration))[-2:] == ["initialized", "terminated"]
    context.close()
    server.shutdown()


def test_review_mode_sends_no_result_and_finish_returns_to_the_lms(browser, lrs, module, tmp_path):
    server, state, base = start_preview(module, lrs, tmp_path)
    state.launch_mode = "Review"  # the LMS opens the AU to look back, not to be assessed
    context, page, frame, errors = open_au(browser, base)
    walk_to(frame, on_test(module.post_test.id))
    take_test(frame, module.post_test)
    finish(frame)
    page.wait_for_url(base + "/")  # returnURL from LMS.LaunchData
    wait_for(lambda: "terminated" in verbs(defined(lrs.statements(), state.registration)))
    assert verbs(defined(lrs.statements(), state.registration)) == ["initialized", "terminated"]
    context.close()
    server.shutdown()


@pytest.mark.lrs
def test_lrs_down_for_a_while(browser, module, tmp_path):
    lrs = LearningLocker().start()
    server, state, base = start_preview(module, lrs, tmp_path)
    try:
        context, page, frame, errors = open_au(browser, base)
        wait_for(lambda: len(lrs.statements()) >= 1)  # initialized
        lrs.stop()  # the LRS goes down
        walk_to(frame, on_test(module.post_test.id))
        take_test(frame, module.post_test)
        queued = frame.evaluate("window.modpack.state().tracking") and page.evaluate(
            "JSON.parse(localStorage.getItem('modpack.queue.' + new URLSearchParams(location.search).get('registration')) || '[]').length")
        assert queued > 0  # kept in the browser, waiting
        restarted = LearningLocker(lrs.port).start()  # back, empty: it lost what it held in memory
        wait_for(lambda: "passed" in verbs(restarted.statements()), 90)
        held = restarted.statements()
        assert len({s["id"] for s in held}) == len(held)  # retried, never duplicated
        assert {"passed", "answered", "experienced"} <= set(verbs(held))
        context.close()
        restarted.stop()
    finally:
        server.shutdown()
        lrs.stop()


def test_tincan_launch_straight_to_the_lrs(browser, lrs, module, tmp_path):
    """A Tin Can package gets endpoint, auth and actor from its launch URL and sends to the LRS."""
    from .browser import lms as static_server

    packages = tmp_path / "served"
    zip_path = modpack.build_package(module, "xapi", tmp_path / "zip")
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(packages / "tincan")
    httpd, _ = static_server.start(packages)
    actor = {"objectType": "Agent", "name": "Siti", "mbox": "mailto:siti@example.id"}
    registration = "6f1a3a5e-2f8b-4c7e-9d3a-0c6b8f1e2a4d"
    query = urllib.parse.urlencode({"endpoint": lrs.endpoint, "auth": LRS_AUTH, "actor": json.dumps(actor),
                                    "registration": registration})
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/pkg/tincan/index.html?{query}")
    page.locator("main h1").wait_for()
    frame = page.main_frame
    assert frame.evaluate("window.modpack.state().tracking") is True
    walk_to(frame, on_test(module.post_test.id))
    take_test(frame, module.post_test)
    finish(frame)
    wait_for(lambda: "terminated" in verbs(lrs.statements()))
    held = [s for s in lrs.statements() if s["context"].get("registration") == registration]
    assert {"attempted", "passed", "terminated"} <= set(verbs(held))
    assert all(s["actor"]["mbox"] == "mailto:siti@example.id" for s in held)
    assert all(s["object"]["id"].startswith(module.iri) for s in held)
    assert xapi_validation_warnings(b"\n".join(json.dumps(s).encode() for s in held)) == []
    context.close()
    httpd.shutdown()


def test_preview_refuses_other_hosts_and_keeps_files_in_its_store(tmp_path):
    hostile = tmp_path / "hostile"
    (hostile).mkdir()
    (hostile / "imsmanifest.xml").write_text(
        '<manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
        'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><organizations default="O"><organization identifier="O">'
        '<title>T</title><item identifier="../../pwned" identifierref="R"><title>T</title></item></organization>'
        '</organizations><resources><resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="a.html">'
        '<file href="a.html"/></resource></resources></manifest>', encoding="utf-8")
    (hostile / "a.html").write_text("<p>a</p>", encoding="utf-8")
    package = tmp_path / "hostile.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for name in ("imsmanifest.xml", "a.html"):
            archive.write(hostile / name, name)
    server, state = preview.start(package, 0, store=tmp_path / "store")
    port = server.server_address[1]
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/cmi/0", data=b'{"x": 1}', method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        assert (tmp_path / "store" / "cmi" / "sco-0.json").exists()
        assert not (tmp_path / "pwned.json").exists() and not list(tmp_path.glob("**/pwned.json"))
        rebinding = urllib.request.Request(f"http://127.0.0.1:{port}/tracked", headers={"Host": f"evil.example:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(rebinding, timeout=30)
        assert refused.value.code == 421
    finally:
        server.shutdown()


def test_preview_command_serves_a_module(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "modpack", "preview", str(SAMPLES / "rujukan-terpadu"),
                                "--port", str(port), "--store", str(tmp_path / "store")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError(process.stderr.read() if process.poll() is not None else "no answer")
        assert "/launch/0" in page and "Layanan dan Rujukan Terpadu" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/tracked", timeout=2) as response:
            assert response.status == 200
    finally:
        process.terminate()
        process.wait(10)



@pytest.mark.parametrize("standard", ["scorm12", "scorm2004"])
def test_preview_hosts_scorm_and_keeps_the_cmi_so_resume_works(browser, tmp_path, standard):
    module = modpack.load(SAMPLES / "kewirausahaan-sosial")
    module.delivery.scorm12.structure = module.delivery.scorm2004.structure = "single-sco"
    package = modpack.build_package(module, standard, tmp_path / "zip")
    server, state = preview.start(package, 0, store=tmp_path / "store")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda d: d.accept())
        page.goto(base + "/launch/0")
        frame = page.frame_locator("#sco")
        frame.locator("main h1").wait_for()
        inner = page.frame(name="sco") or page.frames[1]
        drawn(inner)
        assert inner.evaluate("window.modpack.state().tracking") is True
        for _ in range(3):
            go_next(inner)
        where = screen(inner)
        page.close()  # the learner leaves: pagehide commits (by beacon when the browser refuses a synchronous save)
        key = "cmi.core.lesson_location" if standard == "scorm12" else "cmi.location"
        cmi_file = tmp_path / "store" / "cmi" / "sco-0.json"
        wait_for(lambda: json.loads(cmi_file.read_text(encoding="utf-8")).get(key) == "3")
        page = context.new_page()
        page.goto(base + "/launch/0")
        page.frame_locator("#sco").locator("main h1").wait_for()
        inner = page.frames[1]
        assert screen(inner) == where  # resumed from the CMI the preview kept
        with urllib.request.urlopen(base + "/tracked", timeout=30) as response:
            assert "ITEM-module" in response.read().decode()
        context.close()
    finally:
        server.shutdown()


def recorded_verbs(state, session: str | None = None) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in state.recorded()
            if session is None or s["context"]["extensions"][SESSION] == session]


def test_a_reloaded_page_sends_nothing_after_terminated_and_the_next_launch_is_heard(browser, module, tmp_path):
    """Reloading the AU (pull-to-refresh on a phone) fires pagehide, which sends Terminated. The
    reloaded page kept sending in that session, which a conforming LMS rejects (cmi5 9.3.8; the
    preview now does); the rejected statements then stayed in the device's journal ahead of the next
    launch's, so that launch was never heard either. Now the reloaded page says the session has
    ended and sends nothing, and the next launch is recorded."""
    package = modpack.build_package(module, "cmi5", tmp_path / "zip")
    server, state = preview.start(package, 0, None, None, tmp_path / "store")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    context, page, frame, errors = open_au(browser, base)
    go_next(frame)
    go_next(frame)
    wait_for(lambda: recorded_verbs(state).count("experienced") >= 2)
    session = state.recorded()[0]["context"]["extensions"][SESSION]
    page.reload()
    page.locator("main h1").wait_for()
    drawn(page.main_frame)
    frame = page.main_frame
    wait_for(lambda: recorded_verbs(state, session)[-1:] == ["terminated"])
    assert frame.evaluate("window.modpack.state().tracking") is False
    assert "Sesi ini sudah berakhir" in frame.locator(".mp-note").inner_text()
    go_next(frame)
    go_next(frame)
    time.sleep(1)
    assert recorded_verbs(state, session)[-1] == "terminated"  # nothing after it, so nothing refused
    assert frame.evaluate("window.modpack.state().tracking") is False
    page.goto(base + "/launch/0")  # launched again from the LMS: a new session, in the same tab
    page.locator("main h1").wait_for()
    drawn(page.main_frame)
    assert page.main_frame.evaluate("window.modpack.state().tracking") is True
    wait_for(lambda: any(s["verb"]["id"].endswith("/initialized") and s["context"]["extensions"][SESSION] != session
                         for s in state.recorded()))
    assert errors == []
    context.close()
    server.shutdown()


def test_fail_then_pass_in_one_session_sends_passed(browser, module, tmp_path):
    """A learner who fails the post-test, tries again at once and passes: 'failed' went out at the
    first attempt, and at most one of passed and failed may be sent in a session (cmi5 9.3), so
    the LMS never heard of the pass. A failure the learner may still retry now waits for the
    session's end."""
    package = modpack.build_package(module, "cmi5", tmp_path / "zip")
    server, state = preview.start(package, 0, None, None, tmp_path / "store")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    context, page, frame, errors = open_au(browser, base)
    for test in module.assessments():
        walk_to(frame, on_test(test.id))
        if test is module.post_test:
            take_test(frame, test, correct=False)
            page.get_by_role("button", name="Coba lagi").click()
            drawn(frame)
        take_test(frame, test)
    finish(frame)
    wait_for(lambda: "terminated" in recorded_verbs(state))
    registration = state.registration
    assert verbs(defined(state.recorded(), registration)) == ["initialized", "passed", "completed", "terminated"]
    assert errors == []
    context.close()
    server.shutdown()


def test_a_failure_with_tries_left_is_sent_when_the_learner_leaves(browser, module, tmp_path):
    """The deferred failure is not lost: the learner who fails and closes the tab is recorded as
    failed, before Terminated."""
    package = modpack.build_package(module, "cmi5", tmp_path / "zip")
    server, state = preview.start(package, 0, None, None, tmp_path / "store")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    context, page, frame, errors = open_au(browser, base)
    walk_to(frame, on_test(module.post_test.id))
    take_test(frame, module.post_test, correct=False)
    page.goto("about:blank")  # pagehide: the tab is left
    wait_for(lambda: "terminated" in recorded_verbs(state))
    assert verbs(defined(state.recorded(), state.registration)) == ["initialized", "failed", "terminated"]
    context.close()
    server.shutdown()


def test_leaving_while_a_statement_is_on_its_way_still_delivers_terminated(browser, module, tmp_path):
    """On a slow link a statement may be on its way when the learner leaves; the journal sent
    nothing more while one delivery was in flight, and the browser cancels that one as the page
    goes: Terminated stayed on the device, and the LMS recorded the session as abandoned."""
    package = modpack.build_package(module, "cmi5", tmp_path / "zip")
    server, state = preview.start(package, 0, None, None, tmp_path / "store")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    context, page, frame, errors = open_au(browser, base)
    wait_for(lambda: "initialized" in recorded_verbs(state))
    held: list = []
    page.route("**/xapi/statements", lambda route: held.append(route) if not held else route.continue_())
    go_next(frame)  # its 'experienced' is held on the way
    wait_for(lambda: len(held) == 1)
    page.goto("about:blank")
    wait_for(lambda: "terminated" in recorded_verbs(state), 10)
    assert recorded_verbs(state)[-2:] == ["experienced", "terminated"]
    context.close()
    server.shutdown()


def test_the_learners_language_preference_is_read_from_the_agent_profile(browser, tmp_path):
    """cmi5 11.0: on startup the AU reads cmi5LearnerPreferences; it read a LaunchData field that
    does not exist, so a learner whose LMS says English saw Indonesian."""
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    module.delivery.cmi5.structure = "single-au"
    assert "en" in [language.split("-")[0] for language in module.languages]
    package = modpack.build_package(module, "cmi5", tmp_path / "zip")
    server, state = preview.start(package, 0, None, None, tmp_path / "store")
    state.preferences = {"languagePreference": "fr-FR,en-US,id-ID", "audioPreference": "on"}
    base = f"http://127.0.0.1:{server.server_address[1]}"
    context, page, frame, errors = open_au(browser, base)
    assert frame.evaluate("window.modpack.state().state.lang").startswith("en")
    context.close()
    server.shutdown()
