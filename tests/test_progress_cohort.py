"""`modpack progress` against the real LRS: a cohort of 50 learners, some driven through the
packages in Debian's Chromium (Tin Can straight to the LRS, cmi5 through `modpack preview`), the
rest through `modpack statements` and `modpack send`; the report's numbers are checked against a
count made by hand (the table in this docstring's test).

The cohort began 9 days before today (day 1 to day 10 of a 15-day diklat: one module of two is
due by now). Module A is rujukan-terpadu (4 JP self-paced, a 2 JP session, post-test pass mark
70), module B is kewirausahaan-sosial (3 JP, a 2 JP session, pass mark 75).

| learners | district            | what they did                                  | modules | JP | inactive |
|----------|---------------------|------------------------------------------------|---------|----|----------|
| 1-10     | Kab. Bogor          | A: session, post-test 85, completed (day 9)    | 1       | 6  | 1        |
| 11-15    | Kota Makassar       | the same on day 3                              | 1       | 6  | 7        |
| 16-25    | Kab. Kupang         | A: session only (day 2)                        | 0       | 2  | 8        |
| 26-30    | Kab. Jayapura       | A: post-test failed, 50 (day 4) and 60 (day 5) | 0       | 0  | 5        |
| 31-35    | Kab. Jayapura       | nothing                                        | 0       | 0  | 9        |
| 36-40    | Kab. Sumba Timur    | nothing                                        | 0       | 0  | 9        |
| 41       | Kota Makassar       | A as 11-15 on day 4; B in the browser, passed   | 2       | 9  | 0        |
| 42       | Kab. Sumba Timur    | B in the browser: post-test failed twice       | 0       | 0  | 0        |
| 43       | Kab. Sumba Timur    | B in the browser: lesson 1 read, then left     | 0       | 0  | 0        |
| 44       | Kota Makassar       | A as 41, with 'send'; B through cmi5, passed   | 2       | 9  | 0        |
| 45-47    | Kota Makassar       | A completed (day 6, no session); B session     | 1       | 6  | 4        |
| 48-50    | Kab. Sumba Timur    | the same                                       | 1       | 6  | 4        |
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import urllib.parse
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import modpack
from modpack import preview

from .conftest import SAMPLES
from .lrs_support import LearningLocker
from .player_support import go_next, on_test, screen, take_test, walk_to
from .test_cmi5 import LRS_AUTH, finish, open_au, verbs, wait_for

JAKARTA = ZoneInfo("Asia/Jakarta")
DISTRICTS = {"Kab. Bogor": "Jawa Barat", "Kota Makassar": "Sulawesi Selatan", "Kab. Kupang": "Nusa Tenggara Timur",
             "Kab. Jayapura": "Papua", "Kab. Sumba Timur": "Nusa Tenggara Timur"}


def district_of(n: int) -> str:
    if n <= 10:
        return "Kab. Bogor"
    if n <= 15 or n in (41, 44) or 45 <= n <= 47:
        return "Kota Makassar"
    if n <= 25:
        return "Kab. Kupang"
    if n <= 35:
        return "Kab. Jayapura"
    return "Kab. Sumba Timur"


def email(n: int) -> str:
    return f"peserta{n:02d}@example.id"


@pytest.fixture
def lrs():
    server = LearningLocker().start()
    yield server
    server.stop()


def write_cohort(path: Path, start: date) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")  # as a spreadsheet set to Indonesian saves it
        writer.writerow(["Email", "Akun", "Nama", "Kabupaten/Kota", "Provinsi", "Peran", "Tanggal mulai"])
        for n in range(1, 51):
            account = "peserta" if n == 44 else ""
            mail = "" if n == 44 else email(n)
            writer.writerow([mail, account, f"Peserta {n:02d}", district_of(n), DISTRICTS[district_of(n)],
                             "Pendamping PKH", start.strftime("%d/%m/%Y")])


def write_records(path: Path, start: date) -> None:
    def at(day: int, hour: int = 9) -> str:  # day 1 is the cohort's first day
        return f"{(start + timedelta(days=day - 1)).isoformat()}T{hour:02d}:00:00+07:00"

    rows = []

    def who(n: int) -> dict[str, str]:
        if n == 44:
            return {"account": "peserta", "account_homepage": "https://lms.example.go.id", "name": "Peserta 44"}
        return {"email": email(n), "name": f"Peserta {n:02d}"}

    def completed_a(n: int, day: int, session: bool = True) -> None:
        if session:
            rows.append({"kind": "attendance", "item": "studi-kasus-rujukan", "timestamp": at(day, 8), **who(n)})
        rows.append({"kind": "test", "item": "pasca-tes", "score": "85", "max_score": "100", "timestamp": at(day, 10),
                     **who(n)})
        rows.append({"kind": "completion", "item": "rujukan-terpadu", "timestamp": at(day, 11), **who(n)})

    for n in range(1, 11):
        completed_a(n, 9)
    for n in range(11, 16):
        completed_a(n, 3)
    for n in range(16, 26):
        rows.append({"kind": "attendance", "item": "studi-kasus-rujukan", "timestamp": at(2), **who(n)})
    for n in range(26, 31):
        rows.append({"kind": "test", "item": "pasca-tes", "score": "50", "max_score": "100", "timestamp": at(4), **who(n)})
        rows.append({"kind": "test", "item": "pasca-tes", "score": "60", "max_score": "100", "timestamp": at(5), **who(n)})
    for n in (41, 44):
        completed_a(n, 4)
    for n in range(45, 51):
        rows.append({"kind": "completion", "item": "rujukan-terpadu", "timestamp": at(6, 11), **who(n)})
    rows.append({"kind": "attendance", "item": "studi-kasus-rujukan", "timestamp": at(2),
                 "email": "bukan.peserta@example.id", "name": "Bukan Peserta"})  # not in the cohort
    sessions_b = [{"kind": "attendance", "item": "klinik-rencana-usaha", "timestamp": at(6, 14), **who(n)}
                  for n in range(45, 51)]
    columns = ["kind", "email", "account", "account_homepage", "name", "item", "timestamp", "score", "max_score"]
    for name, part in (("a", rows), ("b", sessions_b)):
        with (path / f"records-{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            writer.writerows(part)


def modpack_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True,
                          env={**os.environ, "MODPACK_LANG": "en", **(env or {})}, timeout=300)


def send_records(tmp_path: Path, lrs: LearningLocker) -> None:
    for name, module in (("a", "rujukan-terpadu"), ("b", "kewirausahaan-sosial")):
        out = tmp_path / f"records-{name}.jsonl"
        made = modpack_cli("statements", str(tmp_path / f"records-{name}.csv"), "--module", str(SAMPLES / module),
                           "--course", str(SAMPLES / "course.yaml"), "-o", str(out))
        assert made.returncode == 0, made.stderr
        sent = modpack_cli("send", str(out), "--lrs", lrs.endpoint, env={"MODPACK_LRS_AUTH": LRS_AUTH})
        assert sent.returncode == 0, sent.stderr


def tincan(browser, httpd_port: int, lrs: LearningLocker, n: int, registration: str):
    actor = {"objectType": "Agent", "name": f"Peserta {n:02d}", "mbox": f"mailto:{email(n)}"}
    query = urllib.parse.urlencode({"endpoint": lrs.endpoint, "auth": LRS_AUTH, "actor": json.dumps(actor),
                                    "registration": registration})
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(f"http://127.0.0.1:{httpd_port}/pkg/tincan/index.html?{query}")
    page.locator("main h1").wait_for()
    frame = page.main_frame
    assert frame.evaluate("window.modpack.state().tracking") is True
    return context, page, frame


def held_by(lrs: LearningLocker, mbox: str) -> list[str]:
    return verbs([s for s in lrs.statements() if s["actor"].get("mbox") == mbox])


def drive_browser_learners(browser, lrs: LearningLocker, tmp_path: Path) -> None:
    from .browser import lms as static_server

    module_b = modpack.load(SAMPLES / "kewirausahaan-sosial")
    packages = tmp_path / "served"
    with zipfile.ZipFile(modpack.build_package(module_b, "xapi", tmp_path / "zip")) as archive:
        archive.extractall(packages / "tincan")
    httpd, _ = static_server.start(packages)
    port = httpd.server_address[1]
    post = module_b.post_test
    try:
        # 41: reads everything, passes the post-test
        context, page, frame = tincan(browser, port, lrs, 41, "0b8f6c1e-41aa-4c7e-9d3a-0c6b8f1e2a41")
        walk_to(frame, on_test(post.id))
        take_test(frame, post)
        finish(frame)
        wait_for(lambda: {"passed", "completed", "terminated"} <= set(held_by(lrs, f"mailto:{email(41)}")), 30)
        context.close()
        # 42: fails the post-test, leaves, comes back and fails again
        registration = "0b8f6c1e-42aa-4c7e-9d3a-0c6b8f1e2a42"
        context, page, frame = tincan(browser, port, lrs, 42, registration)
        walk_to(frame, on_test(post.id))
        take_test(frame, post, correct=False)
        finish(frame)
        wait_for(lambda: "failed" in held_by(lrs, f"mailto:{email(42)}"), 30)
        context.close()
        context, page, frame = tincan(browser, port, lrs, 42, registration)
        # this LRS keeps no State API documents, so the relaunch starts afresh: a second attempt all the same
        walk_to(frame, on_test(post.id))
        if page.get_by_role("button", name="Coba lagi").count():
            page.get_by_role("button", name="Coba lagi").click()
        take_test(frame, post, correct=False)
        finish(frame)
        wait_for(lambda: held_by(lrs, f"mailto:{email(42)}").count("failed") == 2, 30)
        context.close()
        # 43: reads the first lesson's pages and leaves
        context, page, frame = tincan(browser, port, lrs, 43, "0b8f6c1e-43aa-4c7e-9d3a-0c6b8f1e2a43")
        last_page = module_b.lessons[0].pages[-1].id
        walk_to(frame, lambda f: screen(f) == {"kind": "page", "id": last_page})
        wait_for(lambda: held_by(lrs, f"mailto:{email(43)}").count("experienced") == len(module_b.lessons[0].pages), 30)
        context.close()
    finally:
        httpd.shutdown()
    # 44: through cmi5, the preview being the LMS, passing
    module_b.delivery.cmi5.structure = "single-au"
    package = modpack.build_package(module_b, "cmi5", tmp_path / "cmi5")
    server, _ = preview.start(package, 0, lrs.endpoint, LRS_AUTH, tmp_path / "store")
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        context, page, frame, errors = open_au(browser, base)
        walk_to(frame, on_test(post.id))
        take_test(frame, post)
        finish(frame)
        wait_for(lambda: "terminated" in verbs([s for s in lrs.statements()
                                                if s["actor"].get("account", {}).get("name") == "peserta"]), 30)
        assert errors == []
        context.close()
    finally:
        server.shutdown()


def test_a_cohort_of_fifty_reported_as_counted_by_hand(browser, lrs, tmp_path):
    today = datetime.now(JAKARTA).date()
    start = today - timedelta(days=9)
    write_cohort(tmp_path / "angkatan.csv", start)
    write_records(tmp_path, start)
    send_records(tmp_path, lrs)
    drive_browser_learners(browser, lrs, tmp_path)

    as_of = datetime.now(JAKARTA).replace(microsecond=0) + timedelta(seconds=1)
    common = ["progress", "--lrs", lrs.endpoint, "--course", str(SAMPLES / "course.yaml"), "--cohort",
              str(tmp_path / "angkatan.csv"), "--since", (start - timedelta(days=1)).isoformat(),
              "--as-of", as_of.isoformat()]
    made = modpack_cli(*common, "--format", "json", "--out", str(tmp_path / "laporan.json"),
                       env={"MODPACK_LRS_AUTH": LRS_AUTH})
    assert made.returncode == 0, made.stderr
    report = json.loads((tmp_path / "laporan.json").read_text(encoding="utf-8"))

    assert report["summary"] == [{
        "enrolled": 50, "not_started": 10, "in_progress": 38, "completed": 2, "passed": 2, "lagging": 38,
        "follow_up": 37, "jp_total": 164.0, "at_target": 0, "target_jp": 20.0, "as_of": as_of.isoformat(timespec="minutes"),
        "since": f"{(start - timedelta(days=2)).isoformat()}T17:00:00Z"}]
    assert [(d["district"], d["enrolled"], d["lagging"], d["completed"]) for d in report["districts"]] == [
        ("Kab. Jayapura", 10, 10, 0), ("Kab. Kupang", 10, 10, 0), ("Kab. Sumba Timur", 10, 10, 0),
        ("Kota Makassar", 10, 8, 2), ("Kab. Bogor", 10, 0, 0)]
    learners = {row["learner"]: row for row in report["learners"]}
    expected = {
        1: ("in-progress", 1, 3, 85.0, 6.0, 1), 11: ("in-progress", 1, 3, 85.0, 6.0, 7),
        16: ("in-progress", 0, 0, None, 2.0, 8), 26: ("in-progress", 0, 0, 60.0, 0.0, 5),
        31: ("not-started", 0, 0, None, 0.0, 9), 41: ("completed", 2, 6, None, 9.0, 0),
        42: ("in-progress", 0, None, 0.0, 0.0, 0), 43: ("in-progress", 0, 1, None, 0.0, 0),
        44: ("completed", 2, 6, None, 9.0, 0), 45: ("in-progress", 1, 3, None, 6.0, 4),
    }
    for n, (status, modules, lessons, post_test, jp, inactive) in expected.items():
        row = learners["peserta" if n == 44 else email(n)]
        got = (row["status"], row["modules_done"], row["lessons_done"], row["post_test"], row["jp"], row["days_inactive"])
        want = (status, modules, got[2] if lessons is None else lessons, got[3] if post_test is None else post_test,
                jp, inactive)
        assert got == want, (n, got)
    # 41 and 44 passed both post-tests: the mean of 85 and what the browser scored (100)
    assert learners[email(41)]["post_test"] == learners["peserta"]["post_test"] == 92.5
    assert learners[email(41)]["passed"] is True and learners[email(42)]["passed"] is False
    reasons = {(row["learner"], row["reason"], row["module"]) for row in report["follow-up"]}
    assert (email(42), "failed-twice", "kewirausahaan-sosial") in reasons
    assert (email(26), "failed-twice", "rujukan-terpadu") in reasons and (email(26), "inactive", "") in reasons
    assert (email(31), "not-started", "") in reasons and (email(11), "inactive", "") in reasons
    assert not any(r[0] in (email(1), email(41), email(43), "peserta") for r in reasons)
    assert len({r[0] for r in reasons}) == 37
    by_day = {d["day"]: d for d in report["days"]}
    day = lambda k: (start + timedelta(days=k - 1)).isoformat()  # noqa: E731
    assert [by_day[day(k)]["started"] for k in range(1, 11)] == [0, 10, 15, 22, 22, 28, 28, 28, 38, 40]
    assert [by_day[day(k)]["completed"] for k in range(1, 11)] == [0] * 9 + [2]
    assert [by_day[day(k)]["module_completions"] for k in range(1, 11)] == [0, 0, 5, 2, 0, 6, 0, 0, 10, 2]
    assert "statement(s) of 1 learner(s) not in the cohort" in " ".join(report["provenance"]["notes"])

    # the same as HTML, the report people read: the same numbers, and no CDN
    made = modpack_cli(*common, "--out", str(tmp_path / "laporan.html"), env={"MODPACK_LRS_AUTH": LRS_AUTH})
    assert made.returncode == 0, made.stderr
    html = (tmp_path / "laporan.html").read_text(encoding="utf-8")
    assert "http" not in html.replace(lrs.endpoint, "").replace("http://www.w3.org/2000/svg", "")
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto((tmp_path / "laporan.html").as_uri())
    assert page.locator("#learners tbody tr").count() == 50
    page.select_option("#fd", "Kab. Sumba Timur")
    assert page.locator("#learners tbody tr:not([hidden])").count() == 10
    page.select_option("#fs", "follow-up")
    assert page.locator("#learners tbody tr:not([hidden])").count() == 9
    page.close()
