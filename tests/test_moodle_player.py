"""Every SCO of both samples played in Chromium under Moodle's runtime rules (issue 18).

The LMS side is scorm-again with Moodle's data model patterns checked on every SetValue
(tests/browser/host.html): what Moodle would refuse (406 in SCORM 2004, 405 in 1.2) is an error
here. Each sample is played SCO by SCO in its per-lesson structure: every lesson to its end, the
post-test failed, left, resumed and passed.
"""

from __future__ import annotations

import json
import zipfile

import pytest

import modpack
from modpack.player import label

from .conftest import MINIMAL, SAMPLE_MODULES
from .player_support import cmi, go_next, lms_errors, new_session, open_in_lms, screen, serve_package, take_test


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    context.on("page", lambda tab: tab.on("dialog", lambda dialog: dialog.accept()))
    yield context
    context.close()
    assert errors == [], errors


def _interactions(page) -> list[dict]:
    data = cmi(page)["cmi"]
    items = data.get("interactions") or []
    return list(items.values()) if isinstance(items, dict) else items


def _to_the_end(frame) -> None:
    while frame.locator(".mp-next").inner_text() not in ("Selesai", "Finish"):
        go_next(frame)
        if screen(frame)["kind"] == "test":
            return


@pytest.mark.parametrize("standard", ["scorm2004", "scorm12"])
@pytest.mark.parametrize("folder", SAMPLE_MODULES, ids=lambda p: p.name)
def test_each_sco_passes_fails_and_resumes_under_moodles_rules(context, server, folder, standard):
    base, state, packages, zips = server
    module = modpack.load(folder)
    module.delivery.scorm12.structure = module.delivery.scorm2004.structure = "sco-per-lesson"
    page = context.new_page()
    for lesson in module.lessons:
        package = serve_package(module, standard, packages, zips, f"sco-{lesson.id}.html")
        frame = open_in_lms(page, base, package, new_session())
        _to_the_end(frame)
        if lesson.quiz:
            take_test(frame, lesson.quiz)
            _to_the_end(frame)
        frame.locator(".mp-next").click()
        # inside the LMS's frame a part of the module leads to the next part, it closes no window
        assert frame.locator("main p").inner_text() == label("finishedPart", "id-ID")
        assert lms_errors(page) == [], (lesson.id, lms_errors(page))
        if standard == "scorm2004":
            # no pass mark in a lesson: no scaled score for Moodle to judge against its 1.0 default
            assert not (cmi(page)["cmi"].get("score") or {}).get("scaled")
    post = module.post_test
    package = serve_package(module, standard, packages, zips, f"sco-{post.id}.html")
    session = new_session()
    frame = open_in_lms(page, base, package, session)
    assert screen(frame) == {"kind": "test", "id": post.id}
    asked = frame.locator("form.mp-test fieldset[data-question]").count()
    assert frame.locator("#mp-count").inner_text() == f"0 dari {asked} soal dijawab"  # a test's own progress
    score = take_test(frame, post, correct=False)
    assert score < post.pass_mark
    assert frame.locator("#mp-count").inner_text() == f"{asked} dari {asked} soal dijawab"
    frame = open_in_lms(page, base, package, session)  # left, then opened again: the LMS resumes
    frame.locator(".mp-result button").click()  # try again
    assert take_test(frame, post, correct=True) >= post.pass_mark
    assert lms_errors(page) == [], lms_errors(page)
    data = cmi(page)["cmi"]
    if standard == "scorm2004":
        assert data["success_status"] == "passed" and data["completion_status"] == "completed"
        ids = json.loads(zipfile.ZipFile(zips / f"{module.id}-{module.version}-scorm2004.zip").read("interactions.json"))
        written = _interactions(page)
        assert written and all(i["id"] in ids for i in written)
    else:
        assert data["core"]["lesson_status"] in ("passed", "completed")


RUPIAH = MINIMAL + """\
post_test:
  id: tes-akhir
  pass_mark: 50
  questions:
    - id: modal-usaha
      type: numeric
      prompt: Berapa rupiah modal usaha kelompok?
      correct: 150000
    - id: harga-sebungkus
      type: numeric
      prompt: Berapa rupiah harga sebungkus?
      min: 2000
      max: 2500
"""


