"""Import and play modpack's packages in a real Moodle 4.5 LTS, on demand (issue 18).

    python tests/lms/moodle.py                 # build, start Moodle in Docker, import, play, report
    python tests/lms/moodle.py --keep          # leave Moodle running afterwards (http://localhost:8000)

What it does, end to end, with nothing mocked:
1. builds both samples in every SCORM format and structure Moodle plays (SCORM 1.2 and 2004, one SCO
   and one SCO per lesson);
2. starts Moodle 4.5 (MOODLE_405_STABLE, cloned from GitHub) with PHP 8.2 and PostgreSQL 15 in
   Docker (tests/lms/moodle/compose.yaml), installs it from the command line;
3. imports each zip as a SCORM activity in one course, through Moodle's own code
   (make_course.php calls create_module, as the "Add an activity" form does);
4. logs in as a student in Chromium and plays each SCO through Moodle's player: every lesson to
   its end, then the post-test failed, left, resumed (the player must come back where it was)
   and passed; every call the package makes to Moodle's runtime is checked with GetLastError;
5. reads what Moodle stored (scorm_scoes_value, the gradebook) from PostgreSQL and prints the table,
   exiting 1 when a runtime call failed or a SCO did not end passed or completed.

It needs Docker (with compose), access to Docker Hub and GitHub, and Chromium; CI has none of the
first three, so CI runs tests/test_moodle.py and tests/test_moodle_player.py instead, which
reproduce Moodle's rules (see docs/moodle.md). See tests/lms/README.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
RIG = HERE / "moodle"
WORK = RIG / "work"
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))  # the browser tests' helpers: the same learner, here in Moodle's player

BRANCH = "MOODLE_405_STABLE"
ADMIN_PASSWORD = "Admin-123!"
STUDENT_PASSWORD = "Murid-123!"
FORMATS = [("scorm12", "single-sco"), ("scorm12", "sco-per-lesson"),
           ("scorm2004", "single-sco"), ("scorm2004", "sco-per-lesson")]
# Run in every frame before its scripts: wraps Moodle's API objects (in its player page) so each call
# the package makes is followed by GetLastError; anything but "0" is kept with the call and its values.
WRAP_API = """
(() => {
  const wrap = (api, getError, names) => {
    if (!api || api.__modpack) return;
    api.__modpack = true;
    const top = window;
    top.__lmsCalls = top.__lmsCalls || 0;
    top.__lmsErrors = top.__lmsErrors || [];
    for (const name of names) {
      const call = api[name];
      if (typeof call !== "function") continue;
      api[name] = function () {
        const result = call.apply(api, arguments);
        top.__lmsCalls += 1;
        const code = String(api[getError]());
        if (code !== "0") top.__lmsErrors.push({call: name, args: Array.from(arguments).map(String), code: code});
        return result;
      };
    }
  };
  const look = setInterval(() => {
    wrap(window.API, "LMSGetLastError", ["LMSInitialize", "LMSSetValue", "LMSCommit", "LMSFinish"]);
    wrap(window.API_1484_11, "GetLastError", ["Initialize", "SetValue", "Commit", "Terminate"]);
  }, 5);
  setTimeout(() => clearInterval(look), 60000);
})();
"""


def run(*command: str, cwd: Path | None = None, capture: bool = False, check: bool = True) -> str:
    print("$", " ".join(command), file=sys.stderr)
    done = subprocess.run(command, cwd=cwd, check=check, text=True,
                          stdout=subprocess.PIPE if capture else None)
    return done.stdout if capture else ""


def compose(*args: str, capture: bool = False, check: bool = True) -> str:
    return run("docker", "compose", "-f", str(RIG / "compose.yaml"), *args, capture=capture, check=check)


def build_packages() -> dict[str, tuple[object, str, str]]:
    """Each sample in each format and structure: zip name -> (module, standard, structure)."""
    import modpack

    from tests.conftest import SAMPLE_MODULES

    out = WORK / "packages"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    built = {}
    for folder in SAMPLE_MODULES:
        for standard, structure in FORMATS:
            module = modpack.load(folder)
            setattr(getattr(module.delivery, standard), "structure", structure)
            [zip_path] = modpack.build(module, standard, WORK / "build", validate=True)
            name = f"{module.id}-{standard}-{structure}.zip"
            shutil.move(zip_path, out / name)
            built[name] = (module, standard, structure)
    return built


def start_moodle(source: Path, port: int) -> str:
    """Moodle running and installed at the returned URL."""
    if not (source / "version.php").is_file():
        run("git", "clone", "--depth", "1", "--branch", BRANCH, "https://github.com/moodle/moodle.git", str(source))
    url = f"http://localhost:{port}"
    config = source / "config.php"
    if not config.is_file():
        config.write_text(f"""<?php
