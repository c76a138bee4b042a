"""Canvas's gradebook import CSV: final grades an instructor uploads as they are.

Canvas reads the columns `Student, ID, SIS User ID, SIS Login ID, Section`, then one column
per assignment, named `Title (Canvas assignment id)` (or just a title: Canvas then creates
the assignment), and a second row `Points Possible`. Students are matched by `ID` or
`SIS User ID`/`SIS Login ID`; ours map through the optional roster.csv beside course.yaml
(columns student, name, canvas_id, sis_user_id, sis_login_id, section). Without a roster
entry a student's id is written as the SIS Login ID. Every score is the final grade (final.py).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..course import Course
from ..errors import ConfigError
from ..final import FinalGrade
from . import safe_csv

ROSTER = "roster.csv"
ROSTER_COLUMNS = ("student", "name", "canvas_id", "sis_user_id", "sis_login_id", "section")
HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "    Points Possible"
"""Canvas's own label of the second row (it exports it indented)."""


@dataclass(frozen=True)
class Person:
    """One roster row: how Canvas knows a student."""

    student: str
    name: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""


def load_roster(path: Path) -> dict[str, Person]:
    """roster.csv (optional): student id -> Person; errors name the file, line and column."""
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        names = reader.fieldnames or []
        if "student" not in names:
            raise ConfigError(f"{path}:1: missing column student (columns: "
                              f"{','.join(ROSTER_COLUMNS)})")
        unknown = [n for n in names if n not in ROSTER_COLUMNS]
        if unknown:
            raise ConfigError(f"{path}:1: unknown column(s) {', '.join(unknown)} (columns: "
                              f"{','.join(ROSTER_COLUMNS)})")
        out: dict[str, Person] = {}
        for row in reader:
            student = (row.get("student") or "").strip()
            if not student:
                raise ConfigError(f"{path}:{reader.line_num}: student: empty")
            out[student] = Person(**{k: (row.get(k) or "").strip() for k in ROSTER_COLUMNS})
    return out


def rows(finals: Sequence[FinalGrade], course: Course, roster: dict[str, Person]
         ) -> list[list[str]]:
    """The header, the Points Possible row, then one row per student (roster order first)."""
    ids = [a.id for a in course.assignments if any(g.assignment == a.id for g in finals)]
    latest = {(g.student, g.assignment): g for g in finals}
    header = HEADER + [_column(course, i) for i in ids]
    most = {g.assignment: g.max_total for g in finals}
    out = [header, [POINTS_POSSIBLE, "", "", "", ""] + [f"{most[i]:g}" for i in ids]]
    students = list(dict.fromkeys([*(s for s in roster if any(g.student == s for g in finals)),
                                   *sorted({g.student for g in finals})]))
    for student in students:
        p = roster.get(student, Person(student, sis_login_id=student))
        scores = [f"{latest[(student, i)].final_score:g}" if (student, i) in latest else ""
                  for i in ids]
        out.append([p.name or student, p.canvas_id, p.sis_user_id, p.sis_login_id,
                    p.section, *scores])
    return out


def _column(course: Course, ident: str) -> str:
    title = course.assignment(ident).title
    canvas = course.canvas_ids.get(ident)
    return f"{title} ({canvas})" if canvas else title


def write(finals: Sequence[FinalGrade], course: Course, path: Path) -> Path:
    table = rows(finals, course, load_roster(course.root / ROSTER))
    safe_csv.write(path, table[0], table[1:])
    return path
