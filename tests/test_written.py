"""Written answers: one store (nbgrader's gradebook.db), two ways in (formgrader, CSV)."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from autograder import batch, scoring, written
from autograder.cli import main
from autograder.course import Course
from autograder.records import CheckRecord, Report
from conftest import ROOT

ANSWERS = {"ann": (("softmax-q-scale", "=HYPERLINK(\"http://x\")"),
                   ("softmax-q-bits", "It is always 0.")),
           "bob": (("softmax-q-scale", "Sigmoid saturates."),)}


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--course", str(ROOT / "course.yaml"), *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def graded(course: Course, student: str, answers: tuple[tuple[str, str], ...]) -> Report:
    a = course.assignment("softmax")
    checks = [CheckRecord(f"t::{f}", f, f, p, p, "passed", "visible")
              for f, p in a.functions.items()]
    r = scoring.score(a, checks, submission=student, path=f"/gone/{student}.ipynb", seed=1,
                      tier="none")
    return replace(r, answers=answers)


def results_folder(course: Course, folder: Path, answers=ANSWERS) -> Path:
    store = batch.Store(folder)
    store.start("softmax", 1, False)
    for student, given in answers.items():
        store.save(graded(course, student, given), "fingerprint")
    return folder


def open_gradebook(folder: Path):  # type: ignore[no-untyped-def]
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{written.db_path(folder)}")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_export_has_a_row_per_student_and_question_safe_for_spreadsheets(course, tmp_path):
    """Does the export list each written answer with its points and text, formulas quoted?"""
    results = results_folder(course, tmp_path / "r")
    code, out, _ = run_cli("written", "export", str(results), "--out", str(tmp_path / "w.csv"))
    assert code == 0 and "4 written answer(s) of 2 student(s)" in out
    rows = read_csv(tmp_path / "w.csv")
    assert list(rows[0]) == ["student", "question", "max_points", "score", "comment", "answer"]
    assert [(r["student"], r["question"], r["max_points"], r["score"]) for r in rows] == [
        ("ann", "softmax-q-scale", "2", ""), ("ann", "softmax-q-bits", "2", ""),
        ("bob", "softmax-q-scale", "2", ""), ("bob", "softmax-q-bits", "2", "")]
    assert rows[0]["answer"] == "'=HYPERLINK(\"http://x\")"  # shown as text, never evaluated
    assert not (results / "nbgrader").exists()  # exporting writes nothing to the store


def test_bad_rows_are_each_reported_and_nothing_is_recorded(course, tmp_path):
    """Unknown student or question, a score out of range, a non-number: each reported with
    its line, and not even the good rows recorded?"""
    results = results_folder(course, tmp_path / "r")
    sheet = tmp_path / "w.csv"
    sheet.write_text("student,question,max_points,score,comment,answer\n"
                     "ann,softmax-q-scale,3,2,good,\n"
                     "zed,softmax-q-scale,3,1,,\n"
                     "ann,no-such,3,1,,\n"
                     "bob,softmax-q-scale,3,3.5,,\n"
                     "bob,softmax-q-bits,2,two,,\n"
                     "bob,softmax-q-bits,2,-1,,\n")
    code, _, err = run_cli("written", "import", str(results), str(sheet))
    lines = err.strip().splitlines()
    assert code == 1 and "nothing was recorded" in lines[0]
    assert [line.split(": ", 2)[:2] for line in lines[1:]] == [
        [f"{sheet}:3", "student"], [f"{sheet}:4", "question"], [f"{sheet}:5", "score"],
        [f"{sheet}:6", "score"], [f"{sheet}:7", "score"]]
    assert "3.5 is outside [0, 2]" in lines[3] and "'two' is not a number" in lines[4]
    assert written.load(results) == {}


def test_import_then_formgrader_then_import_the_later_edit_wins(course, tmp_path):
    """Do CSV scores and formgrader's (nbgrader's database API) land in one store, each later
    edit winning, an empty cell meaning "not graded yet", and the outputs following?"""
    results = results_folder(course, tmp_path / "r")
    sheet = tmp_path / "w.csv"
    sheet.write_text("student,question,score,comment\n"
                     "ann,softmax-q-scale,2,\"=clear, but short\"\n"
                     "ann,softmax-q-bits,,\n"
                     "bob,softmax-q-scale,2,\n")
    code, out, err = run_cli("written", "import", str(results), str(sheet))
    assert code == 0, err
    assert "recorded 2 score(s) and 1 comment(s)" in out
    scores = written.load(results)
    assert scores[("softmax", "ann")]["softmax-q-scale"].score == 2
    assert scores[("softmax", "ann")]["softmax-q-scale"].comment == "=clear, but short"
    assert scores[("softmax", "ann")]["softmax-q-bits"].score is None  # not graded yet
    assert scores[("softmax", "bob")]["softmax-q-bits"].score == 0  # left blank: 0, as nbgrader
    grades = {r["submission"]: r for r in read_csv(results / "grades.csv")}
    assert (grades["ann"]["written"], grades["ann"]["written_pending"]) == ("2", "1")
    assert (grades["bob"]["written"], grades["bob"]["final_score"]) == ("2", "16")
    with open_gradebook(results) as gb:  # what formgrader's PUT /formgrader/api/grade does
        grade = gb.find_grade("softmax-q-scale", "softmax", "softmax", "ann")
        grade.manual_score = 1.5
        gb.db.commit()
    assert written.load(results)[("softmax", "ann")]["softmax-q-scale"].score == 1.5
    sheet.write_text("student,question,score,comment\nann,softmax-q-scale,1,\n")
    assert run_cli("written", "import", str(results), str(sheet))[0] == 0
    assert written.load(results)[("softmax", "ann")]["softmax-q-scale"].score == 1


def test_a_changed_answer_is_flagged_again_an_unchanged_one_is_not(course, tmp_path):
    """After a grader scored both answers, is only the answer whose text changed on
    resubmission marked for review, and do both keep their scores?"""
    from autograder.reports import nbgrader_db

    results = results_folder(course, tmp_path / "r")
    reports = batch.Store(results).reports()
    entries = [("ann", "softmax-q-scale", 2.0, ""), ("ann", "softmax-q-bits", 1.0, "")]
    nbgrader_db.record_written(reports, results / "nbgrader", course,
                               course.assignment("softmax"), entries)
    nbgrader_db.write(reports, results / "nbgrader", course)  # an unchanged rewrite
    scores = written.load(results)[("softmax", "ann")]
    assert not scores["softmax-q-scale"].needs_review and not scores["softmax-q-bits"].needs_review
    resubmitted = graded(course, "ann", (("softmax-q-scale", "=HYPERLINK(\"http://x\")"),
                                         ("softmax-q-bits", "Now a longer answer.")))
    nbgrader_db.write([resubmitted], results / "nbgrader", course)
    scores = written.load(results)[("softmax", "ann")]
    assert (scores["softmax-q-scale"].score, scores["softmax-q-scale"].needs_review) == (2.0, False)
    assert (scores["softmax-q-bits"].score, scores["softmax-q-bits"].needs_review) == (1.0, True)


def test_report_into_a_new_folder_carries_every_score(course, tmp_path):
    """Does `report --out NEW` copy the written scores into NEW's database and outputs?"""
    results = results_folder(course, tmp_path / "r")
    sheet = tmp_path / "w.csv"
    sheet.write_text("student,question,score,comment\nann,softmax-q-scale,2,ok\n"
                     "ann,softmax-q-bits,1,\n")
    assert run_cli("written", "import", str(results), str(sheet))[0] == 0
    code, _, err = run_cli("report", str(results), "--out", str(tmp_path / "new"))
    assert code == 0, err
    carried = written.load(tmp_path / "new")[("softmax", "ann")]
    assert (carried["softmax-q-scale"].score, carried["softmax-q-scale"].comment) == (2.0, "ok")
    assert carried["softmax-q-bits"].score == 1.0
    feedback = (tmp_path / "new" / "ann" / "feedback.md").read_text()
    assert "Written answers: 3 / 4." in feedback and "not graded yet" not in feedback
    assert json.loads((tmp_path / "new" / "ann" / "results.json").read_text())["score"] == 17


@pytest.mark.parametrize("text, kept", [("=1+1", "'=1+1"), ("-0.5", "-0.5"), ("@SUM(A1)",
                                                                             "'@SUM(A1)"),
                                        ("+x", "'+x"), ("-x", "'-x"), ("plain", "plain")])
def test_csv_cells_that_look_like_formulas_are_quoted(text, kept):
    """Does every CSV cell starting with =, +, - or @ get a quote, numbers excepted?"""
    from autograder.reports import safe_csv

    assert safe_csv.cell(text) == kept and safe_csv.unquote(kept) == text
