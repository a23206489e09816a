"""Driving the player in Debian's Chromium, with scorm-again as the LMS (see tests/browser/)."""

from __future__ import annotations

import itertools
import re
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Frame, Page

import modpack
from modpack.model import Module

BROWSER = Path(__file__).resolve().parent / "browser"
CHROMIUM = os.environ.get("MODPACK_CHROMIUM", "/usr/bin/chromium")
# The flags this machine needs: no sandbox as root, and no background traffic to a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
_sessions = itertools.count(1)


def new_session() -> str:
    return f"s{next(_sessions)}"


@dataclass
class Served:
    """A built package, unzipped where the test LMS serves it."""

    module: Module
    standard: str
    folder: Path
    url: str  # of its launch page, under /pkg/
    launch: str


def serve_package(module: Module, standard: str, packages: Path, out: Path, launch: str = "index.html") -> Served:
    zip_path = modpack.build_package(module, standard, out)
    folder = packages / f"{zip_path.stem}-{module.delivery.scorm12.structure}-{module.delivery.scorm2004.structure}"
    shutil.rmtree(folder, ignore_errors=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    return Served(module, standard, folder, f"/pkg/{folder.name}/{launch}", launch)


def open_in_lms(page: Page, base: str, served: Served, session: str, **params: str) -> Frame:
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    page.goto(f"{base}/host.html?std={served.standard}&session={session}&launch={served.url}{extra}")
    frame = page.frame_locator("#sco")
    frame.locator("h1").first.wait_for()
    inner = page.frame(url=lambda url: urlsplit(url).path.startswith("/pkg/"))
    drawn(inner)
    return inner


def heading(frame: Frame) -> str:
    drawn(frame)
    return frame.locator("main h1").inner_text()


def drawn(frame: Frame) -> None:
    """Wait until the screen the player is on has been drawn (a page's text loads first)."""
    frame.wait_for_function("document.querySelector('main') && document.querySelector('main').dataset.at"
                            " === String(window.modpack.state().state.at)")


def go_next(frame: Frame) -> None:
    before = frame.evaluate("window.modpack.state().state.at")
    frame.locator(".mp-next").click()
    frame.wait_for_function(f"window.modpack.state().state.at !== {before}")
    drawn(frame)


def walk_to(frame: Frame, predicate) -> None:
    """Press Next until ``predicate(frame)`` holds (at most 500 screens)."""
    for _ in range(500):
        if predicate(frame):
            return
        go_next(frame)
    raise AssertionError("never reached the wanted screen")


def screen(frame: Frame) -> dict:
    """{'kind': 'page' or 'test', 'id': ...} of what the player shows."""
    drawn(frame)
    return frame.evaluate("window.modpack.state().screen")


def on_test(test_id: str):
    return lambda frame: screen(frame) == {"kind": "test", "id": test_id}


def place(box, item: int, target, keyboard: bool = False) -> None:
    """Put item ``item`` in ``target`` through the tap (or keyboard) way of the answer area."""
    chip = box.locator(f'.mp-chip[data-item="{item}"]')
    name = next(iter(target.text.values()))
    label = re.sub(r"<[^>]+>", "", name).replace('"', '\\"')
    drop = box.locator(f'.mp-place:has(> .mp-place-name:text-is("{label}")) .mp-drop')
    if keyboard:
        chip.focus()
        chip.press("Enter")
        drop.first.focus()
        drop.first.press("Enter")
    else:
        chip.click()
        drop.first.click()


def answer(frame: Frame, question, correct: bool = True, keyboard: bool = False) -> None:
    """Answer one question on the current test screen through its controls, like a learner."""
    box = frame.locator(f'fieldset[data-question="{question.id}"]')
    kind = question.type
    if kind in ("single-choice", "multiple-response"):
        ids = [c.id for c in question.choices]
        wanted = [question.correct] if kind == "single-choice" else list(question.correct)
        if not correct:
            wanted = [next(i for i in ids if i not in wanted)]
        for choice in wanted:
            box.locator(f'input[value="{ids.index(choice)}"]').check()
    elif kind == "true-false":
        value = question.correct if correct else not question.correct
        box.locator(f'input[value="{1 if value else 0}"]').check()
    elif kind == "fill-in":
        text = next(iter(question.accepted[0].values()))
        box.locator("input[type=text]").fill(text if correct else text + " salah")
    elif kind == "numeric":
        value = question.correct if question.correct is not None else question.min
        typed = value if correct else value + 12345
        # as an Indonesian learner writes it: 2000 as "2.000", 1.5 as "1,5"
        text = f"{typed:,.0f}".replace(",", ".") if float(typed).is_integer() else f"{typed:g}".replace(".", ",")
        box.locator("input[type=text]").fill(text)
    elif kind in ("matching", "categorize"):
        # by tap (or Enter): pick an item, then the place it goes; by pointer: drag it (see test_blocks)
        items = question.sources if kind == "matching" else question.items
        places = question.targets if kind == "matching" else question.categories
        names = [p.id for p in places]
        for k, item in enumerate(items):
            wanted = question.correct[item.id]
            if not correct:
                wanted = next(p for p in names if p != wanted)
            place(box, k, places[names.index(wanted)], keyboard=keyboard)
    elif kind == "ordering":
        # the definition lists the items in their right order; the package ships them shuffled
        goal = [item.id for item in question.items]
        if not correct:
            goal = goal[1:] + goal[:1]
        for position, item_id in enumerate(goal):
            for _ in range(len(goal)):
                order = box.locator("li").evaluate_all("els => els.map(e => e.dataset.id)")
                if order.index(item_id) == position:
                    break
                shipped = box.locator(f'li[data-id="{item_id}"]').get_attribute("data-item")
                box.locator(f'button[data-key="u{shipped}"]').click()


def take_test(frame: Frame, test, correct: bool = True) -> float:
    """Answer every question shown for ``test`` and submit; returns the score the player shows."""
    questions = {q.id: q for q in test.all_questions()}
    shown = frame.locator("form.mp-test fieldset[data-question]").evaluate_all("els => els.map(e => e.dataset.question)")
    for qid in shown:
        answer(frame, questions[qid], correct)
    frame.locator("form.mp-test button[type=submit]").click()
    frame.locator(".mp-score").wait_for()
    return float(frame.locator(".mp-score").inner_text().split(":")[1].split("—")[0].strip())


def cmi(page: Page) -> dict:
    """The LMS's CMI as scorm-again holds it."""
    return page.evaluate("JSON.parse(JSON.stringify(window.lmsApi.renderCMIToJSONObject()))")



def lms_errors(page: Page) -> list[str]:
    """Every call the player made that scorm-again refused (see host.html)."""
    return page.evaluate("window.lmsErrors")
