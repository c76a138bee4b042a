"""A semester end to end: grade a batch in nbgrader's layout (on time, late, extended,
unreadable time), enter written scores through formgrader's database API and `written
import`, change the late policy and a due date, regrade after a hidden test changes, grade
one more student into the same folder. After each step every output's final score equals an
expectation computed here, independently of final.py, and no entered score is lost."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from autograder import batch, bundle, written
from autograder.cli import main
from autograder.course import Course
from conftest import ROOT, edit_notebook

pytestmark = pytest.mark.slow
UTC = dt.timezone.utc
TIMES = {"ann": "2026-12-04 20:00:00.000000 UTC",     # on time
         "ben": "2026-12-06 12:00:00.000000 UTC",     # 2 started days late
         "cat": "2026-12-06 12:00:00.000000 UTC",     # late, but has an extension
         "dan": "2026-12-05 10:00:00.000000 XYZ",     # a time nobody can read
         "eve": "2026-12-05 02:10:00.000000 KST"}     # nbgrader's zone abbreviation: on time
EXTENSION = "2026-12-08T00:00:00+00:00"


class Semester:
    """A copy of the course (softmax only) and the commands of one instructor."""

    def __init__(self, course: Course, root: Path) -> None:
        a = course.assignment("softmax")
        self.root = root
        self.course_file = root / "course.yaml"
        self.course_file.write_bytes(bundle.single_assignment_course(course, a))
        for folder in ("solutions/softmax", "assignments/softmax", "common"):
            shutil.copytree(ROOT / folder, root / folder,
                            ignore=shutil.ignore_patterns("__pycache__"))
        (root / "extensions.csv").write_text(f"student,assignment,due\ncat,softmax,{EXTENSION}\n")
        self.results = root / "results"
        self.written_ids = list(a.written)

    def cli(self, *argv: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        code = main(["--course", str(self.course_file), *argv], stdout=out, stderr=err)
        assert code == 0, err.getvalue()
        return out.getvalue()

    def process(self, *argv: str) -> str:
        done = subprocess.run([sys.executable, "-m", "autograder", "--course",
                               str(self.course_file), *argv], capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def submit(self, student: str, source: Path, stamp: str) -> None:
        folder = self.root / "course" / "submitted" / student / "softmax"
        answers = {q: f"{student}'s answer to {q}" for q in self.written_ids}
        edit_notebook(source, folder / "softmax.ipynb", answers)
        (folder / "timestamp.txt").write_text(stamp + "\n")

    def config(self) -> dict:
        return yaml.safe_load(self.course_file.read_text())

    def set_config(self, data: dict) -> None:
        self.course_file.write_text(yaml.safe_dump(data, sort_keys=False))


def expected(sem: Semester, folder: Path, records: Path) -> dict[str, float]:
    """Each student's final score, computed from the records, the folder's written scores and
    course.yaml."""
    raw = sem.config()
    policy, entry = raw["late_policy"], raw["assignments"][0]
    extensions = {r["student"]: r["due"] for r in csv.DictReader(
        (sem.root / "extensions.csv").open())}
    scores = written.load(folder)
    out = {}
    for report in batch.Store(records).reports():
        due = dt.datetime.fromisoformat(str(extensions.get(report.submission, entry["due"])))
        mine = scores.get(("softmax", report.submission), {})
        given = sum(min(s.score, entry["written"][q]) for q, s in mine.items()
                    if q in entry["written"] and s.score is not None)
        penalty = 0.0
        if report.submitted:
            late = dt.datetime.fromisoformat(report.submitted) - due - dt.timedelta(
                minutes=policy["grace_minutes"])
            if late > dt.timedelta(0):
                days = math.ceil(late / dt.timedelta(days=1))
                penalty = min(policy["max_penalty"], days * policy["penalty_per_day"])
        out[report.submission] = round((report.score + given) * (1 - penalty), 6)
    return out


def outputs(folder: Path) -> dict[str, dict[str, float]]:
    """The final score of each student in every output that states one."""
    grades = {r["submission"]: float(r["final_score"])
              for r in csv.DictReader((folder / "grades.csv").open())}
    book = {r["student"]: float(r["softmax"]) for r in csv.DictReader(
        (folder / "gradebook.csv").open())}
    results = {s: json.loads((folder / s / "results.json").read_text())["score"] for s in grades}
    junit = {}
    for suite in ET.parse(folder / "junit.xml").getroot():
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        junit[suite.get("name").split(".", 1)[1]] = float(props["final_score"])
    page = (folder / "class-report.html").read_text()
    shown = {s: float(m[1]) for s in grades for m in [re.search(
        rf'{re.escape(s)}</a></td><td class=num>[^<]*</td><td class=num>[^<]*</td>'
        rf'<td class=num>[^<]*</td><td class=num>([^<]*)</td>', page)] if m}
    return {"grades.csv": grades, "gradebook.csv": book, "results.json": results,
            "junit.xml": junit, "class-report.html": shown}


def assert_outputs(sem: Semester, folder: Path, records: Path | None = None
                   ) -> dict[str, float]:
    """Every output of `folder` against the expectation; `records`: where the records are
    (a `report --out` folder has none; its written scores must be its own copy)."""
    want = expected(sem, folder, records or folder)
    for name, got in outputs(folder).items():
        assert got == pytest.approx(want), name
    return want


def test_a_semester(course, tmp_path):
    sem = Semester(course, tmp_path)
    a = course.assignment("softmax")
    wrong = ROOT / "examples" / "softmax" / "bob.ipynb"
    for student in ("ann", "ben", "cat", "dan", "eve"):
        sem.submit(student, wrong if student == "eve" else a.solution_notebook, TIMES[student])

    # 1. grade the batch, with nbgrader's database for formgrader
    out = sem.cli("grade", "softmax", str(sem.root / "course"), "--out", str(sem.results),
                  "--seed", "4", "--quiet", "--nbgrader-db")
    assert "dan: submission time '2026-12-05 10:00:00.000000 XYZ' could not be read " \
           "(unknown time zone)" in out
    rows = {r["submission"]: r for r in csv.DictReader((sem.results / "grades.csv").open())}
    assert "could not be read" in rows["dan"]["problem"] and rows["ann"]["problem"] == ""
    first = assert_outputs(sem, sem.results)
    assert first["ann"] > first["ben"] and first["cat"] == first["ann"]  # extension: on time
    assert first["eve"] < first["ann"]

    # 2. written scores: formgrader's database API for ann, a spreadsheet for ben
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{written.db_path(sem.results)}") as gb:
        grade = gb.find_grade(sem.written_ids[0], "softmax", "softmax", "ann")
        grade.manual_score, grade.needs_manual_grade = 2.0, False
        gb.db.commit()
    sheet = tmp_path / "written.csv"
    sem.cli("written", "export", str(sem.results), "--out", str(sheet))
    lines = list(csv.DictReader(sheet.open()))
    for row in lines:
        row["score"] = row["max_points"] if row["student"] == "ben" else row["score"]
    with sheet.open("w", newline="") as f:
        writer = csv.DictWriter(f, list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)
    sem.cli("written", "import", str(sem.results), str(sheet))
    entered = written.load(sem.results)
    assert entered[("softmax", "ann")][sem.written_ids[0]].score == 2.0
    second = assert_outputs(sem, sem.results)
    assert second["ann"] == first["ann"] + 2 and second["ben"] > first["ben"]
    report = sem.cli("report", str(sem.results), "--out", str(tmp_path / "report"))
    assert "outputs in" in report
    assert_outputs(sem, tmp_path / "report", sem.results)
    assert written.load(tmp_path / "report") == written.load(sem.results)

    # 3. a harsher policy and a later due date: no regrade, every output follows
    raw = sem.config()
    raw["late_policy"]["penalty_per_day"] = 0.25
    raw["assignments"][0]["due"] = "2026-12-05T23:59:00+00:00"
    sem.set_config(raw)
    out = sem.cli("grade", "softmax", str(sem.root / "course"), "--out", str(sem.results),
                  "--quiet")
    assert "5 submission(s) already graded" in out
    third = assert_outputs(sem, sem.results)
    assert third["ben"] != second["ben"]
    sem.cli("report", str(sem.results), "--out", str(tmp_path / "report"))
    assert_outputs(sem, tmp_path / "report", sem.results)

    # 4. a hidden test changes: everyone fails the first test now; --regrade says who lost
    tests = sem.root / "solutions" / "softmax" / "tests" / "test_softmax.py"
    text = tests.read_text()
    head = re.search(r"((?:@pytest\.mark\.[^\n]+\n)+)def (test_\w+)\(", text)
    tests.write_text(text + f"\n\n{head[1]}def {head[2]}(student):\n    assert False\n")
    out = sem.process("grade", "softmax", str(sem.root / "course"), "--out",
                      str(sem.results), "--quiet", "--regrade")  # a new process reads the tests
    fourth = assert_outputs(sem, sem.results)
    changed = {m[1]: (float(m[2]), float(m[3])) for m in re.finditer(
        r"^  (\S+): ([\d.]+) -> ([\d.]+) \(", out, re.M)}
    assert changed == {s: (third[s], fourth[s]) for s in third if third[s] != fourth[s]}
    assert changed and "final score(s) changed" in out
    assert list((sem.results / batch.RECORDS / batch.HISTORY).glob("*/ann.report.json"))
    assert written.load(sem.results) == entered  # nothing entered is lost

    # 5. one more student, graded alone into the same folder: the gradebook keeps everyone
    late = sem.root / "late"
    sem.submit("fay", a.solution_notebook, "2026-12-05 12:00:00.000000 UTC")
    shutil.move(sem.root / "course" / "submitted" / "fay", late / "submitted" / "fay")
    sem.cli("grade", "softmax", str(late), "--out", str(sem.results), "--quiet")
    fifth = assert_outputs(sem, sem.results)
    assert set(fifth) == {"ann", "ben", "cat", "dan", "eve", "fay"}
    now = written.load(sem.results)
    assert {key: now[key] for key in entered} == entered

    # 6. ann resubmits with another first answer: flagged for review, the score kept
    first_answer = sem.written_ids[0]
    pending = {r["submission"]: int(r["written_pending"])
               for r in csv.DictReader((sem.results / "grades.csv").open())}
    notebook = sem.root / "course" / "submitted" / "ann" / "softmax" / "softmax.ipynb"
    edit_notebook(notebook, notebook, {first_answer: "A better answer."})
    sem.cli("grade", "softmax", str(sem.root / "course"), "--out", str(sem.results), "--quiet")
    mine = written.load(sem.results)[("softmax", "ann")]
    assert (mine[first_answer].score, mine[first_answer].needs_review) == (2.0, True)
    rows = {r["submission"]: r for r in csv.DictReader((sem.results / "grades.csv").open())}
    assert int(rows["ann"]["written_pending"]) == pending["ann"] + 1
    assert_outputs(sem, sem.results)
