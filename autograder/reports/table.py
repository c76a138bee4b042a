"""A readable table for the terminal."""
from __future__ import annotations

from ..final import FinalGrade, for_report
from ..records import Report

MARK = {"passed": "ok", "failed": "FAIL", "error": "ERROR", "timeout": "TIME", "skipped": "skip"}


def render(report: Report, checks: bool = True, final: FinalGrade | None = None) -> str:
    """A report for the terminal; `final` is its grade as of now (final.py)."""
    final = final or for_report(report, None)
    head = f"{report.submission} [{report.assignment}]"
    if report.problem:
        return f"{head}: 0 / {report.max_score:g}  -- {report.problem}\n"
    late = f"  (late: -{final.late_penalty:.0%})" if final.late_penalty else ""
    written = f"  (+{final.written_max - final.written:g} written, graded by hand)" \
        if final.written_max and not final.written_complete else ""
    most = final.max_total if final.written else report.max_score
    lines = [f"{head}: {final.final_score:g} / {most:g}{late}{written}"]
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
