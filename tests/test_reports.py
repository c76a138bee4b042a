"""Outputs rendered from Reports: gradebooks, JUnit, feedback, nbgrader's database."""
from __future__ import annotations

import csv
import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from autograder import final, scoring
from autograder.course import Course
from autograder.records import CellOutcome, CheckRecord, Report, WrittenScore
from autograder.reports import feedback, gradebook, junit, write_all
from conftest import ROOT

UTC = dt.timezone.utc
DUE = dt.datetime(2026, 12, 4, 23, 59, tzinfo=UTC)
"""The softmax due date in course.yaml."""
SECRET = "SECRET-EXPECTED-0.123"
"""Instructor detail (expected values): must never reach a student's output."""


def check(name: str, function: str, status: str, visibility: str = "visible",
          points: float = 1.0, **more: str) -> CheckRecord:
    return CheckRecord(id=f"test_x.py::{name}", name=name, function=function, points=points,
                       score=points if status == "passed" else 0.0, status=status,
                       visibility=visibility, **more)


def records() -> list[CheckRecord]:
    return [
        check("softmax known answers", "softmax", "passed"),
        check("softmax sums to one", "softmax", "failed", message="VISIBLE-MSG",
              hint="VISIBLE-HINT", detail=SECRET, observed="max relative error 3e-01",
              tolerance="rtol 1e-07, atol 1e-10"),
        check("softmax is stable", "softmax", "failed", "hidden", message="HIDDEN-MSG",
              hint="HIDDEN-HINT", detail=SECRET, full="HIDDEN-FULL with the 6 examples"),
        check("logsumexp batch", "logsumexp", "passed", "hidden"),
        check("cross_entropy later", "cross_entropy", "failed", "after_due_date",
              message="LATER-MSG", detail=SECRET),
        check("kl published", "kl_divergence", "timeout", "after_published",
              message="PUBLISHED-MSG"),
        check("grad <b>bold</b> check", "cross_entropy_grad", "error",
              message="a <script>alert(1)</script> message\x00", detail=SECRET),
    ]


@pytest.fixture
def report(course) -> Report:
    r = scoring.score(course.assignment("softmax"), records(), submission="alice",
                      path=str(ROOT / "examples" / "softmax" / "alice.ipynb"), seed=3,
                      tier="bubblewrap", flags=("rebinds numpy: np.allclose (cell 4)",),
                      cells=(CellOutcome("cell 9 (softmax-impl)", "error",
                                         "NameError at line 2: name 'x' is not defined"),))
    return replace(r, answers=(("softmax-q-scale", "Because the sigmoid saturates."),
                               ("softmax-q-bits", "YOUR ANSWER HERE")),
                   extra={"submitted": "2026-12-05T12:00:00+00:00"})


@pytest.fixture
def broken(course) -> Report:
    return scoring.broken(course.assignment("softmax"), submission="frank", path="frank.ipynb",
                          problem="the file is not valid JSON", seed=3, tier="bubblewrap")


# --- CSV gradebooks ----------------------------------------------------------------------

def finals(course: Course, *reports: Report, written=None) -> list[final.FinalGrade]:
    return final.for_reports(reports, course, written)


