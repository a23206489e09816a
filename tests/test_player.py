"""The player in a real browser (Debian's Chromium) against a real LMS runtime (npm scorm-again).

Nothing here is mocked: the package is built by modpack, unzipped, served from 127.0.0.1 in an
iframe of a host page whose SCORM API is scorm-again, and driven like a learner would.
"""

from __future__ import annotations

import json
import os
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

import modpack

from .conftest import ROOT, SAMPLES
from .player_support import (
    BROWSER, cmi, drawn, go_next, lms_errors, heading, new_session, on_test, open_in_lms, screen,
    answer, serve_package, take_test, walk_to,
)

STANDARDS = ["scorm12", "scorm2004"]
SCREENSHOTS = Path(os.environ.get("MODPACK_SCREENSHOTS", ROOT / "tests" / "output" / "screenshots"))
AXE = BROWSER / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("dialog", lambda dialog: dialog.accept())
    yield tab
    context.close()
    assert errors == [], errors


def single_sco(name: str):
    module = modpack.load(SAMPLES / name)
    module.delivery.scorm12.structure = module.delivery.scorm2004.structure = "single-sco"
    return module


def served(server, name: str, standard: str, module=None, launch: str = "index.html"):
    base, state, packages, zips = server
    return serve_package(module or single_sco(name), standard, packages, zips, launch)


def read_everything_and_pass(frame, module, correct=True):
    """Every page read, every test answered; the post-test right (or wrong)."""
    for test in module.assessments():
        walk_to(frame, on_test(test.id))
        take_test(frame, test, correct=correct if test is module.post_test else True)
    seen = frame.evaluate("Object.keys(window.modpack.state().state.seen).length")
    assert seen == module.page_count()


@pytest.mark.parametrize("standard", STANDARDS)
def test_pass_records_status_score_and_interactions(page, server, standard):
    base, state, *_ = server
    module = single_sco("rujukan-terpadu")
    package = served(server, "rujukan-terpadu", standard, module)
    session = new_session()
    frame = open_in_lms(page, base, package, session)
    read_everything_and_pass(frame, module)
    data = cmi(page)["cmi"]
    asked = sum(a.asked_count() for a in module.assessments())
    if standard == "scorm12":
        assert data["core"]["lesson_status"] == "passed"
        assert float(data["core"]["score"]["raw"]) == 100
        assert data["core"]["score"]["min"] == "0" and data["core"]["score"]["max"] == "100"
        interactions = data["interactions"]
        types = {i["type"] for i in interactions.values()} if isinstance(interactions, dict) else {i["type"] for i in interactions}
        assert types == {"choice", "true-false", "fill-in", "matching", "sequencing", "numeric"}
    else:
        assert data["completion_status"] == "completed"
        assert data["success_status"] == "passed"
        assert float(data["score"]["scaled"]) == 1
        assert float(data["score"]["raw"]) == 100
    items = list(data["interactions"].values()) if isinstance(data["interactions"], dict) else data["interactions"]
    assert len(items) == asked
    results = {i["result"] for i in items}
    assert results == {"correct"}
    if standard == "scorm2004":  # when it happened, in UTC and marked so: unmarked, an LMS reads local time
        stamps = [datetime.fromisoformat(i["timestamp"].replace("Z", "+00:00")) for i in items]
        assert all(i["timestamp"].endswith("Z") for i in items)
        assert all(abs((datetime.now(timezone.utc) - stamp).total_seconds()) < 120 for stamp in stamps)
    objectives = data["objectives"]
    assert len(objectives) == len(module.objectives)
    assert lms_errors(page) == []  # every value the player wrote, scorm-again accepted
    # Finishing ends the session: the LMS receives the final commit with exit and session time.
    walk_to(frame, lambda f: f.locator(".mp-next").inner_text() in ("Selesai", "Finish"))
    frame.locator(".mp-next").click()
    # inside the LMS's frame: back to the course page, no window to close
    frame.get_by_text("kembali ke halaman kursus di LMS").wait_for()
    final = state.last(session)["cmi"]
    if standard == "scorm12":
        assert final["core"]["exit"] == "" and final["core"]["lesson_status"] == "passed"
        assert final["core"]["session_time"] != "00:00:00"
    else:
        assert final["exit"] == "normal" and final["success_status"] == "passed"
        assert final["session_time"].startswith("PT")


