"""Interactive blocks, drag and drop, scenarios, themes and the certificate, in Chromium under
scorm-again (SCORM 1.2 and 2004) and against the LRS (cmi5): each block by pointer and by
keyboard, its state kept across a relaunch, no axe-core violation, within SCORM 1.2's
suspend_data for 200 pages with every block."""

from __future__ import annotations

import json
import textwrap

import pytest

import modpack

from .conftest import SAMPLES
from .player_support import (cmi, go_next, lms_errors, new_session, on_test, open_in_lms, screen, serve_package,
                             take_test, walk_to)

PAGE = """\
Pengantar sebelum blok.

```accordion
- {title: Pertama, text: Isi pertama.}
- {title: Kedua, text: Isi kedua.}
```

```tabs
- {title: Desa, text: Tugas di desa.}
- {title: Kabupaten, text: Tugas di kabupaten.}
- {title: Program, text: Tugas program.}
```

```flip-cards
- {front: PPKS, back: Pemerlu Pelayanan Kesejahteraan Sosial}
- {front: DTKS, back: Data Terpadu Kesejahteraan Sosial}
```

```steps
- {title: Satu, text: Langkah satu.}
- {title: Dua, text: Langkah dua.}
- {title: Tiga, text: Langkah tiga.}
```

```hotspots
image: ../gambar/peta.svg
alt: Peta desa
items:
  - {x: 20, y: 30, label: Balai desa, text: Tempat Puskesos.}
  - {x: 70, y: 60, label: Sekolah, text: Tempat anak belajar.}
```

```timeline
- {when: "2016", title: Dimulai}
- {when: "2020", title: Diperluas}
```

```callout
kind: did-you-know
text: Blok ini tanpa keadaan.
```

```check
scored: true
question:
  id: cek-desa
  type: single-choice
  prompt: Di mana Puskesos?
  choices: [{id: desa, text: Desa}, {id: provinsi, text: Provinsi}]
  correct: desa
```

```scenario
id: kasus
title: Ibu Sari
items:
  - id: awal
    text: Ibu Sari datang.
    choices:
      - {text: Dengarkan, next: dengar}
      - {text: Suruh pulang, next: pulang, feedback: Jangan begitu.}
  - id: dengar
    text: Keluhan dicatat.
    choices:
      - {text: Rujuk, next: baik}
  - {id: baik, text: Selesai dengan baik., outcome: good}
  - {id: pulang, text: Ibu Sari tidak kembali., outcome: poor}
```

```callout
kind: tip
text: Catat setiap kunjungan.
```
"""

