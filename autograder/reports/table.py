"""A readable table for the terminal."""
from __future__ import annotations

from ..records import Report

MARK = {"passed": "ok", "failed": "FAIL", "error": "ERROR", "timeout": "TIME", "skipped": "skip"}


def render(report: Report, checks: bool = True) -> str:
    head = f"{report.submission} [{report.assignment}]"
    if report.problem:
        return f"{head}: 0 / {report.max_score:g}  -- {report.problem}\n"
    lines = [f"{head}: {report.final_score:g} / {report.max_score:g}"
             + (f"  (+{report.manual_pending:g} written, graded by hand)"
                if report.manual_pending else "")]
    width = max((len(f.function) for f in report.functions), default=8)
    for f in report.functions:
        lines.append(f"  {f.function:<{width}}  {f.score:>5g} / {f.max_score:g}")
    if checks:
        for c in report.checks:
            if c.status != "passed":
                text = f"    {MARK.get(c.status, c.status)} {c.name}: {c.message}"
                lines.append(text + (f" (hint: {c.hint})" if c.hint else ""))
    for cell in report.cells:
        if cell.status != "ok":
            lines.append(f"    {cell.label}: {cell.status}: {cell.message}")
    return "\n".join(lines) + "\n"


def summary_line(reports: list[Report]) -> str:
    graded = [r for r in reports if not r.problem]
    return (f"graded {len(reports)} submission(s): {len(graded)} graded, "
            f"{len(reports) - len(graded)} unreadable")