@pytest.mark.parametrize("standard", STANDARDS)
def test_fail_records_failed(page, server, standard):
    base, state, *_ = server
    module = single_sco("kewirausahaan-sosial")
    package = served(server, "kewirausahaan-sosial", standard, module)
    frame = open_in_lms(page, base, package, new_session())
    walk_to(frame, on_test(module.post_test.id))
    score = take_test(frame, module.post_test, correct=False)
    assert score < module.post_test.pass_mark
    data = cmi(page)["cmi"]
    if standard == "scorm12":
        assert data["core"]["lesson_status"] == "failed"
        assert float(data["core"]["score"]["raw"]) == score
    else:
        assert data["success_status"] == "failed"
        assert data["completion_status"] == "incomplete"
    items = list(data["interactions"].values()) if isinstance(data["interactions"], dict) else data["interactions"]
    assert {i["result"] for i in items} == {"wrong" if standard == "scorm12" else "incorrect"}
    assert lms_errors(page) == []
    # a second attempt is offered (2 allowed), then none
    frame.get_by_role("button", name="Coba lagi").click()
    take_test(frame, module.post_test, correct=False)
    assert frame.get_by_text("Kesempatan mencoba sudah habis.").is_visible()
    assert frame.get_by_role("button", name="Coba lagi").count() == 0


@pytest.mark.parametrize("standard", STANDARDS)
def test_leave_half_way_and_resume(browser, server, standard):
    base, state, *_ = server
    module = single_sco("rujukan-terpadu")
    package = served(server, "rujukan-terpadu", standard, module)
    session = new_session()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    first = context.new_page()
    frame = open_in_lms(first, base, package, session)
    walk_to(frame, on_test(module.lessons[0].quiz.id))
    quiz = module.lessons[0].quiz.questions[0]
    frame.locator(f'fieldset[data-question="{quiz.id}"] input[value="0"]').check()  # answered, not submitted
    go_next(frame)
    go_next(frame)
    where = screen(frame)
    title = heading(frame)
    first.close()  # the learner leaves
    stored = state.last(session)["cmi"]
    exit_value = stored["core"]["exit"] if standard == "scorm12" else stored["exit"]
    assert exit_value == "suspend"

    second = context.new_page()
    frame = open_in_lms(second, base, package, session)
    assert screen(frame) == where and heading(frame) == title
    entry = cmi(second)["cmi"]["core"]["entry"] if standard == "scorm12" else cmi(second)["cmi"]["entry"]
    assert entry == "resume"
    kept = frame.evaluate("Object.keys(window.modpack.state().state.seen).length")
    assert kept == 4  # three pages before the quiz, one after
    for _ in range(2):
        frame.locator(".mp-prev").click()
        drawn(frame)
    assert frame.locator(f'fieldset[data-question="{quiz.id}"] input[value="0"]').is_checked()
    context.close()


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_first_launch_reads_nothing_the_lms_has_not_set(browser, server, standard):
    """SCORM 2004 answers a read of cmi.suspend_data on a first launch with 403, which LMSs log as an
    error each time: the player reads it only on resume. strict=1 counts 403s as the errors they are."""
    base, state, *_ = server
    module = single_sco("rujukan-terpadu")
    package = served(server, "rujukan-terpadu", standard, module)
    session = new_session()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    first = context.new_page()
    frame = open_in_lms(first, base, package, session, strict="1")
    entry = cmi(first)["cmi"]["core"]["entry"] if standard == "scorm12" else cmi(first)["cmi"]["entry"]
    assert entry == "ab-initio"
    go_next(frame)
    go_next(frame)
    where = screen(frame)
    assert lms_errors(first) == []
    first.close()
    second = context.new_page()
    frame = open_in_lms(second, base, package, session, strict="1")
    assert screen(frame) == where  # resumed: the suspend data was read, now that it exists
    assert lms_errors(second) == []
    context.close()


HIDE_TAB = """() => {
    // Headless Chromium keeps every tab visible, so the test makes the document report what a
    // phone reports when the learner switches apps, and fires the browser's own event.
    Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});
    Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});
    document.dispatchEvent(new Event('visibilitychange'));
}"""


@pytest.mark.parametrize("standard", STANDARDS)
def test_hidden_then_closed_abruptly_commits(browser, server, standard):
    base, state, *_ = server
    package = served(server, "kewirausahaan-sosial", standard)
    session = new_session()
    context = browser.new_context()
    tab = context.new_page()
    frame = open_in_lms(tab, base, package, session)
    for _ in range(3):
        go_next(frame)
    before = len(state.commits.get(session, []))
    frame.evaluate(HIDE_TAB)  # the learner switches to another app...
    assert len(state.commits[session]) == before + 1
    tab.close(run_before_unload=False)  # ...and the phone closes the tab: no Finish, no beforeunload
    last = state.last(session)["cmi"]
    location = last["core"]["lesson_location"] if standard == "scorm12" else last["location"]
    assert location == "3"
    assert json.loads(last["suspend_data"])["at"] == 3
    assert (last["core"]["exit"] if standard == "scorm12" else last["exit"]) == "suspend"
    context.close()


