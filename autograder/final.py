"""The final grade of a submission: derived whenever an output is written, never stored.

    final_score = (autograded score + written score) * (1 - late_penalty)

The inputs are read as they are now: the autograded check records (a Report), the scores
graders entered for the written answers, the submission time, the student's due date (an
extension from extensions.csv, else course.yaml's) and the late policy of the current
course.yaml. Every output writer calls `final_grade` (or `for_reports`); nothing else
computes a penalty or a final score.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Sequence

from . import scoring
from .course import Assignment, Course, LatePolicy
from .records import Report, WrittenScore


@dataclass(frozen=True)
class FinalGrade:
    """One submission's grade as of now."""

    student: str
    """Student id."""
    assignment: str
    """Assignment id."""
    score: float
    """Autograded points."""
    max_score: float
    """Autograded points available."""
    written: float
    """Points given to written answers so far."""
    written_max: float
    """Points the written answers are worth (course.yaml)."""
    written_pending: int
    """Written answers not graded yet, or changed since they were graded."""
    due: dt.datetime | None
    """The student's due date (with any extension), or None."""
    submitted: dt.datetime | None
    """When it was submitted, or None when unknown."""
    late_penalty: float
    """Fraction of the whole grade taken for lateness."""
    final_score: float
    """(score + written) * (1 - late_penalty)."""
    problem: str = ""
    """What is wrong with the inputs (a submission time that could not be read)."""

    @property
    def max_total(self) -> float:
        return round(self.max_score + self.written_max, 6)

    @property
    def days_late(self) -> float | None:
        """Days from the due date to the submission (negative: early), when both are known."""
        if self.due is None or self.submitted is None:
            return None
        return (self.submitted - self.due) / dt.timedelta(days=1)

    @property
    def written_complete(self) -> bool:
        return self.written_pending == 0


def final_grade(report: Report, *, written_points: Mapping[str, float],
                written: Mapping[str, WrittenScore] | None = None,
                due: dt.datetime | None = None,
                policy: LatePolicy = LatePolicy()) -> FinalGrade:
    """The grade of one report; `written_points` maps each written question to its points."""
    given, pending = _written(written_points, written or {})
    submitted = submission_time(report)
    penalty = scoring.late_penalty(policy, due, submitted)
    return FinalGrade(
        student=report.submission, assignment=report.assignment, score=report.score,
        max_score=report.max_score, written=given,
        written_max=round(float(sum(written_points.values())), 6), written_pending=pending,
        due=due, submitted=submitted, late_penalty=penalty,
        final_score=round((report.score + given) * (1.0 - penalty), 6),
        problem=report.time_problem)


def _written(points: Mapping[str, float], scores: Mapping[str, WrittenScore]
             ) -> tuple[float, int]:
    given, pending = 0.0, 0
    for question, most in points.items():
        entry = scores.get(question)
        if entry is None or entry.score is None:
            pending += 1
            continue
        given += min(max(entry.score, 0.0), most)
        pending += entry.needs_review
    return round(given, 6), pending


def submission_time(report: Report) -> dt.datetime | None:
    """The recorded submission time (timezone-aware), or None."""
    if not report.submitted:
        return None
    try:
        when = dt.datetime.fromisoformat(report.submitted)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def for_report(report: Report, course: Course | None,
               written: Mapping[tuple[str, str], Mapping[str, WrittenScore]] | None = None
               ) -> FinalGrade:
    """final_grade with everything taken from the course: points, due date, policy."""
    scores = (written or {}).get((report.assignment, report.submission))
    assignment = _assignment(course, report.assignment)
    if course is None or assignment is None:
        return final_grade(report, written_points=_unknown_points(report), written=scores)
    return final_grade(report, written_points=assignment.written, written=scores,
                       due=course.due_for(assignment, report.submission),
                       policy=course.late_policy)


def for_reports(reports: Sequence[Report], course: Course | None,
                written: Mapping[tuple[str, str], Mapping[str, WrittenScore]] | None = None
                ) -> list[FinalGrade]:
    """The final grade of every report, in the same order."""
    return [for_report(r, course, written) for r in reports]


def _assignment(course: Course | None, ident: str) -> Assignment | None:
    return next((a for a in course.assignments if a.id == ident), None) if course else None


def _unknown_points(report: Report) -> dict[str, float]:
    """Without the course: the written points the record knew, as one question."""
    return {"written": report.manual_pending} if report.manual_pending else {}