def test_grades_csv_keeps_its_columns_and_shows_flags(course, report, broken, tmp_path):
    """Does grades.csv keep its columns, one per function, with flags and the problem?"""
    gradebook.write([report, broken], tmp_path / "grades.csv", finals(course, report, broken))
    rows = list(csv.DictReader((tmp_path / "grades.csv").open()))
    assert list(rows[0])[:9] == ["submission", "assignment", "score", "max_score", "written",
                                 "written_max", "written_pending", "late_penalty",
                                 "final_score"]
    assert (rows[0]["late_penalty"], rows[0]["written"], rows[0]["written_pending"]) == (
        "0.1", "0", "2")
    hostile = replace(broken, submission="=HYPERLINK(1)", problem="@SUM(A1)",
                      flags=("-2+3",))
    gradebook.write([hostile], tmp_path / "hostile.csv")
    gradebook.write_course([hostile], tmp_path / "hostile-book.csv")
    row = list(csv.DictReader((tmp_path / "hostile.csv").open()))[0]
    assert (row["submission"], row["problem"], row["flags"]) == (
        "'=HYPERLINK(1)", "'@SUM(A1)", "'-2+3")
    assert next(csv.reader((tmp_path / "hostile-book.csv").open().readlines()[1:]))[0] == \
        "'=HYPERLINK(1)"
    assert rows[0]["flags"] == "rebinds numpy: np.allclose (cell 4)"
    assert rows[0]["softmax"] == "1" and rows[0]["cross_entropy"] == "0"
    assert rows[1]["problem"] == "the file is not valid JSON" and rows[1]["flags"] == ""


def test_course_gradebook_has_a_row_per_student_and_a_column_per_assignment(course, report):
    """Are two assignments one row per student, the latest regrade kept, gaps left empty?"""
    svm = course.assignment("svm")
    bob_svm = scoring.score(svm, [check("svm naive", "svm_loss_naive", "passed", points=5)],
                            submission="bob", path="bob.ipynb", seed=1, tier="none")
    old = replace(report, submission="bob", score=0.0, flags=())
    reports = [old, report, replace(report, submission="bob"), bob_svm]
    header, rows = gradebook.course_rows(reports, ["softmax", "svm"], finals(course, *reports))
    assert header[:4] == ["student", "softmax", "svm", "total"]
    assert "softmax:cross_entropy_grad" in header and "svm:svm_loss_vectorized" in header
    table = {row[0]: dict(zip(header, row)) for row in rows}
    late = round(report.score * 0.9, 6)  # submitted a day late: 10% off
    assert table["alice"]["softmax"] == f"{late:g}" and table["alice"]["svm"] == ""
    assert table["bob"]["svm"] == "5" and table["bob"]["svm:svm_loss_naive"] == "5"
    assert table["bob"]["total"] == f"{late + 5:g}"
    assert table["alice"]["flags"] == "softmax: rebinds numpy: np.allclose (cell 4)"


# --- Gradescope ---------------------------------------------------------------------------

def test_gradescope_shows_flags_to_instructors_only(report, broken):
    """Are flags a 0-point test hidden from students, with the score unchanged?"""
    from autograder.reports import gradescope

    doc = gradescope.results(report)
    flags = [t for t in doc["tests"] if "integrity" in t["tags"]]
    assert len(flags) == 1 and flags[0]["visibility"] == "hidden"
    assert (flags[0]["score"], flags[0]["max_score"]) == (0.0, 0.0)
    assert flags[0]["output"] == "rebinds numpy: np.allclose (cell 4)"
    assert doc["score"] == report.score and "seed" not in json.dumps(doc)
    assert not [t for t in gradescope.results(broken)["tests"] if "integrity" in t["tags"]]


def test_gradescope_shows_each_check_when_our_feedback_does(report):
    """Does each check appear under the Gradescope visibility of the phase our feedback first
    shows it in, at that level, with a 0-point "details" entry for what a later phase adds?"""
    from autograder.reports import gradescope

    tests = {t["name"]: t for t in gradescope.results(report)["tests"]}
    assert tests["softmax sums to one"]["visibility"] == "visible"
    assert "VISIBLE-HINT" in tests["softmax sums to one"]["output"]
    hidden = tests["softmax is stable"]
    assert hidden["visibility"] == "visible" and "HIDDEN-HINT" in hidden["output"]
    assert "6 examples" not in hidden["output"] and hidden["max_score"] == 1.0
    details = tests["softmax is stable: details"]
    assert details["visibility"] == "after_due_date" and details["max_score"] == 0.0
    assert "HIDDEN-FULL with the 6 examples" in details["output"]
    assert tests["cross_entropy later"]["visibility"] == "after_due_date"
    assert tests["kl published"]["visibility"] == "after_published"
    assert all(SECRET not in t["output"] for t in tests.values())