@pytest.mark.parametrize("standard", STANDARDS)
def test_leaving_abruptly_finishes_on_pagehide(browser, server, standard):
    """With an LMS that sends its last commit by beacon, pagehide alone delivers the session:
    the learner types another address, with no Finish and no beforeunload."""
    base, state, *_ = server
    package = served(server, "kewirausahaan-sosial", standard)
    session = new_session()
    context = browser.new_context()
    tab = context.new_page()
    frame = open_in_lms(tab, base, package, session, beacon="1")
    for _ in range(2):
        go_next(frame)
    tab.goto("about:blank")

    def session_time(commit):
        return commit["cmi"]["core"]["session_time"] if standard == "scorm12" else commit["cmi"]["session_time"]

    deadline = time.time() + 5  # a beacon is sent as the page goes; give it a moment to arrive
    unset = ("", "00:00:00", "PT0H0M0S")
    while time.time() < deadline and not any(session_time(c) not in unset for c in state.commits[session]):
        time.sleep(0.05)
    last = state.last(session)["cmi"]
    assert session_time(state.last(session)) not in unset
    assert json.loads(last["suspend_data"])["at"] == 2
    location = last["core"]["lesson_location"] if standard == "scorm12" else last["location"]
    assert location == "2"
    context.close()


def test_opened_from_disk_works_without_an_lms(page, server):
    package = served(server, "rujukan-terpadu", "scorm12")
    page.goto(package.folder.joinpath("index.html").as_uri())
    page.locator("main h1").wait_for()
    assert page.locator(".mp-note").inner_text() == "Modul dibuka tanpa LMS: kemajuan Anda tidak dicatat."
    assert page.evaluate("window.modpack.state().tracking") is False
    page.locator(".mp-next").click()
    page.wait_for_function("window.modpack.state().state.at === 1")
    assert page.locator("main h1").inner_text() == "Apa itu SLRT?"
    images = page.locator("main img")
    images.first.wait_for()
    # loaded, not only placed: waits (a slow machine loads later) and fails if one never loads
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")
    assert page.evaluate("Array.from(document.images).every(i => i.naturalWidth > 0)")


def test_links_and_images_of_renamed_assets_work(page, server, write_module):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" width="40" height="40"><rect width="4" height="4"/></svg>'
    from .conftest import MINIMAL
    definition = MINIMAL.replace("title: Modul uji", "title: 'Rujukan & <Layanan> — Desa'")
    definition += "        attachments:\n          - file: unduhan/Formulir Rujukan.pdf\n            title: Formulir\n"
    folder = write_module(definition, files={
        "halaman/satu.md": "![Peta desa](<../gambar/Peta Desa.svg>)\n\n[Unduh](<../unduhan/Formulir Rujukan.pdf>)\n",
        "gambar/Peta Desa.svg": svg,
        "unduhan/Formulir Rujukan.pdf": b"%PDF-1.4\n%%EOF\n",
    })
    base, state, packages, zips = server
    package = serve_package(modpack.load(folder), "scorm12", packages, zips)
    frame = open_in_lms(page, base, package, new_session())
    assert page.title() == "Test LMS"
    assert frame.evaluate("document.title") == "Rujukan & <Layanan> — Desa"
    frame.locator("main img").wait_for()
    frame.wait_for_function("Array.from(document.images).every(i => i.complete)")
    assert frame.evaluate("Array.from(document.images).every(i => i.naturalWidth > 0)")
    for href in frame.locator("main a[href]").evaluate_all("els => els.map(e => e.href)"):
        response = page.request.get(href)
        assert response.ok, href


