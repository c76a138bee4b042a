"""Outputs, each rendered from Reports (and so from the same per-check records)."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..records import Report
from . import gradebook, gradescope


def write_all(reports: Sequence[Report], out: Path) -> list[Path]:
    """Write every output of a graded batch into `out`; returns the files written.

    Per submission: <name>/results.json (Gradescope). For the batch: grades.csv.
    """
    written = []
    for report in reports:
        path = out / report.submission / "results.json"
        gradescope.write(report, path)
        written.append(path)
    gradebook.write(reports, out / "grades.csv")
    return written + [out / "grades.csv"]