def test_gradescope_total_waits_for_publishing_when_the_course_says_so(report):
    """With score_before_published false, is the top level hidden until published, and does a
    per-student snapshot before publishing carry no score?"""
    from autograder.disclosure import Disclosure, Moment
    from autograder.reports import gradescope

    policy = Disclosure(score_before_published=False)
    doc = gradescope.results(report, policy=policy)
    assert doc["visibility"] == "after_published" and doc["stdout_visibility"] == "hidden"
    snap = gradescope.results(report, policy=policy, moment=Moment(DUE, DUE, False))
    assert snap["score"] == 0.0 and "max_score" not in snap
    assert "shown when grades are published" in snap["output"]
    assert gradescope.results(report)["visibility"] == "visible"


# --- JUnit ---------------------------------------------------------------------------------

def test_junit_has_a_testcase_per_check_with_student_safe_failures(report, broken, tmp_path):
    """One testcase per check, failures carrying the safe message and hint, never the detail?"""
    junit.write([report, broken], tmp_path / "junit.xml", now=DUE + dt.timedelta(days=1),
                published=True)
    text = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    assert SECRET not in text and "np.allclose" not in text and "seed" not in text
    root = ET.fromstring(text.encode())
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["softmax.alice", "softmax.frank"]
    cases = suites[0].findall("testcase")
    assert len(cases) == len(report.checks)
    failure = cases[1].find("failure")
    assert failure.get("message") == "VISIBLE-MSG" and "Hint: VISIBLE-HINT" in failure.text
    assert cases[2].find("failure").get("message") == "HIDDEN-FULL with the 6 examples"
    assert cases[5].find("failure").get("type") == "timeout"
    assert cases[6].find("error") is not None and "\x00" not in cases[6].find("error").text
    assert (suites[0].get("tests"), suites[0].get("failures"), suites[0].get("errors")) == (
        "7", "4", "1")
    assert root.get("tests") == "8" and root.get("failures") == "5"
    assert suites[1].find("testcase/failure").get("message") == "the file is not valid JSON"


# --- feedback ------------------------------------------------------------------------------

def student_text(report: Report, **options: object) -> str:
    from autograder import course as course_mod

    grade = final.for_report(report, course_mod.load(ROOT / "course.yaml"))
    fb = feedback.build(report, title="Softmax", final=grade, **options)  # type: ignore[arg-type]
    return feedback.markdown(fb) + feedback.html(fb)


def test_student_feedback_shows_what_failed_and_why(report):
    """Does a student read the visible check's message, hint and error, and their cell problem?"""
    text = student_text(report, due=DUE, now=DUE - dt.timedelta(days=1))
    for expected in ("VISIBLE-MSG", "VISIBLE-HINT", "max relative error 3e-01",
                     "NameError at line 2", "Late penalty: 10%", "graded by hand",
                     "2 not graded yet", f"Final score: {report.score * 0.9:g} / 18"):
        assert expected in text


def test_feedback_shows_written_points_once_graded(course, report):
    """With every written answer scored, does feedback show the points and the final score,
    and no longer say they are not graded yet?"""
    scores = {("softmax", "alice"): {"softmax-q-scale": WrittenScore("softmax-q-scale", 1.5),
                                     "softmax-q-bits": WrittenScore("softmax-q-bits", 0.0)}}
    (grade,) = finals(course, report, written=scores)
    text = feedback.markdown(feedback.build(report, title="Softmax", final=grade))
    assert "Written answers: 1.5 / 4." in text and "not graded yet" not in text
    assert f"Final score: {round((report.score + 1.5) * 0.9, 6):g} / 18." in text