def test_a_link_to_another_page_goes_to_that_page(page, server, write_module, tmp_path):
    """[peta](02-peta.md#bagian) from one page to another was packed as the raw Markdown file, and
    the learner opened Markdown source. It now goes to that page in the player."""
    from .conftest import MINIMAL
    definition = MINIMAL + "      - id: peta-potensi\n        title: Peta potensi\n        file: halaman/dua.md\n"
    folder = write_module(definition, files={"halaman/satu.md": "Lihat [peta potensi](dua.md#bagian).\n",
                                             "halaman/dua.md": "## Bagian\n\nPeta desa.\n"})
    module = modpack.load(folder)
    built = modpack.build_package(module, "scorm12", tmp_path / "zip")
    with zipfile.ZipFile(built) as archive:
        assert not [n for n in archive.namelist() if n.endswith(".md")]
        assert b'href="#mp-page-peta-potensi"' in archive.read("content/pages/halaman-satu.js").replace(b'\\"', b'"')
    base, state, packages, zips = server
    frame = open_in_lms(page, base, serve_package(module, "scorm12", packages, zips), new_session())
    frame.locator("main a", has_text="peta potensi").click()
    frame.wait_for_function("window.modpack.state().state.at === 1")
    drawn(frame)
    assert heading(frame) == "Peta potensi"
    # the page in another SCO (one per lesson): the learner is told where it is, not left with a dead link
    other = MINIMAL + ("  - id: pelajaran-dua\n    title: Pelajaran dua\n    pages:\n"
                       "      - id: peta-potensi\n        title: Peta potensi\n        file: halaman/dua.md\n")
    module = modpack.load(write_module(other, files={"halaman/satu.md": "Lihat [peta potensi](dua.md#bagian).\n",
                                                     "halaman/dua.md": "## Bagian\n\nPeta desa.\n"}))
    module.delivery.scorm12.structure = "sco-per-lesson"
    frame = open_in_lms(page, base, serve_package(module, "scorm12", packages, zips, "sco-pelajaran-satu.html"),
                        new_session())
    frame.locator("main a", has_text="peta potensi").click()
    assert "another part of this module" in frame.locator("main .mp-note").inner_text() or \
        "bagian lain modul" in frame.locator("main .mp-note").inner_text()
    assert heading(frame) == "Halaman satu"


def test_language_switch_and_learner_preference(page, server):
    base, state, *_ = server
    package = served(server, "rujukan-terpadu", "scorm2004")
    frame = open_in_lms(page, base, package, new_session(), learner_lang="en")
    go_next(frame)
    assert heading(frame) == "What is SLRT?"
    assert frame.locator(".mp-next").inner_text() == "Next"
    assert "One door for many programmes" in frame.locator(".mp-body").inner_text()
    # each language by its own name, not a code read out letter by letter
    assert frame.locator("#mp-lang option").evaluate_all("os => os.map(o => [o.textContent, o.lang])") == \
        [["Bahasa Indonesia", "id-ID"], ["English", "en-US"]]
    frame.locator("#mp-lang").select_option("id-ID")
    frame.wait_for_function("window.modpack.state().state.lang === 'id-ID'")
    assert heading(frame) == "Apa itu SLRT?"
    assert frame.locator(".mp-next").inner_text() == "Berikutnya"
    # the whole player was redrawn in Indonesian: focus stays on the language box, not lost to the page
    assert frame.evaluate("document.activeElement.id") == "mp-lang"


def test_an_english_module_tagged_en_gb_gets_an_english_player(page, server, write_module, tmp_path):
    """A module in en-GB (or en, en-AU) showed every button, heading and message in Indonesian:
    the player looked for en-GB, then en, then fell back to Indonesian, never to en-US."""
    from .conftest import MINIMAL
    definition = MINIMAL.replace("title: Modul uji", "title: Test module\nlanguages: [en-GB]")
    assert "en-GB" in definition
    module = modpack.load(write_module(definition))
    base, state, packages, zips = server
    frame = open_in_lms(page, base, serve_package(module, "scorm12", packages, zips), new_session())
    assert frame.evaluate("document.documentElement.lang") == "en-GB"
    assert frame.locator(".mp-next").inner_text() == "Next" and frame.locator(".mp-menu").inner_text() == "Contents"
    with zipfile.ZipFile(modpack.build_package(module, "scorm12", tmp_path / "zip")) as archive:
        assert b"JavaScript is needed" in archive.read("index.html")  # the page without script, in English too


def test_keyboard_only(page, server):
    base, state, *_ = server
    module = single_sco("kewirausahaan-sosial")
    package = served(server, "kewirausahaan-sosial", "scorm12", module)
    frame = open_in_lms(page, base, package, new_session())
    assert frame.evaluate("document.activeElement.tagName") == "H1"
    # Tab through the pre-test's first question: a radio, chosen with the arrow keys
    for _ in range(30):
        page.keyboard.press("Tab")
        if frame.evaluate("document.activeElement.type") == "radio":
            break
    page.keyboard.press("Space")
    assert frame.evaluate("document.activeElement.checked") is True
    for _ in range(60):
        page.keyboard.press("Tab")
        if frame.evaluate("document.activeElement.className").find("mp-next") >= 0:
            break
    page.keyboard.press("Enter")
    frame.wait_for_function("window.modpack.state().state.at === 1")
    drawn(frame)
    assert frame.evaluate("document.activeElement.tagName") == "H1"
    outline = frame.evaluate("""() => { var b = document.querySelector('.mp-next'); b.focus();
        return getComputedStyle(b).outlineStyle + ' ' + getComputedStyle(b).outlineWidth; }""")
    assert outline.startswith("solid") and not outline.endswith(" 0px")


