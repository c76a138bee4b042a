"""Gradescope's results.json (the autograder specification's format)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..final import FinalGrade, for_report
from ..records import CheckRecord, Report

STATUS = {"passed": "passed", "skipped": "passed"}


def results(report: Report, final: FinalGrade | None = None) -> dict[str, Any]:
    """The results.json document for one submission; `final` is its grade as of now."""
    final = final or for_report(report, None)
    return {
        "score": final.final_score,
        "max_score": report.max_score,
        "execution_time": report.execution_time,
        "output": summary(report, final),
        "output_format": "md",
        "visibility": "visible",
        "tests": [_test(c) for c in report.checks] + _flags(report),
        "extra_data": {"seed": report.seed, "tier": report.tier,
                       "manual_pending": final.written_max - final.written,
                       "late_penalty": final.late_penalty},
    }


def _test(check: CheckRecord) -> dict[str, Any]:
    lines = [check.message] if check.message else []
    if check.hint:
        lines.append(f"Hint: {check.hint}")
    return {"name": check.name, "score": check.score, "max_score": check.points,
            "status": STATUS.get(check.status, "failed"), "output": "\n".join(lines),
            "visibility": check.visibility, "tags": [check.function],
            "name_format": "text", "output_format": "text"}


def _flags(report: Report) -> list[dict[str, Any]]:
    """Integrity flags as a 0-point test that Gradescope shows instructors only ("hidden")."""
    if not report.flags:
        return []
    return [{"name": "Integrity flags (instructor only; the score is unchanged)", "score": 0.0,
             "max_score": 0.0, "status": "failed", "output": "\n".join(report.flags),
             "visibility": "hidden", "tags": ["integrity"], "name_format": "text",
             "output_format": "text"}]


def summary(report: Report, final: FinalGrade) -> str:
    """The top-level text: problems with the notebook, cells that failed, written answers."""
    if report.problem:
        return f"**Your notebook could not be graded:** {report.problem}"
    lines = [f"Autograded: {report.score:g} / {report.max_score:g} points "
             f"(isolation: {report.tier}, seed {report.seed})."]
    if final.late_penalty:
        lines.append(f"Late penalty: {final.late_penalty:.0%}; score after penalty "
                     f"{final.final_score:g}.")
    if final.written_max and not final.written_complete:
        lines.append(f"Written answers ({final.written_max:g} points) are graded by hand "
                     "and are not included yet.")
    for cell in report.cells:
        if cell.status != "ok":
            lines.append(f"- {cell.label}: {cell.status}: {cell.message}")
    if report.neutralised:
        lines.append(f"- {len(report.neutralised)} magic or shell line(s) were not run: "
                     + ", ".join(f"`{n[:40]}`" for n in report.neutralised[:5]))
    return "\n".join(lines)


def write(report: Report, path: Path, final: FinalGrade | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results(report, final), indent=2) + "\n", encoding="utf-8")