def test_hidden_checks_show_their_hint_before_the_due_date_and_detail_after(report):
    """Does a hidden check show its safe message and hint before the due date (no values,
    counts or instructor detail), its full message after it, and only its name when the
    hidden test lowers its level?"""
    before = student_text(report, due=DUE, now=DUE - dt.timedelta(days=1))
    assert "HIDDEN-MSG" in before and "Hint: HIDDEN-HINT" in before
    assert "6 examples" not in before and SECRET not in before
    after = student_text(report, due=DUE, now=DUE + dt.timedelta(days=1))
    assert "HIDDEN-FULL with the 6 examples" in after and SECRET not in after
    lowered = replace(report, checks=tuple(replace(c, level="name") if c.visibility == "hidden"
                                           else c for c in report.checks))
    text = student_text(lowered, due=DUE, now=DUE + dt.timedelta(days=30), published=True)
    assert "softmax is stable (hidden check)" in text
    for leaked in ("HIDDEN-MSG", "HIDDEN-HINT", "HIDDEN-FULL", SECRET):
        assert leaked not in text


def test_after_due_date_checks_wait_for_the_due_date(report):
    """Is an after_due_date check hidden before the due date and shown after it?"""
    before = student_text(report, due=DUE, now=DUE - dt.timedelta(minutes=1))
    after = student_text(report, due=DUE, now=DUE + dt.timedelta(minutes=1))
    assert "cross_entropy later" not in before and "LATER-MSG" not in before
    assert "1 more check(s) worth 1 point(s) are shown later" in before
    assert "cross_entropy later" in after and "LATER-MSG" in after


def test_after_published_checks_wait_for_publication(report):
    """Is an after_published check hidden until results are published, whatever the date?"""
    unpublished = student_text(report, due=DUE, now=DUE + dt.timedelta(days=60))
    published = student_text(report, due=DUE, now=DUE, published=True)
    assert "PUBLISHED-MSG" not in unpublished and "kl published" not in unpublished
    assert "PUBLISHED-MSG" in published and "timed out" in published


def test_student_feedback_never_shows_flags_or_details(report):
    """Are integrity flags and instructor detail absent from every student rendering?"""
    text = student_text(report, due=DUE, now=DUE + dt.timedelta(days=9), published=True)
    assert SECRET not in text and "np.allclose" not in text and "Integrity" not in text


def test_instructor_feedback_has_flags_details_and_hidden_messages(report):
    """Does the instructor's version show flags, hidden messages and details?"""
    fb = feedback.build(report, instructor=True, due=DUE, now=DUE - dt.timedelta(days=1))
    text = feedback.markdown(fb) + feedback.html(fb)
    for expected in ("rebinds numpy: np.allclose (cell 4)", "HIDDEN-MSG", "LATER-MSG",
                     "PUBLISHED-MSG", SECRET, "Visibility: hidden"):
        assert expected in text


def test_public_checks_wording(course):
    """Does a clean report say "all public checks passed", never "all tests passed"?"""
    clean = scoring.score(course.assignment("softmax"),
                          [check("a", "softmax", "passed"), check("b", "softmax", "failed",
                                                                  "hidden")],
                          submission="s", path="s.ipynb", seed=1, tier="none")
    text = student_text(clean)
    assert "All public checks passed." in text
    assert "all tests passed" not in text.lower()


def test_feedback_escapes_student_text(report):
    """Is markup in names and messages shown as text in HTML and Markdown, not interpreted?"""
    fb = feedback.build(report, instructor=True)
    html = feedback.html(fb)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html and "\x00" not in html
    md = feedback.markdown(fb)
    assert "\\<script\\>" in md and "<b>" not in md


def test_broken_notebook_feedback(broken):
    """Does an unreadable notebook's feedback say why, with a zero score and nothing else?"""
    text = student_text(broken)
    assert "could not be graded: the file is not valid JSON" in text and "Score: 0 / 14" in text


# --- write_all -----------------------------------------------------------------------------