A11Y_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe(frame) -> list[dict]:
    frame.add_script_tag(path=str(AXE))
    result = frame.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})))", A11Y_TAGS)
    return result


@pytest.mark.parametrize("name", ["rujukan-terpadu", "kewirausahaan-sosial"])
def test_no_accessibility_violations_and_screenshots(browser, server, name):
    base, state, *_ = server
    module = single_sco(name)
    package = served(server, name, "scorm12", module)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        tab = context.new_page()
        tab.on("dialog", lambda d: d.accept())
        frame = open_in_lms(tab, base, package, new_session())
        found = axe(frame)  # the pre-test
        go_next(frame)
        found += axe(frame)  # a page with an image
        assert frame.evaluate("document.documentElement.scrollWidth") <= width
        tab.screenshot(path=str(SCREENSHOTS / f"{name}-page-{width}.png"))
        frame.locator(".mp-menu").click()
        found += axe(frame)  # the table of contents open
        frame.locator(".mp-menu").click()
        walk_to(frame, on_test(module.post_test.id))
        take_test(frame, module.post_test, correct=False)
        found += axe(frame)  # results and feedback shown
        assert frame.evaluate("document.documentElement.scrollWidth") <= width
        tab.screenshot(path=str(SCREENSHOTS / f"{name}-test-{width}.png"), full_page=True)
        if width == 360:
            small = frame.evaluate("""() => Array.from(document.querySelectorAll(
                'button:not([disabled]), select, input[type=text], .mp-option, #mp-main a, summary'))
                .filter(e => e.offsetParent !== null)
                .map(e => e.getBoundingClientRect()).filter(r => r.height < 44 || r.width < 44).length""")
            assert small == 0
        assert found == [], json.dumps(found, indent=1)
        context.close()


def test_feedback_is_announced(page, server):
    base, state, *_ = server
    module = single_sco("kewirausahaan-sosial")
    package = served(server, "kewirausahaan-sosial", "scorm12", module)
    frame = open_in_lms(page, base, package, new_session())
    take_test(frame, module.pre_test)
    live = frame.locator(".mp-live")
    assert live.get_attribute("role") == "status"
    frame.wait_for_function("document.querySelector('.mp-live').textContent.indexOf('Nilai') === 0")
    assert frame.evaluate("document.activeElement.className").startswith("mp-result")


@pytest.mark.parametrize("standard", ["scorm12", "scorm2004", "cmi5", "xapi"])
def test_player_is_small(standard):
    """The player's own JS and CSS in a package of each standard: at most 60 KB uncompressed."""
    from modpack.package.launch import player_files

    files = player_files(standard)
    size = sum(len(v) if isinstance(v, bytes) else v.size for v in files.values())
    assert size <= 60 * 1024, size


def test_every_interface_string_is_used_and_ships_only_where_it_is_shown():
    """Two strings were shipped in every package and shown nowhere; the budget above is tight.
    Each key of strings.json is used by the player (literally, or as outcome_/callout_ + a value),
    or by the build through player.label and then not shipped."""
    import re

    from modpack.package.launch import player_files
    from modpack.player import BUILD_ONLY, table

    player = ROOT / "src" / "modpack" / "player"
    scripts = "".join((player / name).read_text(encoding="utf-8") for name in
                      ("player.js", "blocks.js", "scorm.js", "xapi.js"))
    python = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "src" / "modpack").rglob("*.py"))
    for key in table()["id-ID"]:
        in_player = re.search(rf"[\"']{re.escape(key)}[\"']", scripts) or \
            (key.split("_")[0] in ("outcome", "callout") and f'"{key.split("_")[0]}_" +' in scripts)
        in_build = re.search(rf"label\(\"{re.escape(key)}\"", python)
        assert in_player or in_build, key
        assert bool(in_build and not in_player) == (key in BUILD_ONLY), key
    shipped = player_files("scorm12")["player/strings.js"]
    assert b"needsScript" not in shipped and b'"next"' in shipped


