"""grades.csv: one row per submission, one column per graded function."""
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