def test_write_all_writes_every_output(course, report, broken, tmp_path):
    """Are all outputs written, and does the student feedback hold nothing instructor-only?"""
    files = write_all([report, broken], tmp_path, course=course, nbgrader=False,
                      now=DUE + dt.timedelta(days=1))
    names = {p.relative_to(tmp_path).as_posix() for p in files}
    assert {"alice/results.json", "alice/feedback.md", "alice/feedback.html",
            "frank/feedback.md", "grades.csv", "gradebook.csv", "junit.xml",
            "class-report.html", "instructor/softmax/alice.md",
            "instructor/softmax/alice.html"} <= names
    assert all(p.is_file() for p in files)
    student = "".join(p.read_text() for p in (tmp_path / "alice").glob("feedback.*"))
    assert SECRET not in student and "np.allclose" not in student
    assert SECRET not in (tmp_path / "alice" / "results.json").read_text()
    assert "np.allclose" in (tmp_path / "class-report.html").read_text()
    assert "instructor/softmax/alice.json" in names


def test_per_student_results_json_holds_only_what_the_student_may_see_now(course, report,
                                                                          tmp_path):
    """Before the due date, does <student>/results.json leave out the after_due_date check,
    hold the hidden check at its hint level (no count) and no seed, while the instructor's
    copy keeps everything?"""
    write_all([report], tmp_path, course=course, nbgrader=False, class_report_page=False,
              now=DUE - dt.timedelta(days=1))
    doc = json.loads((tmp_path / "alice" / "results.json").read_text())
    names = [t["name"] for t in doc["tests"]]
    assert "cross_entropy later" not in names and "kl published" not in names
    assert "LATER-MSG" not in json.dumps(doc) and "6 examples" not in json.dumps(doc)
    assert '"seed"' not in json.dumps(doc) and "integrity" not in json.dumps(doc).lower()
    full = (tmp_path / "instructor" / "softmax" / "alice.json").read_text()
    assert "LATER-MSG" in full and "rebinds numpy" in full


def test_write_all_separates_assignments(course, report, tmp_path):
    """With two assignments, do student outputs go to <assignment>/<name>/?"""
    svm = scoring.score(course.assignment("svm"), [], submission="alice", path="a.ipynb",
                        seed=1, tier="none")
    write_all([report, svm], tmp_path, nbgrader=False)
    assert (tmp_path / "softmax" / "alice" / "results.json").is_file()
    assert (tmp_path / "svm" / "alice" / "feedback.html").is_file()
    assert (tmp_path / "instructor" / "svm" / "alice.html").is_file()


# --- nbgrader's gradebook ------------------------------------------------------------------

@pytest.fixture(scope="module")
def gradebook_db(tmp_path_factory):
    """A gradebook written once (creating it runs nbgrader's alembic, which takes seconds)."""
    from autograder import course as course_mod
    from autograder.reports import nbgrader_db

    course = course_mod.load(ROOT / "course.yaml")
    a = course.assignment("softmax")
    folder = tmp_path_factory.mktemp("nbgrader")
    alice = replace(scoring.score(a, records(), submission="alice",
                                  path=str(ROOT / "examples" / "softmax" / "alice.ipynb"),
                                  seed=3, tier="bubblewrap",
                                  flags=("imports the grader: autograder (cell 3)",)),
                    answers=(("softmax-q-scale", "Because the sigmoid saturates."),
                             ("softmax-q-bits", "YOUR ANSWER HERE")),
                    extra={"submitted": "2026-12-05T12:00:00+01:00"})
    frank = scoring.broken(a, submission="frank", path="gone.ipynb", problem="not JSON",
                           seed=3, tier="bubblewrap")
    nbgrader_db.write([alice, frank], folder, course)
    return folder, alice, frank, course


def open_gradebook(folder: Path):  # type: ignore[no-untyped-def]
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{folder / 'gradebook.db'}")