def test_sco_per_lesson_units(page, server):
    """Each SCO of a multi-SCO package tracks its own part: a lesson by pages, the post-test by score."""
    base, state, packages, zips = server
    module = modpack.load(SAMPLES / "rujukan-terpadu")
    assert module.delivery.scorm2004.structure == "sco-per-lesson"
    lesson = module.lessons[1]
    package = serve_package(module, "scorm2004", packages, zips, f"sco-{lesson.id}.html")
    frame = open_in_lms(page, base, package, new_session())
    assert heading(frame) == module.text(lesson.pages[0].title)
    assert cmi(page)["cmi"]["completion_status"] == "incomplete"
    for _ in lesson.pages[1:]:
        go_next(frame)
    data = cmi(page)["cmi"]
    assert data["completion_status"] == "completed" and float(data["progress_measure"]) == 1
    assert data["success_status"] == "unknown"

    post = serve_package(module, "scorm2004", packages, zips, f"sco-{module.post_test.id}.html")
    frame = open_in_lms(page, base, post, new_session())
    assert screen(frame) == {"kind": "test", "id": module.post_test.id}
    assert frame.locator(".mp-next").inner_text() == "Berikutnya"  # the certificate follows the post-test
    take_test(frame, module.post_test)
    data = cmi(page)["cmi"]
    assert data["success_status"] == "passed" and data["completion_status"] == "completed"
    go_next(frame)
    assert screen(frame) == {"kind": "certificate", "id": None}
    assert frame.locator(".mp-certificate").is_visible() and frame.locator(".mp-next").inner_text() == "Selesai"


def big_module_yaml() -> str:
    """200 pages and a 50-question post-test of every type: the suspend_data stress case."""
    lines = ["id: modul-besar", "title: Modul besar", "iri_base: https://pelatihan.example.go.id/xapi/",
             "workload: {self_paced_jp: 20}", "lessons:"]
    for lesson in range(4):
        lines += [f"  - id: pelajaran-{lesson}", f"    title: Pelajaran {lesson}", "    pages:"]
        lines += [f"      - {{id: halaman-{lesson}-{p}, title: Halaman {p}, text: 'Isi halaman {p}.'}}" for p in range(50)]
    lines += ["post_test:", "  id: pasca-tes", "  pass_mark: 60", "  questions:"]
    kinds = [
        "type: single-choice, choices: [{id: a, text: A}, {id: b, text: B}, {id: c, text: C}], correct: b",
        "type: multiple-response, choices: [{id: a, text: A}, {id: b, text: B}, {id: c, text: C}], correct: [a, c]",
        "type: true-false, correct: true",
        "type: fill-in, accepted: [Pusat Kesejahteraan Sosial di desa atau kelurahan setempat]",
        "type: matching, sources: [{id: s1, text: S1}, {id: s2, text: S2}, {id: s3, text: S3}], "
        "targets: [{id: t1, text: T1}, {id: t2, text: T2}, {id: t3, text: T3}], correct: {s1: t1, s2: t2, s3: t3}",
        "type: ordering, items: [{id: i1, text: I1}, {id: i2, text: I2}, {id: i3, text: I3}, {id: i4, text: I4}]",
        "type: numeric, min: 7, max: 14",
    ]
    lines += [f"    - {{id: soal-{n}, prompt: Soal {n}, {kinds[n % len(kinds)]}}}" for n in range(50)]
    return "\n".join(lines) + "\n"


def test_suspend_data_fits_scorm12_for_200_pages_and_50_questions(page, server, write_module):
    base, state, packages, zips = server
    folder = write_module(big_module_yaml())
    module = modpack.load(folder)
    assert module.page_count() == 200 and len(module.post_test.questions) == 50
    package = serve_package(module, "scorm12", packages, zips)
    session = new_session()
    frame = open_in_lms(page, base, package, session)
    walk_to(frame, on_test("pasca-tes"))  # through all 200 pages
    for question in module.post_test.questions:
        answer(frame, question)
    frame.evaluate("window.modpack.state()")  # answers are saved as they are given
    suspend = cmi(page)["cmi"]["suspend_data"]
    assert len(suspend) < 4096, len(suspend)
    print(f"suspend_data: {len(suspend)} characters for 200 pages and 50 answers")
    stored = json.loads(suspend)
    assert len(stored["t"]["pasca-tes"]["x"]) == 50
    frame.locator("form.mp-test button[type=submit]").click()
    frame.locator(".mp-score").wait_for()
    data = cmi(page)["cmi"]
    assert len(data["suspend_data"]) < 4096
    assert data["core"]["lesson_status"] == "passed"
    assert lms_errors(page) == []
    # and all of it survives a relaunch
    page.goto("about:blank")
    frame = open_in_lms(page, base, package, session)
    assert screen(frame) == {"kind": "test", "id": "pasca-tes"}
    assert frame.evaluate("Object.keys(window.modpack.state().state.seen).length") == 200
    assert frame.locator(".mp-score").inner_text().startswith("Nilai: 100")


