"""`modpack progress` piece by piece: the cohort file, the counting rules (cmi5 per-lesson AUs,
LMS-assigned AU ids, statements read twice), Moodle's SCORM report, CSV cells against formula
injection, pseudonyms, an LRS that answers badly, the command's exit codes, and the report's
accessibility at 360 and 1280 px. The cohort of 50 against the real LRS is test_progress_cohort."""

from __future__ import annotations

import gzip
import json
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

import modpack
from modpack import messages
from modpack.cli import main
from modpack.progress import CohortError, ProgressError, progress, read_cohort, rows, write
from modpack.progress import sources as progress_sources
from modpack.xapi.statements import StatementBuilder
from modpack.xapi.records import read_records

from .conftest import SAMPLES
from .lrs_support import reply
from .test_player import SCREENSHOTS, axe
from .test_progress_cohort import write_cohort, write_records

JAKARTA = ZoneInfo("Asia/Jakarta")
ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture(scope="module")
def course():
    return modpack.load(SAMPLES / "course.yaml")


def cohort_file(tmp_path: Path, text: str, name: str = "cohort.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def statement(actor: dict, verb: str, object_id: str, when: str, result: dict | None = None,
              context: dict | None = None) -> dict:
    found = {"actor": actor, "verb": {"id": ADL + verb}, "object": {"objectType": "Activity", "id": object_id},
             "timestamp": when}
    if result:
        found["result"] = result
    if context:
        found["context"] = context
    return found


def write_jsonl(path: Path, statements: list[dict]) -> Path:
    path.write_text("".join(json.dumps(s) + "\n" for s in statements), encoding="utf-8")
    return path


# --- the cohort file -----------------------------------------------------------------------------

def test_cohort_columns_in_indonesian_with_bom_semicolons_and_extra_columns(tmp_path):
    path = tmp_path / "angkatan.csv"
    path.write_bytes("\ufeffNama;Email;Akun;Kabupaten/Kota;Provinsi;Peran;Tanggal Mulai;Angkatan;No HP\n"
                     "Siti Rahmawati;Siti.Rahma@Example.ID;;Kab. Kupang;NTT;Pendamping PKH;02/03/2026;III;0812\n"
                     "Budi Santoso;;budi.s;Kota Makassar;Sulawesi Selatan;Tagana;2026-03-09;III;0813\n"
                     "\n".encode("utf-8"))
    siti, budi = read_cohort(path)
    assert (siti.id, siti.name, siti.district, siti.province, siti.role, siti.start, siti.cohort) == (
        "siti.rahma@example.id", "Siti Rahmawati", "Kab. Kupang", "NTT", "Pendamping PKH", date(2026, 3, 2), "III")
    assert siti.keys[0] == "mailto:siti.rahma@example.id" and siti.keys[1].startswith("sha1:")
    assert (budi.id, budi.keys, budi.start) == ("budi.s", ["acct:|budi.s"], date(2026, 3, 9))


def test_cohort_problems_are_all_reported_with_their_rows(tmp_path):
    path = tmp_path / "angkatan.csv"
    path.write_bytes(b"email,name,start_date\n"
                     b"bukan-email,A,2026-03-02\n"
                     b"b@example.id,B,\n"
                     b"c@example.id,C,31/02/2026\n"
                     b"b@example.id,B again,2026-03-02\n"
                     b"d@example.id,\xff\xfe,2026-03-02\n"
                     b",E,2026-03-02\n"
                     b"f@example.id,F," + b"9" * 70000 + b"\n")
    with pytest.raises(CohortError) as caught:
        read_cohort(path)
    assert caught.value.problems == [
        "2: email: 'bukan-email' is not an email address",
        "3: start_date: missing (or give --start for the whole cohort)",
        "4: start_date: '31/02/2026' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
        "6: not UTF-8 text: save the file as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet)",
        "7: email: missing: each learner needs an email or an account",
        "8: the line is longer than 65536 bytes",
    ]
    # B on row 3 had no start date, so row 5 is not a repeat of a learner; with --start it is
    with pytest.raises(CohortError) as caught:
        read_cohort(path, default_start=date(2026, 3, 2))
    assert "5: email: the same learner as row 3" in caught.value.problems


def test_a_cohort_file_without_a_learner_column_says_what_it_needs(tmp_path):
    with pytest.raises(CohortError) as caught:
        read_cohort(cohort_file(tmp_path, "nama,kabupaten\nSiti,Kupang\n"))
    assert caught.value.problems == ["1: the header names no learner column: give 'email', 'account' or 'learner' "
                                     "(found: nama, kabupaten)"]


def test_a_cohort_whose_header_cannot_be_read_says_why_and_rows_count_from_the_header(tmp_path, monkeypatch):
    """Excel's 'Unicode Text' (UTF-16) was read as a header of NULs, the data row taken for it; a
    header over the line limit was said, then 'the file is empty'; blank lines before the header
    shifted every row's number."""
    from modpack.progress import cohort

    path = tmp_path / "u16.csv"
    path.write_text("email,start_date\nsiti@example.id,2026-03-02\n", encoding="utf-16")
    with pytest.raises(CohortError) as caught:
        read_cohort(path)
    assert caught.value.problems == ["1: the file is UTF-16 text: save it as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet)"]
    monkeypatch.setattr(cohort, "MAX_LINE", 100)
    long_header = cohort_file(tmp_path, "email," + "x" * 200 + "\nsiti@example.id,y\n", "long.csv")
    with pytest.raises(CohortError) as caught:
        read_cohort(long_header)
    assert caught.value.problems == ["1: the line is longer than 100 bytes"]
    blank_first = cohort_file(tmp_path, "\n\n\nemail,start_date\na@example.id,2026-03-02\nbukan-email,2026-03-02\n",
                              "blank.csv")
    with pytest.raises(CohortError) as caught:
        read_cohort(blank_first)
    assert caught.value.problems == ["6: email: 'bukan-email' is not an email address"]
    no_learner = cohort_file(tmp_path, "\nnama,kabupaten\nSiti,Kupang\n", "nama.csv")
    with pytest.raises(CohortError) as caught:
        read_cohort(no_learner)
    assert caught.value.problems[0].startswith("2: the header names no learner column")


