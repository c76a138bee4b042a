"""Scores of the written answers: one store, two ways in.

The store is nbgrader's own gradebook, <results>/nbgrader/gradebook.db, because formgrader
writes there: a score or comment entered in formgrader and one recorded by `written import`
land in the same row, so the later edit wins and nothing needs syncing. This module reads it
with the standard library's sqlite3 (fast: grading one notebook never imports nbgrader) and
writes it, for `written import`, through nbgrader's own API in reports/nbgrader_db.py.

A written answer's score is the grader's (manual) score, else nbgrader's automatic 0 for an
answer left as released ("No response."), else none: not graded yet.
"""
from __future__ import annotations

import csv
import math
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .course import Assignment, Course
from .errors import UsageError
from .records import Report, WrittenScore
from .reports import safe_csv

NBGRADER = "nbgrader"
"""Folder of a results folder that is nbgrader's course directory (formgrader's root)."""
AUTO_PREFIX = "autograded-"
"""Grade cells holding autograded function scores, not written answers."""
COLUMNS = ("student", "question", "max_points", "score", "comment", "answer")
"""The columns of `written export`; `written import` reads student, question, score and
comment."""

Scores = dict[tuple[str, str], dict[str, WrittenScore]]
"""(assignment, student) -> question -> score."""

QUERY = """
SELECT a.name, st.id, bc.name, g.auto_score, g.manual_score, g.extra_credit,
       g.needs_manual_grade, c.manual_comment
FROM grade g
JOIN base_cell bc ON bc.id = g.cell_id
JOIN submitted_notebook sn ON sn.id = g.notebook_id
JOIN submitted_assignment sa ON sa.id = sn.assignment_id
JOIN assignment a ON a.id = sa.assignment_id
JOIN student st ON st.id = sa.student_id
LEFT JOIN (comment c JOIN base_cell cc ON cc.id = c.cell_id)
       ON c.notebook_id = sn.id AND cc.name = bc.name
"""


def db_path(results: Path) -> Path:
    return results / NBGRADER / "gradebook.db"


def load(results: Path) -> Scores:
    """Every written-answer score of a results folder ({} when nothing was graded yet)."""
    path = db_path(results)
    if not path.is_file():
        return {}
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute(QUERY).fetchall()
    except sqlite3.DatabaseError:
        return {}  # created but not filled in yet (or not nbgrader's): no scores
    finally:
        connection.close()
    scores: Scores = {}
    for assignment, student, question, auto, manual, extra, flagged, comment in rows:
        if str(question).startswith(AUTO_PREFIX):
            continue
        scores.setdefault((assignment, student), {})[question] = _score(
            question, auto, manual, extra, bool(flagged), comment)
    return scores


def _score(question: str, auto: float | None, manual: float | None, extra: float | None,
           flagged: bool, comment: str | None) -> WrittenScore:
    if manual is not None:
        return WrittenScore(question, float(manual) + float(extra or 0.0), comment or "",
                            needs_review=flagged)
    if auto is not None:
        return WrittenScore(question, float(auto), comment or "")
    return WrittenScore(question, None, comment or "")


def load_all(folders: Iterable[Path]) -> Scores:
    """The scores of several results folders (later folders win for the same student)."""
    out: Scores = {}
    for folder in folders:
        out.update(load(folder))
    return out


# --- spreadsheet export and import --------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One written answer of one student, as `written export` writes it."""

    student: str
    question: str
    max_points: float
    score: float | None
    comment: str
    answer: str


def rows(reports: Sequence[Report], assignment: Assignment, scores: Scores) -> list[Row]:
    """One row per student and written question, in course.yaml order."""
    out = []
    for report in sorted(reports, key=lambda r: r.submission):
        answers = dict(report.answers)
        mine = scores.get((assignment.id, report.submission), {})
        for question, points in assignment.written.items():
            entry = mine.get(question)
            out.append(Row(report.submission, question, float(points),
                           entry.score if entry else None, entry.comment if entry else "",
                           answers.get(question, "")))
    return out


def export(reports: Sequence[Report], assignment: Assignment, scores: Scores,
           path: Path) -> int:
    """Write the spreadsheet; returns the number of rows."""
    body = rows(reports, assignment, scores)
    safe_csv.write(path, COLUMNS, ([r.student, r.question, f"{r.max_points:g}",
                                    "" if r.score is None else f"{r.score:g}", r.comment,
                                    r.answer] for r in body))
    return len(body)


@dataclass(frozen=True)
class Entry:
    """A score to record, from one line of an imported spreadsheet."""

    student: str
    question: str
    score: float | None
    """None: the score cell was empty (not graded yet); only the comment is recorded."""
    comment: str


def read_import(path: Path, assignment: Assignment, students: Iterable[str]) -> list[Entry]:
    """The rows of a spreadsheet to import, every bad row reported (one per line), or none."""
    known = set(students)
    entries, problems = [], []
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ("student", "question", "score") if c not in
                   (reader.fieldnames or [])]
        if missing:
            raise UsageError(f"{path}:1: missing column(s) {', '.join(missing)} (expected "
                             f"{','.join(COLUMNS)})")
        for row in reader:
            entry, problem = _entry(row, assignment, known)
            if problem:
                problems.append(f"{path}:{reader.line_num}: {problem}")
            elif entry is not None:
                entries.append(entry)
    if problems:
        raise UsageError("nothing was recorded; fix these rows and import again:\n"
                         + "\n".join(problems))
    return entries


def _entry(row: Mapping[str, str | None], assignment: Assignment, known: set[str]
           ) -> tuple[Entry | None, str]:
    student = _unquote(row.get("student"))
    question = _unquote(row.get("question"))
    text = (row.get("score") or "").strip()
    comment = _unquote(row.get("comment"))
    if student not in known:
        return None, f"student: unknown student {student!r} (not graded in this folder)"
    if question not in assignment.written:
        return None, (f"question: unknown written question {question!r} of {assignment.id} "
                      f"(course.yaml has: {', '.join(assignment.written)})")
    if not text:
        return (Entry(student, question, None, comment) if comment else None), ""
    most = float(assignment.written[question])
    try:
        score = float(text)
    except ValueError:
        return None, f"score: {text!r} is not a number"
    if not math.isfinite(score) or not 0 <= score <= most:
        return None, f"score: {text} is outside [0, {most:g}] for {question}"
    return Entry(student, question, score, comment), ""


def _unquote(value: str | None) -> str:
    """A cell as written, without the quote the export put before a formula-like text."""
    return safe_csv.unquote((value or "").strip())


def record(results: Path, course: Course, assignment: Assignment, reports: Sequence[Report],
           entries: Sequence[Entry]) -> Path:
    """Record imported scores in the store (creating nbgrader's gradebook when needed)."""
    from .reports import nbgrader_db  # imports nbgrader: only for this command

    return nbgrader_db.record_written(reports, results / NBGRADER, course, assignment,
                                      [(e.student, e.question, e.score, e.comment)
                                       for e in entries])