WRITTEN = ("Menurut saya petugas harus datang ke rumah warga, mencatat semua keluhan keluarga, memeriksa apakah "
           "mereka sudah terdaftar di DTKS, lalu berkoordinasi dengan pendamping PKH dan kepala desa.")
LONGER = (WRITTEN + " " + WRITTEN)[:250]


def written_test_yaml(questions: int) -> str:
    """A post-test of fill-in questions whose right answer is short (PPKS), for long written answers."""
    return ("id: modul-uraian\ntitle: Modul uraian\niri_base: https://pelatihan.example.go.id/xapi/\n"
            "workload: {self_paced_jp: 2}\nobjectives:\n  - {id: memahami, text: Memahami}\nlessons:\n"
            "  - id: satu\n    title: Satu\n    objectives: [memahami]\n    pages:\n"
            "      - {id: h1, title: Halaman 1, text: 'Isi.'}\n      - {id: h2, title: Halaman 2, text: 'Isi.'}\n"
            "post_test:\n  id: pasca\n  pass_mark: 50\n  attempts: 3\n  questions:\n"
            + "".join(f"    - {{id: soal-{n}, prompt: 'Singkatan {n}?', type: fill-in, accepted: [PPKS], "
                      "objectives: [memahami]}\n" for n in range(questions))
            + "completion:\n  requires: [pages, post-test]\n  report: passed-failed\n")


def written_test_open(browser, server, write_module, questions: int, answer):
    """The written post-test of ``questions`` questions in a phone-sized tab of an LMS that refuses what
    Moodle refuses, each question answered ``answer(k)``, not yet submitted."""
    base, state, packages, zips = server
    module = modpack.load(write_module(written_test_yaml(questions)))
    package = serve_package(module, "scorm12", packages, zips)
    session = new_session()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    frame = open_in_lms(tab, base, package, session, enforce="1")
    walk_to(frame, on_test("pasca"))
    for k, question in enumerate(module.post_test.questions):
        frame.locator(f'fieldset[data-question="{question.id}"] input[type=text]').fill(answer(k))
    return module, package, session, context, tab, frame


def test_a_submitted_test_of_long_written_answers_resumes_with_its_score(browser, server, write_module):
    """SCORM 1.2 keeps 4,096 characters of suspend data. 16 right answers and 16 wrong ones of 250
    characters (over 4,000): the player used to drop a submitted attempt's answers to fit, so on
    resume the learner who had passed saw "Nilai: 0 — Belum lulus", every answer wrong, and the
    LMS's objective turned failed. Now each long answer is kept as a shorter one judged the same."""
    base, state, packages, zips = server
    module, package, session, context, tab, frame = written_test_open(
        browser, server, write_module, 32, lambda k: "PPKS" if k % 2 == 0 else LONGER)
    frame.locator("form.mp-test button[type=submit]").click()
    frame.locator(".mp-score").wait_for()
    assert frame.locator(".mp-score").inner_text().startswith("Nilai: 50")
    data = cmi(tab)["cmi"]
    assert len(data["suspend_data"]) <= 4096 and lms_errors(tab) == []
    assert data["core"]["lesson_status"] == "passed" and data["objectives"]["0"]["status"] == "passed"
    context.close()

    context = browser.new_context(viewport={"width": 360, "height": 740})  # another phone: the LMS's data alone
    tab = context.new_page()
    frame = open_in_lms(tab, base, package, session, enforce="1")
    assert screen(frame) == {"kind": "test", "id": "pasca"}
    assert frame.locator(".mp-score").inner_text() == "Nilai: 50 — Lulus"
    verdicts = frame.locator(".mp-verdict").all_inner_texts()
    assert len(verdicts) == 32 and len(set(verdicts[0::2])) == 1 and len(set(verdicts[1::2])) == 1
    assert verdicts[0] != verdicts[1]  # right ones still right, wrong ones still wrong
    shown = frame.locator('fieldset[data-question="soal-1"] input[type=text]').input_value()
    assert LONGER.startswith(shown.rstrip("\u2026")) and shown.endswith("\u2026")
    frame.evaluate(HIDE_TAB)
    data = state.last(session)["cmi"]
    assert data["core"]["lesson_status"] == "passed" and data["core"]["score"]["raw"] == "50"
    assert data["objectives"]["0"]["status"] == "passed" and data["objectives"]["0"]["score"]["raw"] == "50"
    assert lms_errors(tab) == []
    context.close()