def test_gradebook_holds_function_scores_and_written_cells(gradebook_db):
    """Reopened with nbgrader's API: function scores, written cells to grade, late penalty?"""
    folder, alice, _, _ = gradebook_db
    with open_gradebook(folder) as gb:
        assert {s.id for s in gb.students} == {"alice", "frank"}
        for f in alice.functions:
            grade = gb.find_grade(f"autograded-{f.function}", "softmax", "softmax", "alice")
            assert (grade.auto_score, grade.max_score) == (f.score, f.max_score)
            assert not grade.needs_manual_grade
        answered = gb.find_grade("softmax-q-scale", "softmax", "softmax", "alice")
        assert answered.auto_score is None and answered.needs_manual_grade
        assert answered.max_score == 2
        blank = gb.find_grade("softmax-q-bits", "softmax", "softmax", "alice")
        assert blank.auto_score == 0 and not blank.needs_manual_grade
        assert gb.find_comment("softmax-q-bits", "softmax", "softmax",
                               "alice").auto_comment == "No response."
        nb = gb.find_submission_notebook("softmax", "softmax", "alice")
        assert nb.flagged and nb.needs_manual_grade
        assert nb.late_submission_penalty == pytest.approx(alice.score * 0.1)
        sub = gb.find_submission("softmax", "alice")
        assert sub.timestamp == dt.datetime(2026, 12, 5, 11, 0)
        assert sub.assignment.duedate == dt.datetime(2026, 12, 4, 23, 59)
        assert nb.score == pytest.approx(alice.score)


def test_gradebook_comments_are_student_safe(gradebook_db):
    """Does the auto comment of an implementation cell name failed checks without secrets?"""
    folder, *_ = gradebook_db
    with open_gradebook(folder) as gb:
        text = gb.find_comment("softmax-impl", "softmax", "softmax", "alice").auto_comment
    assert "softmax sums to one: VISIBLE-MSG (hint: VISIBLE-HINT)" in text
    assert "softmax is stable: failed" in text
    assert "HIDDEN-MSG" not in text and SECRET not in text


def test_broken_notebook_scores_zero_in_the_gradebook(gradebook_db):
    """Does an unreadable notebook get zeros and no written answers to grade?"""
    folder, *_ = gradebook_db
    with open_gradebook(folder) as gb:
        nb = gb.find_submission_notebook("softmax", "softmax", "frank")
        assert nb.score == 0 and not nb.needs_manual_grade and not nb.flagged
        assert gb.find_comment("softmax-impl", "softmax", "softmax",
                               "frank").auto_comment.startswith("The notebook could not be read")


def test_formgrader_can_render_the_autograded_notebook(gradebook_db):
    """Does nbgrader's GetGrades (what formgrader runs) read our notebook and database?"""
    import nbformat
    from nbgrader.preprocessors import GetGrades

    folder, alice, *_ = gradebook_db
    path = folder / "autograded" / "alice" / "softmax" / "softmax.ipynb"
    nb = nbformat.read(path, as_version=4)
    resources = {"nbgrader": {"notebook": "softmax", "assignment": "softmax",
                              "student": "alice",
                              "db_url": f"sqlite:///{folder / 'gradebook.db'}"}}
    nb, resources = GetGrades().preprocess(nb, resources)
    assert resources["nbgrader"]["max_score"] == alice.max_score + alice.manual_pending
    assert resources["nbgrader"]["score"] == pytest.approx(alice.score * 0.9)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") ==
                "softmax-q-scale")
    assert cell.metadata.nbgrader["points"] == 2
    submitted = json.loads((ROOT / "examples" / "softmax" / "alice.ipynb").read_text())
    assert len(nb.cells) == len(submitted["cells"])  # alice's own notebook, not the release