MODULE = """\
id: modul-blok
title: Modul blok
iri_base: https://pelatihan.example.go.id/xapi/
workload: {self_paced_jp: 2}
theme: {primary: "#0b5394"}
lessons:
  - id: satu
    title: Satu
    pages:
      - {id: blok, title: Halaman blok, file: halaman/blok.md}
      - {id: akhir, title: Halaman akhir, text: Selesai.}
post_test:
  id: pasca
  pass_mark: 50
  questions:
    - id: kelompok
      type: categorize
      prompt: Kelompokkan.
      categories: [{id: desa, text: Desa}, {id: kota, text: Kota}]
      items: [{id: sawah, text: Sawah}, {id: kantor, text: Kantor bupati}, {id: puskesos, text: Puskesos}]
      correct: {sawah: desa, kantor: kota, puskesos: desa}
    - id: pasangan
      type: matching
      prompt: Pasangkan.
      sources: [{id: a, text: SLRT}, {id: b, text: PKH}]
      targets: [{id: x, text: Rujukan}, {id: y, text: Bantuan bersyarat}, {id: z, text: Pengecoh}]
      correct: {a: x, b: y}
"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 60"><rect width="100" height="60" fill="#ddd"/></svg>'


@pytest.fixture(scope="module")
def blocks_module(tmp_path_factory):
    folder = tmp_path_factory.mktemp("modul-blok")
    (folder / "module.yaml").write_text(MODULE, encoding="utf-8")
    (folder / "halaman").mkdir()
    (folder / "halaman" / "blok.md").write_text(PAGE, encoding="utf-8")
    (folder / "gambar").mkdir()
    (folder / "gambar" / "peta.svg").write_text(SVG, encoding="utf-8")
    return modpack.load(folder)


def _open(browser, server, module, standard, session=None, width=360):
    base, state, packages, zips = server
    package = serve_package(module, standard, packages, zips)
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    session = session or new_session()
    frame = open_in_lms(page, base, package, session)
    return context, page, frame, session, errors


def _block(frame, kind):
    return frame.locator(f'.mp-block[data-kind="{kind}"]')


def use_every_block(frame, keyboard: bool) -> None:
    """Work through every block as a learner: by pointer, or by keyboard alone."""
    def press(locator, key="Enter"):
        locator.focus()
        locator.press(key)

    accordion = _block(frame, "accordion").locator("summary")
    (press(accordion.nth(1)) if keyboard else accordion.nth(1).click())
    tabs = _block(frame, "tabs").get_by_role("tab")
    if keyboard:
        tabs.first.focus()
        tabs.first.press("ArrowRight")
        tabs.nth(1).press("ArrowRight")
    else:
        tabs.nth(2).click()
    assert tabs.nth(2).get_attribute("aria-selected") == "true"
    assert _block(frame, "tabs").locator('[role=tabpanel]:not([hidden])').inner_text().strip().endswith("Tugas program.")
    flip = _block(frame, "flip-cards").locator(".mp-flip").nth(1)
    (press(flip) if keyboard else flip.click())
    # heard with the face in view: its own text, not one more "Balik kartu"
    assert flip.inner_text() == "Lihat depan" and flip.get_attribute("aria-pressed") is None
    described = frame.locator("#" + flip.get_attribute("aria-describedby"))
    assert described.evaluate("e => e.classList.contains('mp-back')") and described.is_visible()
    assert _block(frame, "flip-cards").locator(".mp-card").nth(1).locator(".mp-back").is_visible()
    step = _block(frame, "steps").locator(".mp-next-step")
    for _ in range(2):
        (press(step) if keyboard else step.click())
    assert _block(frame, "steps").locator("li:not([hidden])").count() == 3 and not step.is_visible()
    spot = _block(frame, "hotspots").locator(".mp-spot").nth(1)
    (press(spot) if keyboard else spot.click())
    assert spot.get_attribute("aria-expanded") == "true"
    assert _block(frame, "hotspots").locator("ol > li:not([hidden])").inner_text().startswith("Sekolah")
    check = _block(frame, "check")
    radio = check.locator('input[value="0"]')
    if keyboard:
        radio.focus()
        radio.press("Space")
    else:
        radio.check()
    answer = check.get_by_role("button", name="Periksa jawaban")
    (press(answer) if keyboard else answer.click())
    assert check.locator(".mp-feedback.mp-ok").is_visible()
    scenario = _block(frame, "scenario")
    for choice in ("Dengarkan", "Rujuk"):
        button = scenario.get_by_role("button", name=choice)
        (press(button) if keyboard else button.click())
    assert scenario.locator(".mp-outcome.mp-good").is_visible()


def state_of(frame) -> dict:
    return frame.evaluate("window.modpack.state().state.blocks")


EXPECTED = {"blok": [2, 2, 2, 3, 2, None, None, 2 + 8 * 0 + 4 + 1, [0, 0]]}


@pytest.mark.parametrize("keyboard", [False, True], ids=["pointer", "keyboard"])
@pytest.mark.parametrize("standard", ["scorm12", "scorm2004"])
def test_every_block_by_pointer_and_keyboard_survives_a_relaunch(browser, server, blocks_module, standard, keyboard):
    module = blocks_module
    module.delivery.scorm12.structure = module.delivery.scorm2004.structure = "single-sco"
    context, page, frame, session, errors = _open(browser, server, module, standard)
    assert frame.locator("main h1").inner_text() == "Halaman blok"
    use_every_block(frame, keyboard)
    got = state_of(frame)["blok"]
    assert got[:5] == EXPECTED["blok"][:5] and got[7:] == EXPECTED["blok"][7:]
    data = cmi(page)["cmi"]
    if standard == "scorm12":
        interactions = list(data["interactions"].values()) if isinstance(data["interactions"], dict) else data["interactions"]
        types = {i["type"] for i in interactions}
        assert {"choice", "performance"} <= types  # the scored check, the scenario's path
        assert json.loads(data["suspend_data"])["k"]
    assert lms_errors(page) == [] and errors == []
    page.close()  # the learner leaves; the relaunch restores every block as it was
    base = server[0]
    page = context.new_page()
    from .player_support import open_in_lms as reopen

    frame = reopen(page, base, serve_package(module, standard, server[2], server[3]), session)
    assert screen(frame)["id"] == "blok"
    got = state_of(frame)["blok"]
    assert got[:5] == EXPECTED["blok"][:5] and got[7:] == EXPECTED["blok"][7:]
    assert _block(frame, "accordion").locator("details").nth(1).get_attribute("open") is not None
    assert _block(frame, "tabs").get_by_role("tab").nth(2).get_attribute("aria-selected") == "true"
    assert _block(frame, "flip-cards").locator(".mp-card").nth(1).locator(".mp-back").is_visible()
    assert _block(frame, "steps").locator("li:not([hidden])").count() == 3
    assert "mp-visited" in _block(frame, "hotspots").locator(".mp-spot").nth(1).get_attribute("class")
    assert _block(frame, "check").locator(".mp-feedback.mp-ok").is_visible()
    assert _block(frame, "scenario").locator(".mp-outcome.mp-good").is_visible()
    context.close()


@pytest.mark.parametrize("how", ["drag", "tap", "keyboard"])
def test_categorize_and_matching_by_drag_tap_or_keys(browser, server, blocks_module, how):
    module = blocks_module
    module.delivery.scorm12.structure = "single-sco"
    context, page, frame, session, errors = _open(browser, server, module, "scorm2004")
    walk_to(frame, on_test("pasca"))
    test = module.post_test
    if how == "drag":
        for question in test.questions:
            box = frame.locator(f'fieldset[data-question="{question.id}"]')
            items = question.items if question.type == "categorize" else question.sources
            places = question.categories if question.type == "categorize" else question.targets
            for k, item in enumerate(items):
                name = next(iter(next(p for p in places if p.id == question.correct[item.id]).text.values()))
                chip = box.locator(f'.mp-chip[data-item="{k}"]')
                target = box.locator(f'.mp-place:has(> .mp-place-name:text-is("{name}"))')
                chip.drag_to(target)
        frame.locator(".mp-test button[type=submit]").click()
    else:
        take_test(frame, test, correct=True) if how == "tap" else _keyboard_test(frame, test)
    frame.locator(".mp-score").wait_for()
    assert frame.locator(".mp-score").inner_text().startswith("Nilai: 100")
    data = cmi(page)["cmi"]
    items = list(data["interactions"].values()) if isinstance(data["interactions"], dict) else data["interactions"]
    kinds = {i["type"]: i for i in items}
    assert kinds["matching"]["result"] == "correct"
    categorize = next(i for i in items if i["id"].endswith(".kelompok"))
    assert categorize["learner_response"] == "sawah[.]desa[,]kantor[.]kota[,]puskesos[.]desa"
    assert lms_errors(page) == [] and errors == []
    context.close()


def _keyboard_test(frame, test):
    from .player_support import answer

    for question in test.questions:
        answer(frame, question, correct=True, keyboard=True)
    submit = frame.locator(".mp-test button[type=submit]")
    submit.focus()
    submit.press("Enter")


def test_blocks_are_accessible_in_light_and_dark_at_360_px(browser, server, blocks_module):
    from .test_player import SCREENSHOTS, axe

    module = blocks_module
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context, page, frame, session, errors = _open(browser, server, module, "scorm12")
    use_every_block(frame, keyboard=False)
    found = axe(frame)
    assert frame.evaluate("document.documentElement.scrollWidth") <= 360
    height = frame.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 360, "height": height})  # the whole page of blocks, in one picture
    frame.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "blocks-360.png"))
    page.set_viewport_size({"width": 360, "height": 800})
    frame.locator(".mp-dark").click()
    assert frame.evaluate("document.documentElement.getAttribute('data-mode')") == "dark"
    found += axe(frame)
    page.screenshot(path=str(SCREENSHOTS / "blocks-dark-360.png"))
    frame.locator(".mp-larger").click()
    assert frame.evaluate("document.documentElement.style.fontSize") == "112.5%"
    assert frame.evaluate("document.documentElement.scrollWidth") <= 360
    walk_to(frame, on_test("pasca"))
    found += axe(frame)
    small = frame.evaluate("""() => Array.from(document.querySelectorAll('button:not([disabled]), summary, input'))
        .filter(e => e.offsetParent !== null && e.type !== 'radio' && e.type !== 'checkbox')
        .map(e => e.getBoundingClientRect()).filter(r => r.height < 44 || r.width < 44).length""")
    assert small == 0
    assert found == [], json.dumps(found, indent=1)
    context.close()


def _said(frame) -> str:
    """What the live region says once the player has said it (it speaks after a short pause)."""
    frame.wait_for_function("document.querySelector('.mp-live').textContent !== ''")
    return frame.locator(".mp-live").inner_text()


def test_a_learner_by_keyboard_or_screen_reader_keeps_focus_and_hears_what_changed(browser, server, blocks_module):
    """From an accessibility review at 360 px: after "Coba lagi" focus fell to the page; "Periksa
    jawaban" with nothing chosen did nothing, silently; the check's question was not heard with
    its choices; a scenario's feedback came before where focus landed, so it was never read; and
    a matching place taken by another item sent that item back without a word."""
    module = blocks_module
    module.delivery.scorm12.structure = "single-sco"
    context, page, frame, session, errors = _open(browser, server, module, "scorm12")
    # the bar counts pages read, the pager screens: each says which; no empty list before a spot is open
    assert frame.locator("#mp-count").inner_text().endswith("halaman dibaca")
    assert _block(frame, "hotspots").locator("ol").is_hidden()
    check = _block(frame, "check")
    fieldset = check.locator("fieldset")
    assert frame.locator("#" + fieldset.get_attribute("aria-describedby")).inner_text() == "Di mana Puskesos?"
    check.get_by_role("button", name="Periksa jawaban").click()
    assert check.locator(".mp-note").inner_text() == "Pilih jawaban dulu." and _said(frame) == "Pilih jawaban dulu."
    check.locator('input[value="1"]').check()
    check.get_by_role("button", name="Periksa jawaban").click()
    assert check.locator(".mp-feedback").is_visible()
    retry = check.get_by_role("button", name="Coba lagi")
    retry.focus()
    retry.press("Enter")
    assert frame.evaluate("document.activeElement.name") == fieldset.locator("input").first.get_attribute("name")
    assert frame.evaluate("document.activeElement.value") == "0" and "dikosongkan" in _said(frame)
    scenario = _block(frame, "scenario")
    scenario.get_by_role("button", name="Suruh pulang").click()
    focused = frame.evaluate("[document.activeElement.className, document.activeElement.innerText]")
    assert focused[0] == "mp-turn" and focused[1].index("Jangan begitu.") < focused[1].index("Ibu Sari tidak kembali.")
    assert focused[1].rstrip().endswith("Hasil: kurang tepat. Coba jalan lain.")  # the outcome is read with them
    assert scenario.locator("[aria-live]").count() == 0
    walk_to(frame, on_test("pasca"))
    question = module.post_test.questions[1]
    box = frame.locator(f'fieldset[data-question="{question.id}"]')
    from .player_support import place

    place(box, 0, question.targets[0])
    place(box, 1, question.targets[0])  # PKH where SLRT was: SLRT goes back, and is said to
    frame.wait_for_function("document.querySelector('.mp-live').textContent.indexOf('PKH ditempatkan') === 0")
    assert _said(frame) == "PKH ditempatkan di Rujukan. SLRT dikembalikan."
    assert errors == []
    context.close()


def test_the_note_of_an_unreachable_lms_never_covers_the_control_in_focus(browser, server, blocks_module):
    """The note that the LMS cannot be reached sticks to the screen's foot, 116 px high at 360 px:
    tabbing landed on radios and buttons hidden behind it (WCAG 2.4.11)."""
    context, page, frame, session, errors = _open(browser, server, blocks_module, "scorm12")
    page.evaluate("window.lmsOutage('false')")  # SetValue and Commit answer false
    check = _block(frame, "check")
    check.locator("input").first.check()
    check.get_by_role("button", name="Periksa jawaban").click()
    frame.locator(".mp-saving:not([hidden])").wait_for()
    frame.evaluate("window.scrollTo(0, 0)")
    covered, seen = [], 0
    for _ in range(30):
        page.keyboard.press("Tab")
        found = frame.evaluate("""() => {
            const f = document.activeElement, n = document.querySelector('.mp-saving');
            if (!f || f === document.body || n.contains(f)) return null;
            const a = f.getBoundingClientRect(), b = n.getBoundingClientRect();
            return a.bottom > b.top + 1 && a.top < b.bottom ? f.outerHTML.slice(0, 80) : ''; }""")
        seen += found is not None
        covered += [found] if found else []
    assert seen > 20 and covered == []
    context.close()


def test_in_forced_colours_the_chosen_tab_and_the_picked_item_keep_a_mark(browser, server, blocks_module):
    """Forced colours (high contrast) drew the chosen tab like the others: only its colour set it apart."""
    base, state, packages, zips = server
    context = browser.new_context(viewport={"width": 360, "height": 800}, forced_colors="active")
    frame = open_in_lms(context.new_page(), base, serve_package(blocks_module, "scorm12", packages, zips), new_session())
    tabs = _block(frame, "tabs").get_by_role("tab")
    style = "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).borderTopWidth]"
    assert tabs.nth(0).get_attribute("aria-selected") == "true"
    assert tabs.nth(0).evaluate(style) != tabs.nth(1).evaluate(style)
    context.close()


def test_at_360_px_and_larger_text_words_stay_whole_and_nothing_scrolls_sideways(browser, server, tmp_path):
    """The pager broke "Berikutny|a" at 360 px (overflow-wrap: anywhere); flip cards were wider
    than the screen at 200% text; a hotspot at x=0 stuck out of its picture; the size was said
    as "112.5%", which reads as 112,500 in Indonesian."""
    folder = tmp_path / "modul-blok"
    folder.mkdir()
    (folder / "module.yaml").write_text(MODULE, encoding="utf-8")
    (folder / "halaman").mkdir()
    (folder / "halaman" / "blok.md").write_text(PAGE.replace("{x: 20, y: 30,", "{x: 0, y: 100,"), encoding="utf-8")
    (folder / "gambar").mkdir()
    (folder / "gambar" / "peta.svg").write_text(SVG, encoding="utf-8")
    module = modpack.load(folder)
    context, page, frame, session, errors = _open(browser, server, module, "scorm12")
    # a browser without clamp() (Chrome before 79) keeps the plain percentage written before it
    assert frame.locator(".mp-spot").first.get_attribute("style").startswith("left:0%;left:clamp(")
    lines_of = """() => Array.from(document.querySelectorAll('.mp-pager button, .mp-where')).map(e => {
        const r = document.createRange(); r.selectNodeContents(e);
        return new Set(Array.from(r.getClientRects()).map(c => Math.round(c.top))).size; })"""
    assert frame.evaluate(lines_of) == [1, 1, 1]
    frame.locator(".mp-larger").click()
    assert "112,5" in _said(frame)
    for _ in range(2):
        frame.locator(".mp-larger").click()
    assert frame.evaluate("document.documentElement.style.fontSize") == "150%"
    assert set(frame.evaluate(lines_of)) == {1}
    frame.evaluate("document.documentElement.style.fontSize = '200%'")  # the phone's own largest text
    assert frame.evaluate("document.documentElement.scrollWidth") <= 360
    spot = frame.evaluate("""() => { const s = document.querySelector('.mp-spot').getBoundingClientRect(),
        i = document.querySelector('.mp-hs-image').getBoundingClientRect();
        return [s.left >= i.left, s.right <= i.right, s.bottom <= i.bottom]; }""")
    assert spot == [True, True, True]
    assert errors == []
    context.close()


def test_blocks_pass_axe_best_practice_too(browser, server, blocks_module):
    """Beyond WCAG's rules: four callouts were four unnamed landmarks, and block headings jumped
    from the page's h1 to h3."""
    from .test_player import AXE

    context, page, frame, session, errors = _open(browser, server, blocks_module, "scorm12")
    use_every_block(frame, keyboard=False)
    frame.add_script_tag(path=str(AXE))
    found = frame.evaluate("() => axe.run(document, {runOnly: {type: 'tag', values: ['best-practice']}})"
                           ".then(r => r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))]))")
    assert found == [], json.dumps(found, indent=1)
    context.close()


