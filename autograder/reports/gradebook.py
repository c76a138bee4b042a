"""CSV gradebooks, written from reports and their final grades (final.py).

grades.csv (a batch): one row per submission: autograded and written points, the late
penalty, the final score, one column per graded function, and the problems and flags.
gradebook.csv (a course): one row per student, one column per assignment (the final score:
(score + written) * (1 - late penalty)), the total, then one column per assignment and
function, then the flags. Every cell goes through safe_csv.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..final import FinalGrade, for_reports
from ..records import Report
from . import safe_csv


def rows(reports: Sequence[Report], finals: Sequence[FinalGrade] | None = None
         ) -> tuple[list[str], list[list[str]]]:
    """grades.csv; `finals` are the grades as of now (default: no written scores, no
    lateness)."""
    finals = finals if finals is not None else for_reports(reports, None)
    functions: list[str] = []
    for r in reports:
        for f in r.functions:
            if f.function not in functions:
                functions.append(f.function)
    header = ["submission", "assignment", "score", "max_score", "written", "written_max",
              "written_pending", "late_penalty", "final_score", "submitted", "due",
              *functions, "problem", "flags", "seed", "tier"]
    body = []
    for r, g in zip(reports, finals):
        per = {f.function: f.score for f in r.functions}
        body.append([r.submission, r.assignment, f"{r.score:g}", f"{r.max_score:g}",
                     f"{g.written:g}", f"{g.written_max:g}", str(g.written_pending),
                     f"{g.late_penalty:g}", f"{g.final_score:g}", r.submitted,
                     g.due.isoformat() if g.due else "",
                     *(f"{per[f]:g}" if f in per else "" for f in functions),
                     "; ".join(p for p in (r.problem, g.problem) if p), "; ".join(r.flags),
                     str(r.seed), r.tier])
    return header, body


def write(reports: Sequence[Report], path: Path,
          finals: Sequence[FinalGrade] | None = None) -> None:
    header, body = rows(reports, finals)
    safe_csv.write(path, header, body)


def course_rows(reports: Sequence[Report], order: Sequence[str] = (),
                finals: Sequence[FinalGrade] | None = None
                ) -> tuple[list[str], list[list[str]]]:
    """The course gradebook; `order` lists assignment ids first (course.yaml order).

    A student graded twice for one assignment keeps the later report. An assignment a
    student did not submit is an empty cell, not a zero: the instructor decides.
    """
    finals = finals if finals is not None else for_reports(reports, None)
    latest: dict[tuple[str, str], tuple[Report, FinalGrade]] = {}
    for r, g in zip(reports, finals):
        latest[(r.submission, r.assignment)] = (r, g)
    assignments = [a for a in order if any(r.assignment == a for r in reports)]
    assignments += sorted({r.assignment for r in reports} - set(assignments))
    functions = {a: _functions([r for r in reports if r.assignment == a]) for a in assignments}
    header = ["student", *assignments, "total",
              *(f"{a}:{f}" for a in assignments for f in functions[a]), "flags"]
    body = []
    for student in sorted({r.submission for r in reports}):
        mine = {a: latest.get((student, a)) for a in assignments}
        totals = [f"{p[1].final_score:g}" if p else "" for p in mine.values()]
        per = [_function_score(mine[a], f) for a in assignments for f in functions[a]]
        flags = "; ".join(f"{a}: {flag}" for a, p in mine.items() if p for flag in p[0].flags)
        total = sum(p[1].final_score for p in mine.values() if p)
        body.append([student, *totals, f"{round(total, 6):g}", *per, flags])
    return header, body


def _functions(reports: Sequence[Report]) -> list[str]:
    names: list[str] = []
    for r in reports:
        names += [f.function for f in r.functions if f.function not in names]
    return names


def _function_score(pair: tuple[Report, FinalGrade] | None, function: str) -> str:
    scores = {f.function: f.score for f in pair[0].functions} if pair else {}
    return f"{scores[function]:g}" if function in scores else ""


def write_course(reports: Sequence[Report], path: Path, order: Sequence[str] = (),
                 finals: Sequence[FinalGrade] | None = None) -> None:
    header, body = course_rows(reports, order, finals)
    safe_csv.write(path, header, body)
