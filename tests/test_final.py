"""final.py: the one derivation of a final grade, from inputs as they are now."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from autograder import final
from autograder.course import Assignment, Course, LatePolicy
from autograder.records import FunctionScore, Report, WrittenScore

UTC = dt.timezone.utc
DUE = dt.datetime(2026, 12, 4, 23, 59, tzinfo=UTC)
POLICY = LatePolicy(grace_minutes=15, penalty_per_day=0.1, max_penalty=0.5)
POINTS = {"q1": 3.0, "q2": 2.0}


def report(score: float = 10.0, submitted: str = "", **more: object) -> Report:
    extra = {"submitted": submitted} if submitted else {}
    return Report("hw", "ann", "ann.ipynb", (), (FunctionScore("f", score, 14.0),), score, 14.0,
                  extra=extra, **more)  # type: ignore[arg-type]


def test_the_formula_applies_the_penalty_to_the_whole_grade():
    """Is the final score (score + written) * (1 - penalty), written points included?"""
    two_days = "2026-12-06T12:00:00+00:00"
    written = {"q1": WrittenScore("q1", 2.5), "q2": WrittenScore("q2", 1.0)}
    grade = final.final_grade(report(10, two_days), written_points=POINTS, written=written,
                              due=DUE, policy=POLICY)
    assert (grade.written, grade.late_penalty, grade.final_score) == (3.5, 0.2, 10.8)
    assert grade.written_complete and grade.max_total == 19


def test_written_answers_not_graded_yet_count_zero_and_are_counted():
    """Does a missing score count 0 and make the grade incomplete, capped at its points?"""
    grade = final.final_grade(report(), written_points=POINTS,
                              written={"q1": WrittenScore("q1", 9.0),
                                       "q2": WrittenScore("q2", None)})
    assert (grade.written, grade.written_pending, grade.final_score) == (3.0, 1, 13.0)
    flagged = final.final_grade(report(), written_points=POINTS, written={
        "q1": WrittenScore("q1", 1.0, needs_review=True), "q2": WrittenScore("q2", 2.0)})
    assert (flagged.written, flagged.written_pending) == (3.0, 1)


@pytest.mark.parametrize("submitted, penalty", [
    ("", 0.0), ("2026-12-05T00:10:00+00:00", 0.0), ("2026-12-05T00:20:00+00:00", 0.1),
    ("2026-12-30T00:00:00+00:00", 0.5), ("2026-12-05T08:00:00+09:00", 0.0),
])
def test_lateness_follows_the_policy_given_now(submitted, penalty):
    """Is the penalty the policy's, from the recorded time (grace, per day, cap, zones)?"""
    grade = final.final_grade(report(submitted=submitted), written_points={}, due=DUE,
                              policy=POLICY)
    assert grade.late_penalty == penalty


def test_a_changed_policy_or_due_date_changes_the_grade_without_regrading():
    """Does the same record give the new penalty when the policy or due date changes?"""
    r = report(submitted="2026-12-06T00:30:00+00:00")
    before = final.final_grade(r, written_points={}, due=DUE, policy=POLICY)
    harsher = final.final_grade(r, written_points={}, due=DUE,
                                policy=replace(POLICY, penalty_per_day=0.25))
    later = final.final_grade(r, written_points={}, due=DUE + dt.timedelta(days=2),
                              policy=POLICY)
    assert (before.late_penalty, harsher.late_penalty, later.late_penalty) == (0.2, 0.5, 0.0)


def test_extensions_come_from_the_course(tmp_path):
    """Does for_report use the student's extension and course.yaml's points and policy?"""
    a = Assignment("hw", "HW", "hw.ipynb", Path(tmp_path), {"f": 14.0}, written=POINTS, due=DUE)
    course = Course("c", tmp_path / "course.yaml", (a,), POLICY,
                    extensions={("ann", "hw"): DUE + dt.timedelta(days=3)})
    r = report(submitted="2026-12-06T00:30:00+00:00")
    assert final.for_report(r, course).late_penalty == 0
    assert final.for_report(replace(r, submission="bob"), course).late_penalty == 0.2
    scores = {("hw", "ann"): {"q1": WrittenScore("q1", 3.0), "q2": WrittenScore("q2", 2.0)}}
    assert final.for_report(r, course, scores).final_score == 15


def test_an_unreadable_time_is_a_problem_not_silence():
    """Does a recorded time problem reach the grade, with no penalty guessed?"""
    grade = final.final_grade(report(time_problem="submission time 'x' could not be read"),
                              written_points={}, due=DUE, policy=POLICY)
    assert grade.problem.startswith("submission time 'x'") and grade.late_penalty == 0