def test_answers_reach_formgrader_without_the_submitted_file(gradebook_db):
    """When the notebook is gone, does the autograded copy still hold the student's answers?"""
    folder, _, _, course = gradebook_db
    from autograder.reports import nbgrader_db

    a = course.assignment("softmax")
    gone = scoring.score(a, records(), submission="gail", path=str(folder / "missing.ipynb"),
                         seed=3, tier="none")
    gone = replace(gone, answers=(("softmax-q-scale", "Sigmoid saturates, so MSE is flat."),))
    nbgrader_db.write([gone], folder, course)
    nb = json.loads((folder / "autograded" / "gail" / "softmax" / "softmax.ipynb").read_text())
    answer = next(c for c in nb["cells"]
                  if c["metadata"].get("nbgrader", {}).get("grade_id") == "softmax-q-scale")
    assert answer["source"] == "Sigmoid saturates, so MSE is flat."
    with open_gradebook(folder) as gb:
        assert gb.find_grade("softmax-q-scale", "softmax", "softmax", "gail").needs_manual_grade


def test_regrading_keeps_manual_grades(gradebook_db):
    """Does a regrade keep a score entered in formgrader, and mark it for review like nbgrader?"""
    folder, alice, _, course = gradebook_db
    from autograder.reports import nbgrader_db

    with open_gradebook(folder) as gb:
        grade = gb.find_grade("softmax-q-scale", "softmax", "softmax", "alice")
        grade.manual_score, grade.needs_manual_grade = 1.5, False
        gb.db.commit()
    nbgrader_db.write([alice], folder, course)
    with open_gradebook(folder) as gb:
        grade = gb.find_grade("softmax-q-scale", "softmax", "softmax", "alice")
        assert grade.manual_score == 1.5 and grade.score == 1.5 and grade.needs_manual_grade


# --- Canvas ----------------------------------------------------------------------------------

def test_canvas_import_file_follows_canvas_columns_and_the_roster(course, report, tmp_path):
    """Does the Canvas CSV have Canvas's columns, a Points Possible row, assignment columns
    named "Title (id)", students mapped through roster.csv, and final scores?"""
    from autograder.reports import canvas

    (tmp_path / "roster.csv").write_text(
        "student,name,canvas_id,sis_user_id,sis_login_id,section\n"
        "alice,\"Liddell, Alice\",1001,S1,alice@uni.edu,A\n")
    here = replace(course, path=tmp_path / "course.yaml", canvas_ids={"softmax": "555"})
    bob = replace(report, submission="=bob")
    path = canvas.write(finals(here, report, bob), here, tmp_path / "canvas.csv")
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "Softmax, cross-entropy and KL (555)"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "18"]
    assert rows[2] == ["Liddell, Alice", "1001", "S1", "alice@uni.edu", "A",
                       f"{round(report.score * 0.9, 6):g}"]
    assert rows[3][:4] == ["'=bob", "", "", "'=bob"]  # no roster entry; never a formula
    (tmp_path / "roster.csv").write_text("student,email\nalice,a@x\n")
    with pytest.raises(Exception, match=r"roster.csv:1: unknown column\(s\) email"):
        canvas.write([], here, tmp_path / "x.csv")


def test_export_canvas_command(tmp_path):
    """Does `autograder export canvas` write the file from graded folders?"""
    import io

    from autograder.cli import main

    graded = tmp_path / "graded"
    args = ["--course", str(ROOT / "course.yaml")]
    assert main([*args, "grade", "softmax", str(ROOT / "examples" / "softmax" / "alice.ipynb"),
                 "--out", str(graded), "--quiet", "--seed", "2"], stdout=io.StringIO()) == 0
    out = io.StringIO()
    assert main([*args, "export", "canvas", str(graded), "--out", str(tmp_path / "c.csv")],
                stdout=out) == 0
    rows = list(csv.reader((tmp_path / "c.csv").open()))
    assert rows[2][0] == "alice" and rows[2][3] == "alice" and rows[2][5] == "14"
    assert "final grades of 1 student(s)" in out.getvalue()