def test_rupiah_amounts_beyond_five_digits_are_kept(context, server, write_module):
    """Moodle keeps at most 5 integer digits in a SCORM 2004 decimal: 150.000 goes as text (type
    'other') rather than being refused and lost; smaller numbers stay numeric."""
    base, state, packages, zips = server
    module = modpack.load(write_module(RUPIAH))
    page = context.new_page()
    frame = open_in_lms(page, base, serve_package(module, "scorm2004", packages, zips), new_session())
    while screen(frame)["kind"] != "test":
        go_next(frame)
    frame.locator('fieldset[data-question="modal-usaha"] input').fill("150.000")
    frame.locator('fieldset[data-question="harga-sebungkus"] input').fill("2.250")
    frame.locator("form.mp-test button[type=submit]").click()
    frame.locator(".mp-score").wait_for()
    found = {i["id"]: i for i in _interactions(page)}
    big, small = found["tes_akhir.modal_usaha"], found["tes_akhir.harga_sebungkus"]
    assert (big["type"], big["learner_response"], big["result"]) == ("other", "150000", "correct")
    patterns = big["correct_responses"]
    assert (patterns["0"] if isinstance(patterns, dict) else patterns[0])["pattern"] == "150000:150000"
    assert (small["type"], small["learner_response"], small["result"]) == ("numeric", "2250", "correct")
    assert lms_errors(page) == [], lms_errors(page)


TWO_LANGUAGES = MINIMAL.replace("title: Modul uji\n", "title: {id-ID: Modul uji, en-US: Test module}\nlanguages: [id-ID, en-US]\n") \
    .replace("title: Pelajaran satu\n", "title: {id-ID: Pelajaran satu, en-US: Lesson one}\n") \
    .replace("title: Halaman satu\n        file: halaman/satu.md\n",
             "title: {id-ID: Halaman satu, en-US: Page one}\n        text: {id-ID: Isi halaman., en-US: Page text.}\n") \
    + """\
  - id: pelajaran-dua
    title: {id-ID: Pelajaran dua, en-US: Lesson two}
    pages:
      - id: halaman-dua
        title: {id-ID: Halaman dua, en-US: Page two}
        text: {id-ID: Isi halaman dua., en-US: Page two text.}
delivery:
  scorm2004: {structure: sco-per-lesson}
"""


@pytest.mark.parametrize("case, params, locale, expected", [
    ("the LMS's learner preference", {"learner_lang": "en", "host_lang": "id"}, "id-ID", "en-US"),
    ("the LMS page's language", {"host_lang": "en"}, "id-ID", "en-US"),
    ("the browser's language", {"host_lang": ""}, "en-US", "en-US"),
    ("the browser's language", {"host_lang": ""}, "id-ID", "id-ID"),
    ("nothing known: the module's first", {"host_lang": ""}, "fr-FR", "id-ID"),
])
def test_language_from_the_lms_then_its_page_then_the_browser(browser, server, write_module, case, params, locale, expected):
    base, state, packages, zips = server
    module = modpack.load(write_module(TWO_LANGUAGES))
    package = serve_package(module, "scorm2004", packages, zips, "sco-pelajaran-satu.html")
    context = browser.new_context(locale=locale)
    page = context.new_page()
    frame = open_in_lms(page, base, package, new_session(), **params)
    assert frame.evaluate("window.modpack.state().state.lang") == expected, case
    context.close()


def test_the_learners_choice_is_remembered_for_every_part(browser, server, write_module):
    base, state, packages, zips = server
    module = modpack.load(write_module(TWO_LANGUAGES))
    context = browser.new_context()
    page = context.new_page()
    one = serve_package(module, "scorm2004", packages, zips, "sco-pelajaran-satu.html")
    frame = open_in_lms(page, base, one, new_session())
    assert frame.locator("main h1").inner_text() == "Halaman satu"
    frame.locator("#mp-lang").select_option("en-US")
    frame.locator("main h1", has_text="Page one").wait_for()
    assert cmi(page)["cmi"]["learner_preference"]["language"] == "en-US"  # told to the LMS too
    two = serve_package(module, "scorm2004", packages, zips, "sco-pelajaran-dua.html")
    frame = open_in_lms(page, base, two, new_session())  # another SCO, a first launch
    assert frame.locator("main h1").inner_text() == "Page two"
    assert lms_errors(page) == []
    context.close()


def test_a_single_sco_in_a_frame_or_a_window_says_what_to_do(browser, server, write_module):
    base, state, packages, zips = server
    module = modpack.load(write_module(MINIMAL))
    package = serve_package(module, "scorm12", packages, zips)
    context = browser.new_context()
    page = context.new_page()
    frame = open_in_lms(page, base, package, new_session())
    _to_the_end(frame)
    frame.locator(".mp-next").click()
    assert frame.locator("main p").inner_text() == label("finishedFramed", "id-ID")
    host = context.new_page()
    with context.expect_page() as opened:
        host.goto(f"{base}/host.html?std=scorm12&session={new_session()}&launch={package.url}&popup=1")
    window = opened.value
    window.locator("main h1").wait_for()
    while window.locator(".mp-next").inner_text() != "Selesai":
        window.locator(".mp-next").click()
    window.locator(".mp-next").click()
    window.locator("main p").wait_for()
    assert window.locator("main p").inner_text() == label("finished", "id-ID")  # its own window: close it
    context.close()