def test_the_theme_colours_the_player(browser, server, blocks_module):
    context, page, frame, session, errors = _open(browser, server, blocks_module, "scorm12")
    colour = frame.evaluate("getComputedStyle(document.querySelector('.mp-bar')).backgroundColor")
    assert colour == "rgb(11, 83, 148)"  # #0b5394
    context.close()


def test_the_certificate_once_complete_with_the_learner_name_printable(browser, server, blocks_module):
    module = blocks_module
    context, page, frame, session, errors = _open(browser, server, module, "scorm12")
    walk_to(frame, lambda f: screen(f)["kind"] == "certificate")
    assert frame.locator(".mp-certificate").count() == 0  # not complete yet
    frame.locator(".mp-prev").click()
    frame.wait_for_function("window.modpack.state().screen.kind === 'test'")
    take_test(frame, module.post_test, correct=True)
    go_next(frame)
    certificate = frame.locator(".mp-certificate")
    certificate.wait_for()
    text = certificate.inner_text()
    assert "Modul blok" in text and "2 JP" in text and "Dewi Sari" in text  # "Sari, Dewi" in the LMS
    page.emulate_media(media="print")
    assert frame.evaluate("getComputedStyle(document.querySelector('.mp-pager')).visibility") == "hidden"
    assert frame.evaluate("getComputedStyle(document.querySelector('.mp-certificate h2')).visibility") == "visible"
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
    context.close()


