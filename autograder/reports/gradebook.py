"""CSV gradebooks.

grades.csv (a batch): one row per submission, one column per graded function.
gradebook.csv (a course): one row per student, one column per assignment (the final score,
after any late penalty), then one column per assignment and function, then the flags.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

from ..records import Report


def rows(reports: Sequence[Report]) -> tuple[list[str], list[list[str]]]:
    functions: list[str] = []
    for r in reports:
        for f in r.functions:
            if f.function not in functions:
                functions.append(f.function)
    header = ["submission", "assignment", "score", "max_score", "late_penalty", "final_score",
              "manual_pending", *functions, "problem", "flags", "seed", "tier"]
    body = []
    for r in reports:
        per = {f.function: f.score for f in r.functions}
        body.append([r.submission, r.assignment, f"{r.score:g}", f"{r.max_score:g}",
                     f"{r.late_penalty:g}", f"{r.final_score:g}", f"{r.manual_pending:g}",
                     *(f"{per[f]:g}" if f in per else "" for f in functions),
                     r.problem, "; ".join(r.flags), str(r.seed), r.tier])
    return header, body


def write(reports: Sequence[Report], path: Path) -> None:
    header, body = rows(reports)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(body)


def course_rows(reports: Sequence[Report], order: Sequence[str] = ()
                ) -> tuple[list[str], list[list[str]]]:
    """The course gradebook; `order` lists assignment ids first (course.yaml order).

    A student graded twice for one assignment keeps the later report. An assignment a
    student did not submit is an empty cell, not a zero: the instructor decides.
    """
    latest: dict[tuple[str, str], Report] = {}
    for r in reports:
        latest[(r.submission, r.assignment)] = r
    assignments = [a for a in order if any(r.assignment == a for r in reports)]
    assignments += sorted({r.assignment for r in reports} - set(assignments))
    functions = {a: _functions([r for r in reports if r.assignment == a]) for a in assignments}
    header = ["student", *assignments, "total",
              *(f"{a}:{f}" for a in assignments for f in functions[a]), "flags"]
    body = []
    for student in sorted({r.submission for r in reports}):
        mine = {a: latest.get((student, a)) for a in assignments}
        totals = [f"{r.final_score:g}" if r else "" for r in mine.values()]
        per = [_function_score(mine[a], f) for a in assignments for f in functions[a]]
        flags = "; ".join(f"{a}: {flag}" for a, r in mine.items() if r for flag in r.flags)
        total = sum(r.final_score for r in mine.values() if r)
        body.append([student, *totals, f"{round(total, 6):g}", *per, flags])
    return header, body


def _functions(reports: Sequence[Report]) -> list[str]:
    names: list[str] = []
    for r in reports:
        names += [f.function for f in r.functions if f.function not in names]
    return names


def _function_score(report: Report | None, function: str) -> str:
    scores = {f.function: f.score for f in report.functions} if report else {}
    return f"{scores[function]:g}" if function in scores else ""


def write_course(reports: Sequence[Report], path: Path, order: Sequence[str] = ()) -> None:
    header, body = course_rows(reports, order)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(body)