# --- the counting rules --------------------------------------------------------------------------

def test_cmi5_per_lesson_units_an_lms_activity_id_and_the_pre_test(tmp_path, course):
    module = course.loaded_modules[1]  # kewirausahaan-sosial: its cmi5 package has an AU per lesson
    iri = module.iri
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\nb@example.id,2026-03-02\n")
    a, b = ({"mbox": "mailto:a@example.id"}, {"mbox": "mailto:B@Example.id"})
    lms_id = "https://lms.example.go.id/cmi5/au/8812"  # an id the LMS chose; the AU's own id is in the grouping
    au = lambda key: {"contextActivities": {"grouping": [{"id": f"{iri}/au/{key}"}]}}  # noqa: E731
    made = []
    # a: every lesson AU completed and the post-test AU passed, under ids the LMS chose
    for k, lesson in enumerate(module.lessons):
        made.append(statement(a, "completed", lms_id + str(k), f"2026-03-0{3 + k}T10:00:00+07:00",
                              context=au(f"lesson-{lesson.id}")))
    made.append(statement(a, "passed", lms_id + "p", "2026-03-06T10:00:00+07:00", {"score": {"scaled": 0.9}},
                          au(f"test-{module.post_test.id}")))
    # b: passes the pre-test AU (which says nothing of the post-test) and completes two lessons of three
    made.append(statement(b, "passed", f"{iri}/au/test-{module.pre_test.id}", "2026-03-03T08:00:00Z",
                          {"score": {"scaled": 1.0}}))
    for lesson in module.lessons[:2]:
        made.append(statement(b, "completed", f"{iri}/au/lesson-{lesson.id}", "2026-03-04T08:00:00Z"))
        for page in lesson.pages:  # pages: the player names them under the module's IRI, the AU as parent
            made.append(statement(b, "experienced", f"{iri}/pages/{page.id}", "2026-03-04T07:00:00Z",
                                  context=au(f"lesson-{lesson.id}")))
    files = write_jsonl(tmp_path / "s.jsonl", made)
    report = progress(course, path, statements=[files], as_of=datetime(2026, 3, 7, 12, tzinfo=JAKARTA))
    by_id = {r["learner"]: r for r in rows(report, "learner-modules") if r["module"] == module.id}
    assert (by_id["a@example.id"]["status"], by_id["a@example.id"]["post_test"], by_id["a@example.id"]["passed"]) == (
        "completed", 90.0, True)
    assert by_id["a@example.id"]["jp"] == 3.0 and by_id["a@example.id"]["lessons_done"] == 3
    assert (by_id["b@example.id"]["status"], by_id["b@example.id"]["post_test"], by_id["b@example.id"]["passed"]) == (
        "in-progress", None, False)
    assert (by_id["b@example.id"]["lessons_done"], by_id["b@example.id"]["pages_read"]) == (2, 4)
    assert report.tally.counted == len(made)