def test_unsubmitted_written_answers_past_the_limit_never_hold_back_a_commit(browser, server, write_module):
    """24 unsubmitted answers of 180 characters: the suspend data cannot fit SCORM 1.2's 4,096.
    The player sent it anyway; an LMS that refuses it (as Moodle does) then got no commit at all,
    and the learner read that the connection was lost. Now the answers are cut to fit, and the
    commit goes through."""
    base, state, packages, zips = server
    module, package, session, context, tab, frame = written_test_open(browser, server, write_module, 24,
                                                                      lambda k: WRITTEN)
    before = len(state.commits.get(session, []))
    frame.evaluate(HIDE_TAB)
    assert len(state.commits[session]) == before + 1
    assert tab.evaluate("window.lmsRefused || 0") == 0 and lms_errors(tab) == []
    assert not frame.locator(".mp-saving").is_visible()
    kept = json.loads(state.last(session)["cmi"]["suspend_data"])["t"]["pasca"]["x"]
    assert len(kept) == 24 and all(answer and WRITTEN.startswith(answer) for answer in kept)
    context.close()


def test_api_found_through_the_opener(browser, server):
    """Some LMSs launch the SCO in a new window: the player finds the API through window.opener."""
    base, state, *_ = server
    package = served(server, "kewirausahaan-sosial", "scorm12")
    context = browser.new_context()
    host = context.new_page()
    with context.expect_page() as popup_info:
        host.goto(f"{base}/host.html?std=scorm12&session={new_session()}&launch={package.url}&popup=1")
    popup = popup_info.value
    popup.locator("main h1").wait_for()
    assert popup.evaluate("window.modpack.state().tracking") is True
    assert host.evaluate("window.lmsApi.cmi.core.lesson_status") == "incomplete"
    context.close()


def test_a_page_loads_only_its_own_media(page, server):
    base, state, *_ = server
    module = single_sco("rujukan-terpadu")
    package = served(server, "rujukan-terpadu", "scorm12", module)
    requested: list[str] = []
    # the institution's logo is in the bar of every screen: the one asset loaded everywhere
    page.on("request", lambda request: requested.append(request.url) if not request.url.endswith("/logo.svg") else None)
    frame = open_in_lms(page, base, package, new_session())
    assert [u for u in requested if "/assets/" in u or "/content/pages/" in u] == []  # the pre-test
    go_next(frame)
    frame.wait_for_function("Array.from(document.images).every(i => i.complete)")
    loaded = sorted(u.rsplit("/", 1)[-1] for u in requested if "/assets/" in u or "/content/pages/" in u)
    assert loaded == ["apa-itu-slrt.js", "satu-pintu.svg"]
    go_next(frame)  # a page with audio: the recording is not fetched until played
    assert not any(u.endswith(".mp3") for u in requested)


NUMBERS = [
    ("1.000", "id-ID", 1000), ("1.000,5", "id-ID", 1000.5), ("1,000", "id-ID", 1), ("Rp 2.500", "id-ID", 2500),
    ("3,5", "id-ID", 3.5), ("1.000.000", "id-ID", 1000000), ("-1.000", "id-ID", -1000), ("1 000", "id-ID", 1000),
    ("100000", "id-ID", 100000), ("1,000", "en-US", 1000), ("1,000.5", "en-US", 1000.5), ("1,000,000", "en-US", 1000000),
    ("12.5", "en-US", 12.5), ("1.000,50", "en-US", 1000.5),
    ("1.2.3", "id-ID", None), ("1,000,000", "id-ID", None), ("dua ribu", "id-ID", None), ("", "id-ID", None),
]


def test_numbers_are_read_as_the_learner_writes_them(page, server):
    package = served(server, "kewirausahaan-sosial", "scorm12")
    page.goto(package.folder.joinpath("index.html").as_uri())
    page.locator("main h1").wait_for()
    got = page.evaluate("cases => cases.map(c => { var n = window.modpack.number(c[0], c[1]); return isNaN(n) ? null : n; })",
                        [[t, l] for t, l, _ in NUMBERS])
    for (text, lang, expected), value in zip(NUMBERS, got):
        assert value == expected, (text, lang, value)  # not a number: null
    # by default, in the language the learner reads the module in
    assert page.evaluate("window.modpack.number('1.000')") == 1000


@pytest.mark.browser  # needs terser from the npm packages .ci/run installs
def test_the_shipped_player_is_the_minified_source():
    """player/min/ is what tests/browser/minify.py makes of the sources now: run it after an edit."""
    import sys

    sys.path.insert(0, str(BROWSER))
    try:
        from minify import OUT, SCRIPTS, minified
    finally:
        sys.path.remove(str(BROWSER))
    for name in (*SCRIPTS, "player.css"):
        assert (OUT / name).read_bytes() == minified(name), f"run python tests/browser/minify.py ({name})"
