"""Tracking that survives the network (issue 19): the LMS connection drops mid-module (SetValue and
Commit answering false, then throwing), then comes back; nothing the learner did is lost, nothing
is counted twice, in the same launch and across a closed tab and a relaunch. The LMS is the test
LMS of tests/browser (scorm-again's runtime behind host.html, committing to a server)."""

from __future__ import annotations

import functools
import http.server
import io
import json
import re
import threading
import zipfile
from pathlib import Path

import pytest

import modpack

from .conftest import MINIMAL, SAMPLES
from .player_support import go_next, lms_errors, new_session, on_test, open_in_lms, screen, serve_package, take_test, walk_to

STANDARDS = ["scorm12", "scorm2004"]
NOT_SAVED = "Koneksi ke LMS sedang terputus"
SAVED_AGAIN = "Koneksi pulih"


def single_sco():
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    module.delivery.scorm12.structure = module.delivery.scorm2004.structure = "single-sco"
    return module


def interactions(stored: dict) -> list[dict]:
    found = stored.get("interactions") or {}
    found = found.get("childArray", found) if isinstance(found, dict) and "childArray" in found else found
    return list(found.values()) if isinstance(found, dict) else list(found)


def learner_state(frame) -> dict:
    return frame.evaluate("(() => { const s = window.modpack.state().state;"
                          " return {at: s.at, seen: Object.keys(s.seen).sort(), lang: s.lang}; })()")