def test_suspend_data_fits_scorm12_for_200_pages_with_every_block(browser, server, tmp_path):
    """Every block on each of 200 pages, each used: the state still fits 4,096 characters."""
    folder = tmp_path / "besar"
    (folder / "halaman").mkdir(parents=True)
    (folder / "gambar").mkdir()
    (folder / "gambar" / "peta.svg").write_text(SVG, encoding="utf-8")
    (folder / "halaman" / "blok.md").write_text(PAGE, encoding="utf-8")
    pages = "\n".join(f"      - {{id: h{n}, title: Halaman {n}, file: halaman/blok.md}}" for n in range(200))
    (folder / "module.yaml").write_text(textwrap.dedent(f"""\
        id: modul-besar
        title: Modul besar
        iri_base: https://pelatihan.example.go.id/xapi/
        workload: {{self_paced_jp: 10}}
        lessons:
          - id: satu
            title: Satu
            pages:
        """) + pages + "\n", encoding="utf-8")
    module = modpack.load(folder)
    context, page, frame, session, errors = _open(browser, server, module, "scorm12")
    # every page's every block in its fullest state, as if the learner had used them all
    frame.evaluate("""() => { var s = window.modpack.state().state;
        for (var n = 0; n < 200; n++) s.blocks['h' + n] = [3, 2, 3, 3, 3, null, null, 2 + 8 + 4 + 1, [0, 0]]; }""")
    go_next(frame)
    data = cmi(page)["cmi"]
    assert len(data["suspend_data"]) <= 4096, len(data["suspend_data"])
    assert len(json.loads(data["suspend_data"])["k"]) >= 200 * 9
    assert lms_errors(page) == []
    context.close()