unset($CFG); global $CFG; $CFG = new stdClass();
$CFG->dbtype = 'pgsql'; $CFG->dblibrary = 'native'; $CFG->dbhost = 'db'; $CFG->dbname = 'moodle';
$CFG->dbuser = 'moodle'; $CFG->dbpass = 'moodle'; $CFG->prefix = 'mdl_'; $CFG->dboptions = [];
$CFG->wwwroot = '{url}'; $CFG->dataroot = '/var/www/moodledata'; $CFG->admin = 'admin';
$CFG->directorypermissions = 02777;
require_once(__DIR__ . '/lib/setup.php');
""", encoding="utf-8")
    (WORK / "moodledata").mkdir(parents=True, exist_ok=True)
    (WORK / "moodledata").chmod(0o777)
    compose("up", "-d", "--wait")
    installed = compose("exec", "-T", "db", "psql", "-U", "moodle", "-d", "moodle", "-Atc",
                        "SELECT count(*) FROM pg_tables WHERE tablename = 'mdl_config'", capture=True).strip()
    if installed != "1":
        compose("exec", "-T", "-u", "www-data", "web", "php", "admin/cli/install_database.php", "--agree-license",
                "--fullname=modpack Moodle", "--shortname=modpack", "--adminuser=admin",
                f"--adminpass={ADMIN_PASSWORD}", "--adminemail=admin@example.invalid")
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/login/index.php", timeout=5) as answer:
                if answer.status == 200:
                    return url
        except OSError:
            time.sleep(1)
    raise SystemExit(f"Moodle did not answer at {url}")


def psql(sql: str) -> list[list[str]]:
    out = compose("exec", "-T", "db", "psql", "-U", "moodle", "-d", "moodle", "-At", "-F", "\t", "-c", sql,
                  capture=True)
    return [line.split("\t") for line in out.splitlines() if line]


@dataclass
class Played:
    package: str
    sco: str
    errors: list[dict] = field(default_factory=list)
    calls: int = 0
    resumed_where_left: bool | None = None


def play(url: str, activities: list[dict], built: dict) -> list[Played]:
    """Every SCO of every activity, as the student, through Moodle's player."""
    from playwright.sync_api import sync_playwright

    from tests.player_support import drawn, go_next, screen, take_test, walk_to

    played: list[Played] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "chromium")
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(WRAP_API)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{url}/login/index.php")
        page.fill("#username", "murid")
        page.fill("#password", STUDENT_PASSWORD)
        page.click("#loginbtn")
        page.wait_for_url(lambda u: "login" not in u)

        def open_sco(activity: dict, sco: dict):
            page.goto(f"{url}/mod/scorm/player.php?a={activity['scorm']}&scoid={sco['id']}&mode=normal"
                      "&currentorg=&newattempt=off")
            for _ in range(300):
                frame = next((f for f in page.frames if "/pluginfile.php/" in f.url), None)
                if frame is not None and frame.evaluate("!!(window.modpack && document.querySelector('main'))"):
                    drawn(frame)
                    return frame
                time.sleep(0.1)
            raise RuntimeError(f"{activity['zip']} {sco['identifier']}: the SCO did not open in Moodle's player")

        def leave() -> tuple[list[dict], int]:
            found = page.evaluate("[window.__lmsErrors || [], window.__lmsCalls || 0]")
            page.goto(f"{url}/my/")  # unload: the package finishes its session as on a real exit
            return found

        for activity in activities:
            module, standard, structure = built[activity["zip"]]
            for sco in activity["scoes"]:
                one = Played(activity["zip"], sco["identifier"])
                frame = open_sco(activity, sco)
                unit = Path(sco["launch"].split("?")[0]).stem.removeprefix("sco-")  # index: the whole module
                if structure == "single-sco":
                    tests = [a for a in module.assessments() if a is not module.post_test]
                    post = module.post_test
                else:
                    lesson = next((lesson for lesson in module.lessons if lesson.id == unit), None)
                    tests = [lesson.quiz] if lesson is not None and lesson.quiz else []
                    tests += [module.pre_test] if module.pre_test and module.pre_test.id == unit else []
                    post = module.post_test if module.post_test and module.post_test.id == unit else None
                for test in tests:
                    walk_to(frame, lambda f, i=test.id: screen(f) == {"kind": "test", "id": i})
                    take_test(frame, test)
                if post is not None:
                    walk_to(frame, lambda f, i=post.id: screen(f) == {"kind": "test", "id": i})
                    take_test(frame, post, correct=False)
                    where = frame.evaluate("window.modpack.state().state.at")
                    errors, calls = leave()
                    one.errors += errors
                    one.calls += calls
                    frame = open_sco(activity, sco)
                    one.resumed_where_left = frame.evaluate("window.modpack.state().state.at") == where
                    frame.locator(".mp-result button").click()  # try again
                    take_test(frame, post, correct=True)
                else:
                    while frame.locator(".mp-next").count() and not frame.locator(".mp-next").is_disabled():
                        if frame.locator(".mp-next").inner_text() in ("Selesai", "Finish"):
                            frame.locator(".mp-next").click()
                            break
                        go_next(frame)
                errors, calls = leave()
                one.errors += errors
                one.calls += calls
                played.append(one)
        browser.close()
    return played