def test_a_statement_read_twice_counts_once_and_failed_attempts_are_told_apart_by_time(tmp_path, course):
    module = course.loaded_modules[0]
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    a = {"mbox": "mailto:a@example.id"}
    post = f"{module.iri}/assessments/{module.post_test.id}"
    once = [statement(a, "failed", post, "2026-03-03T10:00:00+07:00", {"score": {"scaled": 0.4}})]
    twice = write_jsonl(tmp_path / "twice.jsonl", once * 2)
    report = progress(course, path, statements=[twice, twice], as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    assert [r["failed_attempts"] for r in rows(report, "learner-modules")] == [1, 0]
    assert report.follow_up == []
    again = once + [statement(a, "failed", post, "2026-03-03T11:00:00+07:00", {"score": {"scaled": 0.6}})]
    report = progress(course, path, statements=[write_jsonl(tmp_path / "two.jsonl", again)],
                      as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    assert [(r["reason"], r["module"]) for r in rows(report, "follow-up")] == [("failed-twice", module.id)]
    assert next(rows(report, "learner-modules"))["post_test"] == 60.0


def test_since_leaves_out_what_was_stored_before_it_in_files_too(tmp_path, course):
    module = course.loaded_modules[0]
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    a = {"mbox": "mailto:a@example.id"}
    old = statement(a, "completed", module.iri, "2026-02-01T10:00:00+07:00")
    old["stored"] = "2026-02-01T03:00:00Z"
    files = write_jsonl(tmp_path / "s.jsonl", [old])
    report = progress(course, path, statements=[files], since="2026-03-01", as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    assert report.summary.not_started == 1 and report.since == "2026-02-28T17:00:00Z"
    report = progress(course, path, statements=[files], as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    assert report.summary.in_progress == 1


def test_statements_from_modpack_statements_count_sessions_tests_and_completions(tmp_path, course):
    module = course.loaded_modules[0]
    path = cohort_file(tmp_path, "email,name,start_date\nsiti.rahma@example.id,Siti,2026-03-01\n"
                                 "budi.santoso@example.id,Budi,2026-03-01\n")
    builder = StatementBuilder(module, course)
    made = [builder.build(r) for r in read_records(SAMPLES / "records" / "rujukan-terpadu.csv")
            if not isinstance(r, list)]
    files = write_jsonl(tmp_path / "s.jsonl", [s for s in made if isinstance(s, dict)])
    report = progress(course, path, statements=[files], as_of=datetime(2026, 3, 10, tzinfo=JAKARTA))
    found = {r["learner"]: r for r in rows(report, "learner-modules") if r["module"] == module.id}
    # the sample records: Siti attended (2 JP), passed the post-test with 85 and completed (4 JP)
    assert (found["siti.rahma@example.id"]["status"], found["siti.rahma@example.id"]["jp"],
            found["siti.rahma@example.id"]["post_test"]) == ("completed", 6.0, 85.0)
    assert found["budi.santoso@example.id"]["status"] == "in-progress"


# --- Moodle's SCORM report ------------------------------------------------------------------------

MOODLE_TEXT = ("Name\tEmail address\tAttempt\tStarted on\tLast accessed on\tScore\t"
               "Layanan dan Rujukan Terpadu bagi Petugas SLRT dan Puskesos\n"
               "Siti Rahmawati\tsiti@example.id\t1\tMonday, 2 March 2026, 9:05 AM\tMonday, 2 March 2026, 10:40 AM\t"
               "50\tFailed\n"
               "Siti Rahmawati\tsiti@example.id\t2\tTuesday, 3 March 2026, 1:00 PM\tTuesday, 3 March 2026, 2:15 PM\t"
               "90\tPassed\n"
               "Budi Santoso\tbudi@example.id\t1\tWednesday, 4 March 2026, 8:00 AM\tWednesday, 4 March 2026, 8:30 AM\t"
               "-\tIncomplete\n"
               "Rina\trina@example.id\t-\t-\t-\t-\t-\n"
               "Orang Lain\tlain@example.id\t1\tMonday, 2 March 2026, 9:05 AM\tMonday, 2 March 2026, 9:06 AM\t10\tFailed\n")
MOODLE_ID = ("Nama depan,Nama belakang,Alamat email,Percobaan,Dimulai pada,Terakhir diakses pada,Nilai\n"
             "Dewi,Lestari,dewi@example.id,1,\"Kamis, 5 Maret 2026, 09.00\",\"Kamis, 5 Maret 2026, 11.30\",80\n"
             "Eko,Prasetyo,eko@example.id,1,\"Kamis, 5 Maret 2026, 09.00\",\"Kamis, 5 Maret 2026, 09.10\",40\n")


def test_a_moodle_scorm_report_in_english_and_in_indonesian(tmp_path, course):
    path = cohort_file(tmp_path, "email,start_date\n" + "".join(
        f"{who}@example.id,2026-03-02\n" for who in ("siti", "budi", "rina", "dewi", "eko")))
    (tmp_path / "moodle.txt").write_text(MOODLE_TEXT, encoding="utf-8")
    (tmp_path / "moodle-id.csv").write_text(MOODLE_ID, encoding="utf-8")
    report = progress(course, path, moodle={"rujukan-terpadu": tmp_path / "moodle.txt",
                                            "kewirausahaan-sosial": tmp_path / "moodle-id.csv"},
                      as_of=datetime(2026, 3, 6, 12, tzinfo=JAKARTA))
    found = {(r["learner"], r["module"]): r for r in rows(report, "learner-modules")}
    siti = found[("siti@example.id", "rujukan-terpadu")]
    assert (siti["status"], siti["post_test"], siti["passed"], siti["failed_attempts"], siti["jp"]) == (
        "completed", 90.0, True, 1, 4.0)
    assert siti["first_activity"] == "2026-03-02T09:05+07:00" and siti["last_activity"] == "2026-03-03T14:15+07:00"
    budi = found[("budi@example.id", "rujukan-terpadu")]
    assert (budi["status"], budi["post_test"]) == ("in-progress", None)
    assert found[("rina@example.id", "rujukan-terpadu")]["status"] == "not-started"
    # no status column: the score against the post-test's pass mark (75) decides
    dewi, eko = found[("dewi@example.id", "kewirausahaan-sosial")], found[("eko@example.id", "kewirausahaan-sosial")]
    assert (dewi["status"], dewi["passed"], dewi["last_activity"]) == ("completed", True, "2026-03-05T11:30+07:00")
    assert (eko["status"], eko["passed"], eko["failed_attempts"]) == ("in-progress", False, 1)
    assert any("1 learner(s) not in the cohort" in note for note in report.notes)


def test_a_value_of_several_long_lines_is_its_rows_problem_and_never_echoed_whole(tmp_path, course):
    """A quoted value spanning lines, over csv's 128 KiB field limit, ended `progress` as an internal
    error when it was in a Moodle report; in a cohort it was said in English, and the next row's
    error quoted the 240 KB value whole."""
    long_value = '"' + ("x" * 60_000 + "\n") * 4 + '"'
    moodle = tmp_path / "moodle-id.csv"
    moodle.write_text(MOODLE_ID + f"Rina,Wati,rina@example.id,1,{long_value},x,50\n", encoding="utf-8")
    path = cohort_file(tmp_path, "email,start_date\n" + "".join(
        f"{who}@example.id,2026-03-02\n" for who in ("dewi", "eko", "rina")))
    report = progress(course, path, moodle={"kewirausahaan-sosial": moodle}, as_of=datetime(2026, 3, 6, 12, tzinfo=JAKARTA))
    assert any(f"{moodle}:6: a value is longer than 131,072 characters, left out" in note for note in report.notes), \
        report.notes
    found = {(r["learner"], r["module"]): r for r in rows(report, "learner-modules")}
    assert found[("dewi@example.id", "kewirausahaan-sosial")]["status"] == "completed"  # the rows before it count
    cohort = cohort_file(tmp_path, "email,name,start_date\n" + "c" * 50_000 + ",C,2026-03-02\n"
                                   f"a@example.id,{long_value},2026-03-02\n", "angkatan-2.csv")
    with pytest.raises(CohortError) as raised:
        progress(course, cohort, statements=[])
    said = raised.value.problems
    assert said[0] == "2: email: '" + "c" * 79 + "…' is not an email address", said
    assert said[1] == "5: a value is longer than 131,072 characters", said  # the value's third line


def test_a_moodle_report_without_identity_columns_is_refused_with_its_reason(tmp_path, course):
    path = cohort_file(tmp_path, "email,start_date\nsiti@example.id,2026-03-02\n")
    (tmp_path / "m.txt").write_text("Name\tAttempt\tStarted on\nSiti\t1\t-\n", encoding="utf-8")
    with pytest.raises(ProgressError, match=r"m.txt:1: the report has no email address, username or ID number"):
        progress(course, path, moodle={"rujukan-terpadu": tmp_path / "m.txt"})
    with pytest.raises(ProgressError, match="'nope' is not a module of the course"):
        progress(course, path, moodle={"nope": tmp_path / "m.txt"})


# --- what is written ------------------------------------------------------------------------------

def test_csv_cells_cannot_run_as_formulas_and_the_json_keeps_the_data(tmp_path, course):
    path = cohort_file(tmp_path, 'email,name,district,start_date\n'
                                 'a@example.id,"=HYPERLINK(""http://x"",""klik"")",+Kupang,2026-03-02\n'
                                 'b@example.id,@SUM(A1),-1+1,2026-03-02\n')
    files = write_jsonl(tmp_path / "s.jsonl", [])
    report = progress(course, path, statements=[files], as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    folder = write(report, tmp_path / "tabel", "csv")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.csv" for t in modpack.progress.TABLES)
    # personal data: each file readable by its owner only, as the folder, the HTML and the JSON
    assert [p.stat().st_mode & 0o777 for p in folder.iterdir()] == [0o600] * len(modpack.progress.TABLES)
    assert folder.stat().st_mode & 0o777 == 0o700
    text = (folder / "learners.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+Kupang" in text and "'@SUM(A1)" in text and "'-1+1" in text
    assert ",=" not in text and ",+" not in text and ",@" not in text
    assert "\n'=" not in text  # an id could start a line: ids are emails here, kept as they are
    written = write(report, tmp_path / "laporan.json", "json")
    assert written.stat().st_mode & 0o777 == 0o600
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["learners"][0]["name"] == '=HYPERLINK("http://x","klik")'
    assert set(data) == {"provenance", *modpack.progress.TABLES}


def test_pseudonyms_are_stable_per_key_and_no_name_or_email_is_left(tmp_path, course):
    path = cohort_file(tmp_path, "email,name,district,start_date\nsiti.rahma@example.id,Siti Rahmawati,Kupang,"
                                 "2026-03-02\nbudi@example.id,Budi Santoso,Kupang,2026-03-02\n")
    files = write_jsonl(tmp_path / "s.jsonl", [statement({"mbox": "mailto:siti.rahma@example.id"}, "experienced",
                                                         course.loaded_modules[0].iri + "/pages/apa-itu-slrt",
                                                         "2026-03-03T10:00:00+07:00")])
    as_of = datetime(2026, 3, 9, tzinfo=JAKARTA)
    first = progress(course, path, statements=[files], as_of=as_of, pseudonymise_key=b"kunci-rahasia-pusdiklat-2026")
    again = progress(course, path, statements=[files], as_of=as_of, pseudonymise_key=b"kunci-rahasia-pusdiklat-2026")
    other = progress(course, path, statements=[files], as_of=as_of, pseudonymise_key=b"kunci-lain-yang-cukup-panjang")
    codes = [r.learner.code for r in first.learners]
    assert codes == [r.learner.code for r in again.learners] and codes != [r.learner.code for r in other.learners]
    assert all(len(c) == 12 and c.startswith("P-") for c in codes) and len(set(codes)) == 2
    for fmt, out in (("html", "r.html"), ("json", "r.json"), ("csv", "r")):
        written = write(first, tmp_path / out, fmt)
        text = "".join(p.read_text(encoding="utf-8") for p in (written.iterdir() if written.is_dir() else [written]))
        for secret in ("Siti", "Rahmawati", "siti.rahma", "Budi", "budi@"):
            assert secret not in text, (fmt, secret)
        assert codes[0] in text and "Kupang" in text


def test_a_district_report_holds_only_that_district(tmp_path, course):
    path = cohort_file(tmp_path, "email,district,start_date\na@example.id,Kab. Kupang,2026-03-02\n"
                                 "b@example.id,Kota Makassar,2026-03-02\n")
    files = write_jsonl(tmp_path / "s.jsonl", [])
    report = progress(course, path, statements=[files], district="kab. kupang", as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    assert [r.learner.id for r in report.learners] == ["a@example.id"]
    with pytest.raises(ProgressError, match=r"no learner of the cohort is in 'Kab. Bogor' \(districts: Kab. Kupang, "
                                            r"Kota Makassar\)"):
        progress(course, path, statements=[files], district="Kab. Bogor")


# --- an LRS that answers badly --------------------------------------------------------------------

class _Lrs(BaseHTTPRequestHandler):
    """An LRS answering GET /statements from a script of (status, headers, body) per request."""

    script: list[tuple[int, dict[str, str], bytes]] = []
    seen: list[str] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.seen.append(self.path)
        status, headers, body = self.script.pop(0) if self.script else (200, {}, b'{"statements": []}')
        reply(self, status, headers, body)


@pytest.fixture
def scripted_lrs():
    handler = type("Handler", (_Lrs,), {"script": [], "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/xAPI/", handler
    server.shutdown()


def test_a_more_link_to_another_host_is_not_followed(tmp_path, course, scripted_lrs):
    endpoint, handler = scripted_lrs
    handler.script.append((200, {}, json.dumps({"statements": [{"id": "x"}],
                                                "more": "https://elsewhere.example/steal?x=1"}).encode()))
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    with pytest.raises(ProgressError, match=r"'more' link leads to another host \(elsewhere.example\)"):
        progress(course, path, lrs=endpoint, lrs_auth="Basic eDp5")
    assert len(handler.seen) == 1


def test_paging_follows_more_and_every_activity_is_asked_for(tmp_path, course, scripted_lrs):
    endpoint, handler = scripted_lrs
    module = course.loaded_modules[0]
    first = statement({"mbox": "mailto:a@example.id"}, "experienced", module.iri + "/pages/apa-itu-slrt",
                      "2026-03-03T10:00:00+07:00")
    handler.script += [(200, {}, json.dumps({"statements": [first], "more": "/xAPI/statements?page=2"}).encode()),
                       (200, {"Content-Encoding": "gzip"},
                        gzip.compress(json.dumps({"statements": [first], "more": ""}).encode()))]
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    report = progress(course, path, lrs=endpoint, lrs_auth="Basic eDp5", since="2026-03-01",
                      as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    assert handler.seen[1] == "/xAPI/statements?page=2"
    asked = [p for p in handler.seen if "activity=" in p]
    assert len(asked) == len(report.catalogue.queries()) and all("related_activities=true" in p and
                                                                  "since=2026-02-28T17%3A00%3A00Z" in p for p in asked)
    assert report.summary.in_progress == 1 and report.tally.counted == 2


def test_an_answer_too_large_or_a_compression_bomb_is_refused(tmp_path, course, scripted_lrs, monkeypatch):
    endpoint, handler = scripted_lrs
    monkeypatch.setattr(progress_sources, "MAX_PAGE", 1_000_000)
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    handler.script.append((200, {}, b'{"statements": [' + b" " * 1_100_000 + b"]}"))
    with pytest.raises(ProgressError, match="longer than 1000000 bytes"):
        progress(course, path, lrs=endpoint, lrs_auth="Basic eDp5")
    bomb = gzip.compress(b'{"statements": [' + b" " * 50_000_000 + b"]}")
    assert len(bomb) < 100_000
    handler.script.append((200, {"Content-Encoding": "gzip"}, bomb))
    with pytest.raises(ProgressError, match="inflates to more than 1000000 bytes"):
        progress(course, path, lrs=endpoint, lrs_auth="Basic eDp5")


def test_a_busy_lrs_is_asked_again_and_refused_credentials_stop_at_once(tmp_path, course, scripted_lrs, monkeypatch):
    endpoint, handler = scripted_lrs
    waits: list[float] = []
    monkeypatch.setattr(progress_sources, "_wait", waits.append)
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    handler.script += [(503, {}, b"busy"), (429, {"Retry-After": "2"}, b"slow down")]
    progress(course, path, lrs=endpoint, lrs_auth="Basic eDp5")
    assert waits == [1.0, 2.0]
    handler.script.append((401, {}, b"no"))
    with pytest.raises(ProgressError, match=r"the LRS refused the credentials \(401\)"):
        progress(course, path, lrs=endpoint, lrs_auth="Basic eDp5")


def test_the_jp_report_asks_a_busy_lrs_again_as_progress_does(scripted_lrs):
    """`report` read the LRS once: a 503 stopped the yearly JP report that `progress` would have
    waited out. Both now read through one reader (xapi.send.read_page)."""
    from modpack.xapi.report import LearnerHours, self_paced_hours
    from modpack.xapi.send import Lrs, SendError

    endpoint, handler = scripted_lrs
    completed = {"id": "00000000-0000-4000-8000-000000000001", "actor": {"mbox": "mailto:a@example.id"},
                 "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                 "object": {"id": "https://pelatihan.example.go.id/xapi/modul-uji"},
                 "timestamp": "2026-05-01T10:00:00Z",
                 "context": {"extensions": {"https://pelatihan.example.go.id/xapi/extensions/jp": 3}}}
    handler.script += [(503, {}, b"busy"), (429, {"Retry-After": "2"}, b"slow down"),
                       (200, {}, json.dumps({"statements": [completed]}).encode())]
    waits: list[float] = []
    hours: dict[str, LearnerHours] = {}
    counted = self_paced_hours(Lrs(endpoint, "Basic eDp5"), ["https://pelatihan.example.go.id/xapi/"], 2026, hours,
                               sleep=waits.append)
    assert counted == 1 and hours["mailto:a@example.id"].self_paced == 3.0
    assert waits == [1.0, 2.0] and len(handler.seen) == 3
    handler.seen.clear()
    handler.script += [(500, {}, b"down")] * 6
    with pytest.raises(SendError, match=r"the LRS kept failing \(500\) after 6 tries"):
        self_paced_hours(Lrs(endpoint, "Basic eDp5"), ["https://pelatihan.example.go.id/xapi/"], 2026, {},
                         sleep=waits.append)
    assert len(handler.seen) == 6
    handler.script.append((404, {}, b'{"message": "no such resource"}'))
    with pytest.raises(SendError, match="the LRS answered 404 when asked for statements: no such resource"):
        self_paced_hours(Lrs(endpoint, "Basic eDp5"), ["https://pelatihan.example.go.id/xapi/"], 2026, {},
                         sleep=waits.append)


# --- the command ----------------------------------------------------------------------------------

def test_the_command_exit_codes_and_messages(tmp_path):
    runner = CliRunner()
    course = str(SAMPLES / "course.yaml")
    files = write_jsonl(tmp_path / "s.jsonl", [])
    bad = cohort_file(tmp_path, "email,start_date\nbukan-email,2026-03-02\nb@example.id,kemarin\n")
    result = runner.invoke(main, ["progress", "--course", course, "--cohort", str(bad), "--statements", str(files),
                                  "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert f"{bad}:2: email: 'bukan-email' is not an email address" in result.output
    assert f"{bad}:3: start_date: 'kemarin' is not a date" in result.output
    assert not (tmp_path / "r.html").exists()
    good = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n", "good.csv")
    result = runner.invoke(main, ["progress", "--course", str(SAMPLES / "rujukan-terpadu"), "--cohort", str(good),
                                  "--statements", str(files), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "is a module; give the course file" in result.output
    result = runner.invoke(main, ["progress", "--course", course, "--cohort", str(good), "--out", "r.html"])
    assert result.exit_code == 2 and "no source of statements" in result.output
    result = runner.invoke(main, ["progress", "--course", course, "--cohort", str(good), "--statements", str(files),
                                  "--pseudonymise", "--out", "r.html"], env={"MODPACK_PSEUDONYM_KEY": ""})
    assert result.exit_code == 2 and "needs a secret key" in result.output
    result = runner.invoke(main, ["progress", "--course", course, "--cohort", str(good), "--lrs", "http://127.0.0.1:9/",
                                  "--out", "r.html"], env={"MODPACK_LRS_AUTH": "", "MODPACK_LRS_USERNAME": ""})
    assert result.exit_code == 2 and "no credentials" in result.output
    result = runner.invoke(main, ["progress", "--course", course, "--cohort", str(good), "--statements", str(files),
                                  "--timezone", "Mars/Olympus", "--out", "r.html"])
    assert result.exit_code == 2 and "'Mars/Olympus' is not a time zone" in result.output
    result = runner.invoke(main, ["progress", "--course", course, "--cohort", str(good), "--statements", str(files),
                                  "--as-of", "2026-03-04T12:00", "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "1 enrolled, 0 not started, 1 in progress" not in result.output  # no statements: not started
    assert "1 enrolled, 1 not started" in result.output and (tmp_path / "r.html").stat().st_mode & 0o077 == 0
    result = runner.invoke(main, ["--lang", "id", "progress", "--course", course, "--cohort", str(good), "--statements",
                                  str(files), "--as-of", "2026-03-04T12:00", "--out", str(tmp_path / "r.html")])
    assert "1 terdaftar, 1 belum mulai" in result.output
    assert '<html lang="id">' in (tmp_path / "r.html").read_text(encoding="utf-8")


# --- the report people read -----------------------------------------------------------------------

def test_the_report_reads_on_a_phone_and_a_desk_without_accessibility_violations(browser, tmp_path, course):
    today = datetime.now(JAKARTA).date()
    start = today - timedelta(days=9)
    write_cohort(tmp_path / "angkatan.csv", start)
    write_records(tmp_path, start)
    made = []
    for name, module in (("a", course.loaded_modules[0]), ("b", course.loaded_modules[1])):
        builder = StatementBuilder(module, course)
        made += [s for s in (builder.build(r) for r in read_records(tmp_path / f"records-{name}.csv")
                             if not isinstance(r, list)) if isinstance(s, dict)]
    files = write_jsonl(tmp_path / "s.jsonl", made)
    report = progress(course, tmp_path / "angkatan.csv", statements=[files])
    messages.use("id")  # the report as its readers get it: in Indonesian
    out = write(report, tmp_path / "laporan.html")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(out.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("#filters").is_visible()
        assert axe(page.main_frame) == []
        page.screenshot(path=str(SCREENSHOTS / f"progress-{width}.png"))
        page.locator("#learners th button", has_text="JP").click()  # sort by JP, highest first on a second press
        page.locator("#learners th button", has_text="JP").click()
        assert page.locator("#learners tbody tr").first.locator("td").nth(6).inner_text() == "6"
        assert page.locator("#learners th[aria-sort=descending]").count() == 1
        page.fill("#q", "peserta 0")
        assert page.locator("#count").inner_text() == "9 peserta ditampilkan"
        assert axe(page.main_frame) == []
        context.close()
    # without JavaScript: every table is there in full, and the filters that need it are not shown
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(out.as_uri())
    assert page.locator("#learners tbody tr").count() == 50 and not page.locator("#filters").is_visible()
    context.close()


def test_a_cohort_past_its_limit_is_refused_with_the_row(tmp_path, monkeypatch):
    from modpack.progress import cohort as cohort_module

    monkeypatch.setattr(cohort_module, "MAX_LEARNERS", 3)
    rows = "".join(f"p{n}@example.id,2026-03-02\n" for n in range(5))
    with pytest.raises(CohortError) as refused:
        read_cohort(cohort_file(tmp_path, "email,start_date\n" + rows))
    assert any("more than 3 learners: split the cohort" in problem for problem in refused.value.problems)


# --- from a review of the counting rules against a real LRS ----------------------------------------

def test_a_lesson_completed_with_the_course_in_its_grouping_is_not_the_module_completed(tmp_path, course):
    """An LMS that gave the AU an id of its own and listed the course (the module's IRI) before the
    AU in the grouping turned one lesson's `completed` into the whole module, with its JP."""
    module = course.loaded_modules[1]
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    grouping = {"contextActivities": {"grouping": [{"id": module.iri},
                                                   {"id": f"{module.iri}/au/lesson-{module.lessons[0].id}"}]}}
    made = [statement({"mbox": "mailto:a@example.id"}, "completed", "https://lms.example.go.id/cmi5/au/8812",
                      "2026-03-04T10:00:00+07:00", context=grouping)]
    report = progress(course, path, statements=[write_jsonl(tmp_path / "s.jsonl", made)],
                      as_of=datetime(2026, 3, 5, 12, tzinfo=JAKARTA))
    row = next(r for r in rows(report, "learner-modules") if r["module"] == module.id)
    assert (row["status"], row["jp"], row["lessons_done"]) == ("in-progress", 0.0, 1)  # the lesson's AU is done


def test_as_of_leaves_out_what_happened_after_it(tmp_path, course):
    """'--as-of yesterday' counted a completion made this morning: yesterday's report, made today,
    was not yesterday's."""
    module = course.loaded_modules[0]
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    made = [statement({"mbox": "mailto:a@example.id"}, "completed", module.iri, "2026-03-05T00:30:00+07:00")]
    files = write_jsonl(tmp_path / "s.jsonl", made)
    before = progress(course, path, statements=[files], as_of=datetime(2026, 3, 4, 12, tzinfo=JAKARTA))
    assert before.summary.not_started == 1 and before.tally.counted == 0
    after = progress(course, path, statements=[files], as_of=datetime(2026, 3, 5, 12, tzinfo=JAKARTA))
    assert next(rows(after, "learner-modules"))["status"] == "completed"


def test_cmi5_waived_and_satisfied_count_as_done(tmp_path, course):
    """An AU the LMS waived (tested out) left the module in progress with 0 JP, and the course's
    `satisfied` was ignored."""
    per_lesson, single = course.loaded_modules[1], course.loaded_modules[0]
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\nb@example.id,2026-03-02\n")
    a, b = {"mbox": "mailto:a@example.id"}, {"mbox": "mailto:b@example.id"}
    waived = "https://w3id.org/xapi/adl/verbs/waived"
    made = [statement(a, "completed", f"{per_lesson.iri}/au/lesson-{lesson.id}", "2026-03-03T10:00:00+07:00")
            for lesson in per_lesson.lessons[:-1]]
    made.append(statement(a, "completed", f"{per_lesson.iri}/au/lesson-{per_lesson.lessons[-1].id}",
                          "2026-03-03T11:00:00+07:00"))
    made[-1]["verb"]["id"] = waived
    made.append(statement(a, "passed", f"{per_lesson.iri}/au/test-{per_lesson.post_test.id}", "2026-03-03T12:00:00+07:00",
                          {"score": {"scaled": 0.8}}))
    made.append(statement(b, "completed", f"{single.iri}/au/module", "2026-03-03T10:00:00+07:00"))
    made[-1]["verb"]["id"] = waived
    satisfied = statement(b, "completed", per_lesson.iri, "2026-03-03T12:00:00+07:00")
    satisfied["verb"]["id"] = "https://w3id.org/xapi/adl/verbs/satisfied"
    made.append(satisfied)
    report = progress(course, path, statements=[write_jsonl(tmp_path / "s.jsonl", made)],
                      as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    status = {(r["learner"], r["module"]): r["status"] for r in rows(report, "learner-modules")}
    assert status[("a@example.id", per_lesson.id)] == "completed"
    assert status[("b@example.id", single.id)] == "completed" and status[("b@example.id", per_lesson.id)] == "completed"


def test_a_learner_is_found_by_a_hash_of_the_email_as_typed_and_a_home_page_with_its_slash(tmp_path, course):
    """An LMS hashed 'mailto:Sha.Case@Example.id' as typed, and another wrote its home page with a
    final '/': both learners were 'not started' and put on the follow-up list."""
    import hashlib

    module = course.loaded_modules[0]
    path = cohort_file(tmp_path, "email,account,account_homepage,start_date\nSha.Case@Example.id,,,2026-03-02\n"
                                 ",1234,https://LMS.example.go.id,2026-03-02\n")
    hashed = {"mbox_sha1sum": hashlib.sha1(b"mailto:Sha.Case@Example.id").hexdigest()}
    account = {"account": {"homePage": "https://lms.example.go.id/", "name": "1234"}}
    made = [statement(who, "completed", module.iri, "2026-03-03T10:00:00+07:00") for who in (hashed, account)]
    report = progress(course, path, statements=[write_jsonl(tmp_path / "s.jsonl", made)],
                      as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    assert report.summary.not_started == 0 and not report.tally.strangers


def test_statements_a_file_voids_are_left_out_as_an_lrs_leaves_them(tmp_path, course):
    module = course.loaded_modules[0]
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    done = statement({"mbox": "mailto:a@example.id"}, "completed", module.iri, "2026-03-03T10:00:00+07:00")
    done["id"] = "6f1c1b4e-2a53-4f7e-9d55-0d7a3c1e9b10"
    voiding = {"actor": {"mbox": "mailto:admin@example.id"}, "verb": {"id": ADL + "voided"},
               "object": {"objectType": "StatementRef", "id": done["id"]}, "timestamp": "2026-03-03T11:00:00+07:00"}
    report = progress(course, path, statements=[write_jsonl(tmp_path / "s.jsonl", [done, voiding])],
                      as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    assert report.summary.not_started == 1


def test_an_lrs_that_trickles_its_answer_is_not_asked_again_and_is_named(tmp_path, course, scripted_lrs, monkeypatch):
    """An LRS that sent a byte every 20 s kept the report silent for half an hour: six tries of the
    300 s deadline. A deadline overrun is not retried, and the message names the LRS."""
    from modpack.xapi.send import Lrs, LrsTooSlow

    asked = []

    def too_slow(self, path, limit):
        asked.append(path)
        raise LrsTooSlow("the LRS did not answer in full within 300 s")

    monkeypatch.setattr(Lrs, "get_bounded", too_slow)
    endpoint, _ = scripted_lrs
    path = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    with pytest.raises(ProgressError) as caught:
        progress(course, path, lrs=endpoint, as_of=datetime(2026, 3, 4, tzinfo=JAKARTA))
    assert len(asked) == 1 and endpoint.rstrip("/") in str(caught.value) and "300" in str(caught.value)


def test_as_of_a_day_counts_that_whole_day_and_voids_reach_across_files(tmp_path, course):
    """From a review of the day's changes: '--as-of 2026-03-05' became that day's first second, so
    the whole day was left out; a statement voided in the next day's file still counted; a
    statement whose id is a list stopped the command once any file voided something."""
    module = course.loaded_modules[0]
    cohort = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\nb@example.id,2026-03-02\n")
    done = statement({"mbox": "mailto:a@example.id"}, "completed", module.iri, "2026-03-05T09:00:00+07:00")
    voided = statement({"mbox": "mailto:b@example.id"}, "completed", module.iri, "2026-03-04T09:00:00+07:00")
    voided["id"] = "6f1c1b4e-2a53-4f7e-9d55-0d7a3c1e9b11"
    odd = statement({"mbox": "mailto:b@example.id"}, "experienced", module.iri, "2026-03-04T10:00:00+07:00")
    odd["id"] = ["not", "a", "string"]
    monday = write_jsonl(tmp_path / "senin.jsonl", [done, voided, odd])
    voiding = {"actor": {"mbox": "mailto:admin@example.id"}, "verb": {"id": ADL + "voided"},
               "object": {"objectType": "StatementRef", "id": voided["id"]}, "timestamp": "2026-03-05T08:00:00+07:00"}
    tuesday = write_jsonl(tmp_path / "selasa.jsonl", [voiding])
    result = CliRunner().invoke(main, ["progress", "--course", str(SAMPLES / "course.yaml"), "--cohort", str(cohort),
                                       "--statements", str(monday), "--statements", str(tuesday), "--as-of",
                                       "2026-03-05", "--format", "json", "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    status = {(r["learner"], r["module"]): r["status"] for r in data["learner-modules"]}
    assert status[("a@example.id", module.id)] == "completed"  # 09:00 on the day asked for
    assert status[("b@example.id", module.id)] == "in-progress"  # its completion voided in the next file


def test_a_moodle_attempt_after_the_report_s_moment_is_left_out(tmp_path, course):
    """Statements after --as-of were left out, a Moodle report's attempts were not: Siti's pass of
    3 March made a report 'as of 2 March' say completed."""
    path = cohort_file(tmp_path, "email,start_date\nsiti@example.id,2026-03-02\nbudi@example.id,2026-03-02\n")
    (tmp_path / "moodle.txt").write_text(MOODLE_TEXT, encoding="utf-8")

    def siti(as_of: datetime, since: str | None = None) -> dict:
        report = progress(course, path, moodle={"rujukan-terpadu": tmp_path / "moodle.txt"}, as_of=as_of, since=since)
        return {r["learner"]: r for r in rows(report, "learner-modules") if r["module"] == "rujukan-terpadu"}

    second = siti(datetime(2026, 3, 2, 12, tzinfo=JAKARTA))["siti@example.id"]
    assert (second["status"], second["passed"], second["failed_attempts"]) == ("in-progress", False, 1)
    during = siti(datetime(2026, 3, 3, 13, 30, tzinfo=JAKARTA))["siti@example.id"]  # the pass going on: begun
    assert (during["status"], during["passed"], during["last_activity"]) == ("in-progress", False, "2026-03-03T13:00+07:00")
    assert siti(datetime(2026, 3, 3, 23, tzinfo=JAKARTA))["siti@example.id"]["status"] == "completed"
    assert siti(datetime(2026, 3, 2, 12, tzinfo=JAKARTA))["budi@example.id"]["status"] == "not-started"
    # and an attempt last seen before --since is left out, as a statement stored before it
    later = siti(datetime(2026, 3, 6, 12, tzinfo=JAKARTA), since="2026-03-04")
    assert later["siti@example.id"]["status"] == "not-started" and later["budi@example.id"]["status"] == "in-progress"
    # an attempt whose dates cannot be read (a German export) is counted, --as-of or not, as before
    (tmp_path / "moodle.txt").write_text(
        "Vorname\tE-Mail\tAttempt\tStarted on\tLast accessed on\tScore\tStatus\n"
        "Siti\tsiti@example.id\t1\tMittwoch, 4. März 2026, 09:05\tMittwoch, 4. März 2026, 10:40\t90\tPassed\n",
        encoding="utf-8")
    assert siti(datetime(2026, 3, 10, 12, tzinfo=JAKARTA))["siti@example.id"]["status"] == "completed"


def test_a_moment_out_of_range_or_a_since_after_as_of_is_a_message(tmp_path):
    """Year 1 or 9999 ended the command as an internal error (a day before or after cannot be
    written); --since after --as-of made a report of everyone not started, without a word."""
    runner = CliRunner()
    good = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    files = write_jsonl(tmp_path / "s.jsonl", [])
    base = ["progress", "--course", str(SAMPLES / "course.yaml"), "--cohort", str(good), "--statements", str(files),
            "--out", str(tmp_path / "r.html")]
    for extra, said in ((["--as-of", "0001-01-01"], "--as-of"), (["--as-of", "9999-12-31T23:59:59+14:00"], "--as-of"),
                        (["--as-of", "2026-03-10", "--since", "0001-01-01"], "--since"),
                        (["--as-of", "2026-03-10", "--since", "2026-03-11"], "is after the report's moment")):
        result = runner.invoke(main, [*base, *extra], env={"MODPACK_LANG": "en"})
        assert result.exit_code == 2 and said in result.output and "internal error" not in result.output, result.output
    assert not (tmp_path / "r.html").exists()


def test_an_output_that_is_a_device_or_a_fifo_is_refused_not_replaced(tmp_path):
    """Every report is renamed into place: as root, '--out /dev/null' replaced /dev/null itself
    with a 0600 file holding learners' names."""
    import os
    import stat

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    runner = CliRunner()
    good = cohort_file(tmp_path, "email,start_date\na@example.id,2026-03-02\n")
    files = write_jsonl(tmp_path / "s.jsonl", [])
    records = str(SAMPLES / "records" / "rujukan-terpadu.csv")
    for args in (["progress", "--course", str(SAMPLES / "course.yaml"), "--cohort", str(good), "--statements",
                  str(files), "--format", "json", "--out", str(fifo)],
                 ["report", "--records", records, "--module", str(SAMPLES / "course.yaml"), "-o", str(fifo)],
                 ["statements", records, "--module", str(SAMPLES / "rujukan-terpadu"), "-o", str(fifo)]):
        result = runner.invoke(main, args, env={"MODPACK_LANG": "en"})
        assert result.exit_code == 2 and "a device, a FIFO or a socket, not a file" in result.output, result.output
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    # a link to one, as /dev/stdout is a link to /proc/self/fd/1: the link was replaced
    link = tmp_path / "stdout"
    link.symlink_to(fifo)
    result = runner.invoke(main, ["report", "--records", records, "--module", str(SAMPLES / "course.yaml"), "-o",
                                  str(link)], env={"MODPACK_LANG": "en"})
    assert result.exit_code == 2 and "a device, a FIFO or a socket, not a file" in result.output, result.output
    assert link.is_symlink() and stat.S_ISFIFO(os.stat(link).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