def test_cmi5_checks_scenarios_and_categorize_reach_the_lrs_and_resume(browser, blocks_module, tmp_path):
    """Against the LRS: a knowledge check and a scenario become answered statements Learning
    Locker accepts and validates; the blocks' state comes back in a new session."""
    from .lrs_support import LearningLocker, xapi_validation_warnings
    from .test_cmi5 import LRS_AUTH, open_au, start_preview, wait_for

    module = blocks_module
    module.delivery.cmi5.structure = "single-au"
    lrs = LearningLocker().start()
    try:
        server, state, base = start_preview(module, lrs, tmp_path)
        context, page, frame, errors = open_au(browser, base)
        use_every_block(frame, keyboard=False)
        walk_to(frame, on_test("pasca"))
        take_test(frame, module.post_test, correct=True)

        def answered():
            return [s for s in lrs.statements() if s["verb"]["id"].endswith("/answered")]

        wait_for(lambda: len(answered()) >= 4)  # the check, the scenario, two test questions
        by_object = {s["object"]["id"]: s for s in answered()}
        check = by_object[f"{module.iri}/pages/blok/checks/cek-desa"]
        assert check["result"]["success"] is True and check["object"]["definition"]["interactionType"] == "choice"
        scenario = by_object[f"{module.iri}/scenarios/kasus"]
        assert scenario["result"]["response"] == "awal[.]0[,]dengar[.]0"
        assert scenario["object"]["definition"]["interactionType"] == "performance"
        assert scenario["result"]["extensions"][f"{module.iri}/extensions/outcome"] == "good"
        categorize = by_object[f"{module.iri}/assessments/pasca/questions/kelompok"]
        assert categorize["object"]["definition"]["interactionType"] == "matching" and categorize["result"]["success"]
        assert xapi_validation_warnings(b"\n".join(json.dumps(s).encode() for s in answered())) == []
        assert errors == []
        context.close()
        # a new session of the same registration: the blocks are as the learner left them
        context, page, frame, errors = open_au(browser, base)
        for _ in range(5):  # back from where they left (the post-test) to the page of blocks
            if screen(frame)["id"] == "blok":
                break
            before = frame.evaluate("window.modpack.state().state.at")
            frame.locator(".mp-prev").click()
            frame.wait_for_function(f"window.modpack.state().state.at !== {before}")
        got = state_of(frame)["blok"]
        assert got[:5] == EXPECTED["blok"][:5] and got[7:] == EXPECTED["blok"][7:]
        context.close()
        server.stop()
    finally:
        lrs.stop()