def stored(activity: dict) -> list[dict]:
    """What Moodle keeps for the student, per SCO of the activity (its last attempt)."""
    rows = psql(f"""
        SELECT s.identifier, e.element, v.value
          FROM mdl_scorm_scoes_value v
          JOIN mdl_scorm_attempt a ON a.id = v.attemptid
          JOIN mdl_scorm_element e ON e.id = v.elementid
          JOIN mdl_scorm_scoes s ON s.id = v.scoid
          JOIN mdl_user u ON u.id = a.userid
         WHERE a.scormid = {int(activity['scorm'])} AND u.username = 'murid'
           AND a.attempt = (SELECT max(attempt) FROM mdl_scorm_attempt WHERE scormid = a.scormid AND userid = u.id)
         ORDER BY s.sortorder, e.element""")
    grade = psql(f"""
        SELECT g.finalgrade FROM mdl_grade_grades g JOIN mdl_grade_items i ON i.id = g.itemid
          JOIN mdl_user u ON u.id = g.userid
         WHERE i.itemmodule = 'scorm' AND i.iteminstance = {int(activity['scorm'])} AND u.username = 'murid'""")
    found = []
    for sco in activity["scoes"]:
        values = {element: value for identifier, element, value in rows if identifier == sco["identifier"]}
        status = values.get("cmi.core.lesson_status") or "/".join(
            filter(None, (values.get("cmi.completion_status"), values.get("cmi.success_status"))))
        score = values.get("cmi.core.score.raw") or values.get("cmi.score.raw") or ""
        interactions = {v for k, v in values.items() if k.startswith("cmi.interactions.") and k.endswith(".id")}
        found.append({"sco": sco["identifier"], "status": status or "(none)", "score": score,
                      "interactions": len(interactions), "suspend_data": len(values.get("cmi.suspend_data", "")),
                      "grade": grade[0][0] if grade and grade[0] else ""})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=WORK / "moodle",
                        help="a clone of Moodle's MOODLE_405_STABLE (cloned there if missing)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--keep", action="store_true", help="leave Moodle running afterwards")
    args = parser.parse_args()
    import os

    os.environ["MOODLE_SOURCE"] = str(args.source.resolve())
    os.environ["MOODLE_PORT"] = str(args.port)
    built = build_packages()
    try:
        url = start_moodle(args.source, args.port)
        made = json.loads(compose("exec", "-T", "-u", "www-data", "web", "php", "/opt/modpack/make_course.php",
                                  STUDENT_PASSWORD, capture=True).strip().splitlines()[-1])
        played = {(p.package, p.sco): p for p in play(url, made["activities"], built)}
        failures = 0
        print("| package | SCO | status | score | interactions | suspend_data | grade | resumed | runtime errors |")
        print("|---|---|---|---|---|---|---|---|---|")
        for activity in made["activities"]:
            for row in stored(activity):
                one = played[(activity["zip"], row["sco"])]
                ok = row["status"].split("/")[-1] in ("passed", "completed") and not one.errors \
                    and one.resumed_where_left is not False
                failures += not ok
                print(f"| {activity['zip']} | {row['sco']} | {row['status']} | {row['score']} | {row['interactions']} "
                      f"| {row['suspend_data']} | {row['grade']} | {one.resumed_where_left if one.resumed_where_left is not None else ''} "
                      f"| {len(one.errors)} of {one.calls} |")
                for error in one.errors:
                    print(f"  error {error['code']}: {error['call']}({', '.join(error['args'])})", file=sys.stderr)
        sys.exit(1 if failures else 0)
    finally:
        if not args.keep:
            compose("down", "-v", check=False)


if __name__ == "__main__":
    main()
