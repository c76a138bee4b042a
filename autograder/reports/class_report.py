"""The class report: one static HTML page for the instructor, with figures.

Per assignment: the distribution of scores, points per graded function, the pass rate of every
check (most common mistakes first, with the hints that fired and the most common message),
late submissions, integrity flags, notebooks that could not be read or whose cells failed,
and a table of every submission linking to its instructor feedback. Figures are PNG images
embedded as data URIs, so the page is one file that opens anywhere (and in CI artifacts).
"""
from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence
from urllib.parse import quote

from .. import integrity
from ..course import Assignment, Course
from ..final import FinalGrade, for_reports
from ..records import Report
from . import figures
from .html import esc, page, table


@dataclass(frozen=True)
class CheckStats:
    """One check across a batch."""

    id: str
    """The check's id (test file and name)."""
    name: str
    """Its readable name."""
    function: str
    """The graded function it tests."""
    visibility: str
    """Its visibility."""
    points: float
    """Points it is worth."""
    graded: int
    """Submissions it ran on."""
    passed: int
    """Submissions that passed it."""
    hints: tuple[tuple[str, int], ...]
    """Hints that fired, most frequent first, with their counts."""
    messages: tuple[tuple[str, int], ...]
    """Failure messages, most frequent first, with their counts."""

    @property
    def rate(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class Late:
    """One late submission."""

    submission: str
    submitted: str
    """ISO time, or "" when only the penalty is known."""
    days: float | None
    """Days after the due date, when the time and the due date are known."""
    penalty: float
    final_score: float


def check_stats(reports: Sequence[Report]) -> list[CheckStats]:
    """Every check of the batch, the lowest pass rate first (then the most points)."""
    by_id: dict[str, list] = {}
    for report in reports:
        for check in report.checks:
            by_id.setdefault(check.id, []).append(check)
    stats = []
    for ident, checks in by_id.items():
        failed = [c for c in checks if c.status not in ("passed", "skipped")]
        first = checks[0]
        stats.append(CheckStats(
            ident, first.name, first.function, first.visibility, first.points,
            graded=sum(1 for c in checks if c.status != "skipped"),
            passed=sum(1 for c in checks if c.status == "passed"),
            hints=tuple(Counter(c.hint for c in failed if c.hint).most_common(3)),
            messages=tuple(Counter(c.message for c in failed if c.message).most_common(2))))
    return sorted(stats, key=lambda s: (s.rate, -s.points, s.function, s.name))


def late_submissions(reports: Sequence[Report], finals: Sequence[FinalGrade],
                     grace_minutes: float = 0.0) -> list[Late]:
    """Submissions with a late penalty, or submitted after their own due date (extensions
    included) plus the grace period, latest first. Inside the grace period is on time."""
    out = []
    for r, g in zip(reports, finals):
        days = g.days_late
        if g.late_penalty > 0 or (days is not None and days * 1440 > grace_minutes):
            out.append(Late(r.submission, r.submitted, days, g.late_penalty, g.final_score))
    return sorted(out, key=lambda x: (-(x.days or 0.0), -x.penalty, x.submission))


def render(reports: Sequence[Report], *, course: Course | None = None,
           now: dt.datetime | None = None, feedback_links: bool = True,
           finals: Sequence[FinalGrade] | None = None) -> str:
    """The whole page. `feedback_links` links each submission to instructor/<a>/<name>.html;
    `finals` are the grades as of now (final.py; without them: no written scores)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    finals = list(finals) if finals is not None else for_reports(reports, course)
    grace = course.late_policy.grace_minutes if course else 0.0
    title = f"Class report: {course.name}" if course else "Class report"
    ids = list(dict.fromkeys(r.assignment for r in reports))
    if course:
        ids.sort(key=lambda a: [x.id for x in course.assignments].index(a)
                 if a in [x.id for x in course.assignments] else len(course.assignments))
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="muted">{len(reports)} submission(s) of {len(ids)} assignment(s); '
            f"generated {esc(now.strftime('%Y-%m-%d %H:%M %Z'))}. Final score = (autograded "
            "+ written points) &times; (1 &minus; late penalty), as of now. "
            f"{_pending(finals)}</p>"]
    if not reports:
        body.append("<p>No submissions.</p>")
    for ident in ids:
        pairs = [(r, g) for r, g in zip(reports, finals) if r.assignment == ident]
        assignment = _assignment(course, ident)
        body.append(_section([p[0] for p in pairs], [p[1] for p in pairs],
                             assignment.title if assignment else ident,
                             assignment.due if assignment else None, feedback_links, grace))
    return page(title, "\n".join(body))


def _pending(finals: Sequence[FinalGrade]) -> str:
    waiting = sum(g.written_pending for g in finals)
    if not any(g.written_max for g in finals):
        return ""
    if not waiting:
        return "Every written answer is graded."
    students = sum(1 for g in finals if g.written_pending)
    return (f"{waiting} written answer(s) of {students} submission(s) are not graded yet "
            "(written answers not graded yet count 0 until they are).")


def _assignment(course: Course | None, ident: str) -> Assignment | None:
    if course is None:
        return None
    return next((a for a in course.assignments if a.id == ident), None)


def _section(reports: list[Report], finals: list[FinalGrade], title: str,
             due: dt.datetime | None, links: bool, grace: float) -> str:
    ident = reports[0].assignment
    out = [f'<h2 id="{esc(ident)}">{esc(title)} <span class="muted">({esc(ident)})</span></h2>']
    out.append(_scores(reports, finals))
    out.append(_functions(reports))
    out.append(_checks(reports))
    out.append(_late(reports, finals, due, grace))
    out.append(_flags(reports, links))
    out.append(_problems(reports, finals))
    out.append(_submissions(reports, finals, links))
    return "\n".join(out)


def _figure(image: figures.Image, alt: str, caption: str) -> str:
    return (f'<figure><img src="{image.uri}" width="{image.width}" height="{image.height}" '
            f'alt="{esc(alt)}"><figcaption>{esc(caption)}</figcaption></figure>')


def _scores(reports: list[Report], grades: list[FinalGrade]) -> str:
    percent = [100 * g.final_score / g.max_total if g.max_total else 0.0 for g in grades]
    unreadable = sum(1 for r in reports if r.problem)
    finals = [g.final_score for g in grades]
    image = figures.score_histogram(percent, unreadable)
    rows = [[f"{min(finals):g}", f"{statistics.median(finals):g}",
             f"{statistics.fmean(finals):.2f}", f"{max(finals):g}",
             f"{grades[0].max_total:g}", str(sum(1 for p in percent if p >= 100))]]
    return ("<h3>Scores</h3>"
            + _figure(image, "histogram of final scores", "Final scores: autograded plus "
                      "written points, after late penalties; the dashed line is the mean.")
            + table(["min", "median", "mean", "max", "out of", "full marks"], rows,
                    frozenset(range(6))))


def _functions(reports: list[Report]) -> str:
    names = list(dict.fromkeys(f.function for r in reports for f in r.functions))
    percent = []
    for name in names:
        scores = [f for r in reports for f in r.functions if f.function == name]
        percent.append(100 * sum(f.score for f in scores) / max(sum(f.max_score for f in scores),
                                                                  1e-12))
    image = figures.function_means(names, percent)
    return "<h3>Points per function</h3>" + _figure(
        image, "mean score per graded function", "Mean points earned per graded function, in "
        "percent of its points (before late penalties).")


def _checks(reports: list[Report]) -> str:
    stats = check_stats(reports)
    if not stats:
        return "<h3>Checks</h3><p>No check ran (no notebook could be read).</p>"
    labels = [s.name if s.name.startswith(s.function) else f"{s.function}: {s.name}"
              for s in stats]
    image = figures.pass_rates(labels, [s.rate for s in stats])
    rows = [[s.function, s.name, s.visibility, f"{s.points:g}", f"{100 * s.rate:.0f}%",
             str(s.graded - s.passed),
             "; ".join(f"{h} (x{n})" for h, n in s.hints),
             "; ".join(f"{m} (x{n})" for m, n in s.messages)] for s in stats]
    return ("<h3>Checks: the most common mistakes first</h3>"
            + _figure(image, "pass rate of every check", "Share of the readable submissions "
                      "that pass each check; red below 50%, orange below 90%.")
            + "<details><summary>Every check: pass rate, hints that fired, most common "
              "messages</summary>"
            + table(["function", "check", "visibility", "points", "pass rate", "failed",
                     "hints that fired", "most common messages"], rows, frozenset({3, 4, 5}))
            + "</details>")


def _late(reports: list[Report], finals: list[FinalGrade], due: dt.datetime | None,
          grace: float) -> str:
    late = late_submissions(reports, finals, grace)
    days = [g.days_late for g in finals if g.days_late is not None]
    on_time = sum(1 for g in finals if g.late_penalty == 0)
    image = figures.lateness(days, on_time, [g.late_penalty for g in finals])
    extended = sum(1 for g in finals if g.due != due)
    due_text = (f"Due {due.isoformat()}" if due else "No due date") + (
        f" ({extended} with an extension). " if extended else ". ")
    html = ("<h3>Late submissions</h3>"
            + _figure(image, "late submissions", f"{due_text}{len(late)} late submission(s)."))
    if late:
        rows = [[x.submission, x.submitted or "unknown",
                 f"{x.days:.2f}" if x.days is not None else "", f"{x.penalty:.0%}",
                 f"{x.final_score:g}"] for x in late]
        html += table(["submission", "submitted", "days late", "penalty", "final score"], rows,
                      frozenset({2, 3, 4}))
    return html


def _flags(reports: list[Report], links: bool) -> str:
    flagged = [r for r in reports if r.flags]
    html = "<h3>Integrity flags</h3>"
    if not flagged:
        return html + "<p>No submission was flagged.</p>"
    kinds = Counter(k for r in flagged for k in dict.fromkeys(integrity.kind(f)
                                                                 for f in r.flags))
    names, counts = zip(*kinds.most_common())
    html += _figure(figures.flag_counts(list(names), list(counts)), "integrity flags by kind",
                    "Submissions with each kind of flag. Flags never change a score: they say "
                    "what to look at.")
    rows = "".join(f"<tr><td>{_name(r, links)}</td><td>{'<br>'.join(esc(f) for f in r.flags)}"
                   f"</td></tr>" for r in flagged)
    return html + (f"<table><thead><tr><th>submission</th><th>flags</th></tr></thead>"
                   f"<tbody>{rows}</tbody></table>")


def _problems(reports: list[Report], finals: list[FinalGrade]) -> str:
    broken = [[r.submission, r.problem] for r in reports if r.problem]
    broken += [[r.submission, g.problem] for r, g in zip(reports, finals) if g.problem]
    cells = Counter((c.label, c.status) for r in reports for c in r.cells if c.status != "ok")
    html = "<h3>Notebook problems</h3>"
    if not broken and not cells:
        return html + "<p>Every notebook was read and every cell ran.</p>"
    if broken:
        html += "<p>Notebooks that could not be graded:</p>" + table(["submission", "problem"],
                                                                      broken)
    if cells:
        rows = [[label, status, str(n)] for (label, status), n in cells.most_common()]
        html += "<p>Cells that did not run cleanly:</p>" + table(["cell", "status",
                                                                  "submissions"], rows,
                                                                 frozenset({2}))
    return html


def _submissions(reports: list[Report], finals: list[FinalGrade], links: bool) -> str:
    functions = list(dict.fromkeys(f.function for r in reports for f in r.functions))
    head = "".join(f"<th class=num>{esc(h)}</th>" for h in
                   ["score", "written", "late", "final", *functions, "flags"])
    rows = []
    for r, g in sorted(zip(reports, finals), key=lambda p: p[0].submission):
        per = {f.function: f"{f.score:g}" for f in r.functions}
        written = f"{g.written:g}" + (f" ({g.written_pending} not graded yet)"
                                      if g.written_pending else "") if g.written_max else ""
        values = [f"{r.score:g}", written, f"{g.late_penalty:.0%}" if g.late_penalty else "",
                  f"{g.final_score:g}", *(per.get(f, "") for f in functions), str(len(r.flags))
                  if r.flags else ""]
        rows.append(f"<tr><td>{_name(r, links)}</td>"
                    + "".join(f"<td class=num>{esc(v)}</td>" for v in values) + "</tr>")
    return ("<h3>Submissions</h3><table><thead><tr><th>submission</th>" + head
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _name(report: Report, links: bool) -> str:
    if not links:
        return esc(report.submission)
    href = f"instructor/{quote(report.assignment)}/{quote(report.submission)}.html"
    return f'<a href="{esc(href)}">{esc(report.submission)}</a>'


def write(reports: Sequence[Report], path: Path, *, course: Course | None = None,
          now: dt.datetime | None = None, feedback_links: bool = True,
          finals: Sequence[FinalGrade] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(reports, course=course, now=now, feedback_links=feedback_links,
                           finals=finals), encoding="utf-8")