def seen_pages(data: dict, module) -> list[str]:
    """The pages the suspend data marks as seen (its hex bits, one per page in order)."""
    pages = [page.id for lesson in module.lessons for page in lesson.pages]
    seen = []
    for i, page_id in enumerate(pages):
        nibble = int((data.get("s") or "")[i // 4:i // 4 + 1] or "0", 16)
        if nibble & (1 << (i % 4)):
            seen.append(page_id)
    return sorted(seen)


def prepared(browser, server, standard: str):
    """The sample as one SCO served by the test LMS, its first quiz, a fresh session, a phone's browser."""
    _, _, packages, zips = server
    module = single_sco()
    package = serve_package(module, standard, packages, zips)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    return module, module.lessons[0].quiz, package, new_session(), context


def note(frame):
    return frame.locator(".mp-saving")


@pytest.mark.parametrize("standard", STANDARDS)
def test_the_lms_drops_mid_module_and_comes_back_nothing_lost_nothing_twice(browser, server, standard):
    base, state, *_ = server
    module, quiz, package, session, context = prepared(browser, server, standard)
    page = context.new_page()
    frame = open_in_lms(page, base, package, session)
    go_next(frame)

    page.evaluate("window.lmsOutage('false')")  # SetValue and Commit answer false: what is set is lost
    walk_to(frame, on_test(quiz.id))
    take_test(frame, quiz, correct=True)
    note(frame).filter(has_text=NOT_SAVED).wait_for()
    assert note(frame).get_attribute("role") == "status"
    page.evaluate("window.lmsOutage('throw')")  # then every call throws
    go_next(frame)
    go_next(frame)
    assert page.evaluate("window.lmsOutageCalls") > 0
    before = state.last(session)
    assert before is None or len(interactions(before["cmi"])) == 0  # the LMS got none of the answers

    page.evaluate("window.lmsOutage(null)")  # the LMS is back: the journal's next try delivers
    note(frame).filter(has_text=SAVED_AGAIN).wait_for(timeout=70_000)
    stored = state.last(session)["cmi"]
    found = interactions(stored)
    ids = [item["id"] for item in found]
    assert len(ids) == len(quiz.questions) and len(set(ids)) == len(ids), ids
    data = json.loads(stored["suspend_data"])
    now = learner_state(frame)
    assert data["at"] == now["at"] and seen_pages(data, module) == now["seen"]
    assert {item["result"] for item in found} == {"correct"}

    go_next(frame)  # and it goes on as before: the commit as the tab closes adds nothing twice
    assert lms_errors(page) == []
    page.close()
    assert len(interactions(state.last(session)["cmi"])) == len(quiz.questions)
    context.close()


@pytest.mark.parametrize("standard", STANDARDS)
def test_closed_while_the_lms_is_away_replayed_once_at_the_next_launch(browser, server, standard):
    base, state, *_ = server
    module, quiz, package, session, context = prepared(browser, server, standard)
    first = context.new_page()
    frame = open_in_lms(first, base, package, session, keep="1")
    go_next(frame)
    first.evaluate("window.lmsOutage('false')")
    walk_to(frame, on_test(quiz.id))
    take_test(frame, quiz, correct=False)
    go_next(frame)
    go_next(frame)
    left = learner_state(frame)
    where = screen(frame)
    first.close()  # the learner closes the tab while the LMS is still away
    stale = state.last(session)["cmi"]
    assert len(interactions(stale)) == 0 and json.loads(stale["suspend_data"])["at"] < left["at"]

    second = context.new_page()  # the next launch, the LMS reachable: the journal is replayed
    frame = open_in_lms(second, base, package, session, keep="1")
    assert screen(frame) == where and learner_state(frame) == left
    stored = state.last(session)["cmi"]
    ids = [item["id"] for item in interactions(stored)]
    assert len(ids) == len(quiz.questions) and len(set(ids)) == len(ids), ids
    assert json.loads(stored["suspend_data"])["at"] == left["at"]
    assert lms_errors(second) == []
    second.close()

    third = context.new_page()  # a launch after that replays nothing: the LMS had it all
    frame = open_in_lms(third, base, package, session, keep="1")
    go_next(frame)
    third.close()
    assert len(interactions(state.last(session)["cmi"])) == len(quiz.questions)
    context.close()


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_commit_stored_whose_reply_was_lost_is_not_replayed(browser, server, standard):
    """The LMS stored the commit but the SCO heard "false": the journal still holds it. The serial in
    the suspend data tells the next launch that the LMS has it, so its answers are not added again."""
    base, state, *_ = server
    module, quiz, package, session, context = prepared(browser, server, standard)
    first = context.new_page()
    frame = open_in_lms(first, base, package, session, keep="1")
    first.evaluate("window.lmsOutage('reply-lost')")
    walk_to(frame, on_test(quiz.id))
    take_test(frame, quiz, correct=True)
    note(frame).filter(has_text=NOT_SAVED).wait_for()
    left = learner_state(frame)
    first.close()
    assert len(interactions(state.last(session)["cmi"])) == len(quiz.questions)

    second = context.new_page()
    frame = open_in_lms(second, base, package, session, keep="1")
    assert learner_state(frame) == left
    go_next(frame)
    second.close()
    ids = [item["id"] for item in interactions(state.last(session)["cmi"])]
    assert len(ids) == len(quiz.questions) and len(set(ids)) == len(ids), ids
    context.close()


class _Ranges(http.server.SimpleHTTPRequestHandler):
    """A server that answers Range requests (206 Partial Content), as most LMSs' file servers do;
    Python's own answers every request whole (200), as some LMS file proxies do."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        wanted = re.match(r"bytes=(\d+)-(\d*)$", self.headers.get("Range") or "")
        path = Path(self.translate_path(self.path))
        if not wanted or not path.is_file():
            return super().send_head()
        data = path.read_bytes()
        start = int(wanted.group(1))
        end = min(int(wanted.group(2)) if wanted.group(2) else len(data) - 1, len(data) - 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return io.BytesIO(data[start:end + 1])


VIDEO = Path(__file__).parent / "fixtures" / "media" / "pola-uji.mp4"  # H.264 + AAC, index first (README there)
WITH_VIDEO = MINIMAL + """\
      - id: halaman-video
        title: Halaman video
        file: halaman/satu.md
        video: {file: video/pola-uji.mp4, title: Pola uji}
"""


def served_folder(module, tmp_path, ranges: bool):
    """The module's SCORM 1.2 package unzipped and served by a file server that answers Range
    requests (206), or one that sends whole files (200); returns (server, base URL)."""
    [zip_path] = modpack.build(module, "scorm12", tmp_path / "dist")
    folder = tmp_path / "pkg"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    handler = _Ranges if ranges else http.server.SimpleHTTPRequestHandler
    handler = functools.partial(type("Quiet", (handler,), {"log_message": lambda *a: None}), directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.mark.parametrize("kind", ["audio", "video"])
@pytest.mark.parametrize("ranges", [True, False], ids=["ranges", "whole-files"])
def test_audio_and_video_play_whether_the_server_serves_ranges_or_not(browser, tmp_path, write_module, kind, ranges):
    if kind == "audio":
        module, suffix, length = single_sco(), ".mp3", (10, 13)  # the sample's 11 s greeting
    else:
        module = modpack.load(write_module(WITH_VIDEO, files={"video/pola-uji.mp4": VIDEO.read_bytes()}))
        suffix, length = ".mp4", (3.5, 4.5)  # the fixture's 4 s
    httpd, base = served_folder(module, tmp_path, ranges)
    statuses: list[int] = []
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.on("response", lambda r: statuses.append(r.status) if r.url.endswith(suffix) else None)
    try:
        page.goto(f"{base}/index.html")
        frame = page.main_frame
        walk_to(frame, lambda f: f.locator(f"main {kind}").count() > 0)
        played = frame.evaluate("""kind => new Promise((done, fail) => {
            const media = document.querySelector('main ' + kind);
            media.muted = true;
            media.addEventListener('timeupdate', () => {
                if (media.currentTime > 0.2) done([media.duration, media.videoWidth || 0]);
            });
            media.addEventListener('error', () => fail(String(media.error && media.error.code)));
            media.play().catch(e => fail(String(e)));
        })""", kind)
        assert length[0] < played[0] < length[1]
        assert played[1] == (320 if kind == "video" else 0)  # frames decoded, not only the sound
        assert (206 in statuses) == ranges and statuses
    finally:
        context.close()
        httpd.shutdown()


def test_the_player_fits_the_frame_it_is_given_as_the_phone_turns(browser, server, write_module):
    """Portrait 360 x 740, landscape 740 x 360 and back, inside the test LMS's frame: no sideways
    scroll, the player fills the frame's height, a video fits on one screen, the page stays."""
    base, _, packages, zips = server
    module = modpack.load(write_module(WITH_VIDEO, files={"video/pola-uji.mp4": VIDEO.read_bytes()}))
    package = serve_package(module, "scorm12", packages, zips)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        frame = open_in_lms(page, base, package, new_session())
        walk_to(frame, lambda f: f.locator("main video").count() > 0)
        at = frame.evaluate("window.modpack.state().state.at")
        for width, height, loaded in [(360, 740, False), (740, 360, False), (740, 360, True), (360, 740, True)]:
            if loaded:  # its own size known, as once it plays
                frame.evaluate("() => new Promise(done => { const v = document.querySelector('main video');"
                               " v.addEventListener('loadedmetadata', done); v.preload = 'metadata'; v.load(); })")
            page.set_viewport_size({"width": width, "height": height})
            frame.wait_for_function(f"window.innerWidth <= {width}")
            fit = frame.evaluate("""() => {
                const video = document.querySelector('main video').getBoundingClientRect();
                return {scroll: document.documentElement.scrollWidth, width: window.innerWidth,
                        height: window.innerHeight, player: document.getElementById('modpack').offsetHeight,
                        video: video.height, videoWidth: video.width};
            }""")
            assert fit["scroll"] <= fit["width"], fit  # no sideways scroll
            assert fit["player"] >= fit["height"] - 1, fit  # fills the frame, however it turned
            assert 0 < fit["video"] <= fit["height"], fit  # the whole picture on one screen
            assert frame.evaluate("window.modpack.state().state.at") == at
        assert lms_errors(page) == []
    finally:
        context.close()
