"""Per-student feedback in Markdown and HTML, from one Report.

Students see what passed, what failed and why, the hint for a cataloged mistake and what went
wrong in their cells. A check shows only what its visibility allows:

| visibility      | before                    | after (due date passed / published) |
|-----------------|---------------------------|-------------------------------------|
| visible         | name, points, message, hint, tolerance and observed error |   |
| hidden          | name, points, passed or not (never its message)          |   |
| after_due_date  | counted, not shown        | as visible                          |
| after_published | counted, not shown        | as visible                          |

Messages are the student-safe ones (checks.CheckFailed.message, never inputs or expected
values of a hidden check); `detail` appears only in the instructor's version, with the flags.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..final import FinalGrade, for_report
from ..records import CheckRecord, Report
from .html import esc, page

WORDS = {"passed": "passed", "failed": "failed", "error": "not checked", "timeout": "timed out",
         "skipped": "not graded"}
"""How each status reads to a student."""
FULL, NAME, NONE = "full", "name", "none"


@dataclass(frozen=True)
class Line:
    """One check, cell problem or flag: a status, a title, its points and what to say."""

    status: str
    """A CheckRecord status, "hidden", or "" for plain lines."""
    title: str
    """What it is: the check's name, a cell label, a flag."""
    points: str = ""
    """"0.5 / 1", or ""."""
    notes: tuple[str, ...] = ()
    """Sentences under the title: the message, the hint, tolerance and observed error."""
    detail: str = ""
    """Instructor-only text shown preformatted (tracebacks)."""


@dataclass(frozen=True)
class Section:
    """A heading and its lines."""

    title: str
    intro: tuple[str, ...] = ()
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Feedback:
    """Everything one feedback page says, before it is rendered as Markdown or HTML."""

    title: str
    summary: tuple[str, ...]
    sections: tuple[Section, ...]


def shown(check: CheckRecord, *, due: dt.datetime | None, now: dt.datetime,
          published: bool) -> str:
    """How much of a check a student may see now: FULL, NAME or NONE."""
    if check.visibility == "visible":
        return FULL
    if check.visibility == "after_due_date":
        return FULL if due is not None and now >= due else NONE
    if check.visibility == "after_published":
        return FULL if published else NONE
    return NAME  # hidden, and any level this version does not know: the safest that shows it


def build(report: Report, *, due: dt.datetime | None = None, now: dt.datetime | None = None,
          published: bool = False, instructor: bool = False, title: str = "",
          final: FinalGrade | None = None) -> Feedback:
    """The feedback for one report; `instructor` shows every check in full, details and flags.

    `final` is the grade as of now (final.py): written points, late penalty, final score."""
    now = now or dt.datetime.now(dt.timezone.utc)
    heading = f"{title or report.assignment}: feedback for {report.submission}"
    if report.problem:
        return Feedback(heading, (f"Your notebook could not be graded: {report.problem}",
                                  f"Score: 0 / {report.max_score:g}."),
                        _flag_sections(report) if instructor else ())
    levels = [FULL if instructor else shown(c, due=due, now=now, published=published)
              for c in report.checks]
    sections = [_functions(report), *_check_sections(report, levels, instructor)]
    sections += [s for s in (_cells(report),) if s.lines or s.intro]
    if instructor:
        sections += _flag_sections(report)
    return Feedback(heading, _summary(report, levels, final or for_report(report, None)),
                    tuple(sections))


def _summary(report: Report, levels: list[str], final: FinalGrade) -> tuple[str, ...]:
    lines = [f"Autograded score: {report.score:g} / {report.max_score:g}."]
    if final.written_max and final.written_complete:
        lines.append(f"Written answers: {final.written:g} / {final.written_max:g}.")
    elif final.written_max:
        lines.append(f"Written answers ({final.written_max:g} points) are graded by hand: "
                     f"{final.written_pending} not graded yet"
                     + (f", {final.written:g} points so far." if final.written else "."))
    if final.late_penalty:
        lines.append(f"Late penalty: {final.late_penalty:.0%} of the whole grade.")
    if final.late_penalty or final.written:
        lines.append(f"Final score: {final.final_score:g} / {final.max_total:g}.")
    public = [c for c, level in zip(report.checks, levels) if level == FULL]
    if public and all(c.status == "passed" for c in public):
        lines.append("All public checks passed.")
    return tuple(lines)


def _functions(report: Report) -> Section:
    lines = tuple(Line("", f.function, f"{f.score:g} / {f.max_score:g}") for f in report.functions)
    return Section("Points by function", lines=lines)


def _check_sections(report: Report, levels: list[str], instructor: bool) -> list[Section]:
    sections = []
    order = [f.function for f in report.functions]
    order += sorted({c.function for c in report.checks} - set(order))
    for function in order:
        pairs = [(c, lv) for c, lv in zip(report.checks, levels) if c.function == function]
        lines = tuple(_line(c, lv, instructor) for c, lv in pairs if lv != NONE)
        later = [c for c, lv in pairs if lv == NONE]
        intro = (f"{len(later)} more check(s) worth {sum(c.points for c in later):g} point(s) "
                 "are shown later (after the due date or when results are published).",
                 ) if later else ()
        if lines or intro:
            sections.append(Section(f"Checks of {function or 'the notebook'}", intro, lines))
    return sections


def _line(check: CheckRecord, level: str, instructor: bool) -> Line:
    points = f"{check.score:g} / {check.points:g}"
    if level == NAME:
        return Line(check.status, f"{check.name} (hidden check)", points)
    notes = [check.message] if check.message and check.status != "passed" else []
    if check.hint and check.status != "passed":
        notes.append(f"Hint: {check.hint}")
    numbers = "; ".join(p for p in (f"observed: {check.observed}" if check.observed else "",
                                    f"tolerance: {check.tolerance}" if check.tolerance else "")
                        if p)
    if numbers and check.status != "passed" and not (check.observed and check.observed in
                                                      check.message):
        notes.append(numbers.capitalize())
    if instructor and check.visibility != "visible":
        notes.append(f"Visibility: {check.visibility}.")
    return Line(check.status, check.name, points, tuple(notes),
                check.detail if instructor and check.status != "passed" else "")


def _cells(report: Report) -> Section:
    lines = tuple(Line("", c.label, notes=(f"{c.status}: {c.message}",))
                  for c in report.cells if c.status != "ok")
    intro = ()
    if report.neutralised:
        intro = (f"{len(report.neutralised)} magic or shell line(s) were not run: "
                 + ", ".join(n[:60] for n in report.neutralised[:5]),)
    return Section("Your notebook's cells", intro, lines)


def _flag_sections(report: Report) -> list[Section]:
    if not report.flags:
        return [Section("Integrity flags (instructor only)", ("None.",))]
    return [Section("Integrity flags (instructor only)",
                    ("Flags never change the score; they say what to look at.",),
                    tuple(Line("flag", f) for f in report.flags))]


# --- rendering ------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Plain text as inline Markdown: special characters escaped, one line."""
    clean = "".join(c for c in str(text) if ord(c) >= 32 or c in "\t\n")
    return _MD_SPECIAL.sub(r"\\\1", " ".join(clean.split()))


def markdown(feedback: Feedback) -> str:
    out = [f"# {md(feedback.title)}", ""]
    out += [f"{md(s)}  " for s in feedback.summary] + [""]
    for section in feedback.sections:
        out += [f"## {md(section.title)}", ""]
        out += [md(s) for s in section.intro] + ([""] if section.intro else [])
        if section.title == "Points by function":
            out += ["| function | points |", "|---|---:|"]
            out += [f"| {md(line.title)} | {line.points} |" for line in section.lines]
        else:
            for line in section.lines:
                out += _md_line(line)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md_line(line: Line) -> list[str]:
    mark = f"**{WORDS.get(line.status, line.status)}** " if line.status else ""
    points = f" ({line.points})" if line.points else ""
    out = [f"- {mark}{md(line.title)}{points}"]
    out += [f"  - {md(n)}" for n in line.notes]
    if line.detail:
        fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", line.detail)), default=0))
        out += [f"  {fence}", *(f"  {d}" for d in line.detail.splitlines()), f"  {fence}"]
    return out


def html(feedback: Feedback) -> str:
    body = [f"<h1>{esc(feedback.title)}</h1>"]
    body += [f'<p class="summary">{"<br>".join(esc(s) for s in feedback.summary)}</p>']
    for section in feedback.sections:
        body.append(f"<h2>{esc(section.title)}</h2>")
        body += [f"<p>{esc(s)}</p>" for s in section.intro]
        if section.title == "Points by function":
            rows = "".join(f"<tr><td>{esc(x.title)}</td><td class=num>{esc(x.points)}</td></tr>"
                           for x in section.lines)
            body.append(f"<table><thead><tr><th>function</th><th class=num>points</th></tr>"
                        f"</thead><tbody>{rows}</tbody></table>")
        elif section.lines:
            body.append('<ul class="checks">' + "".join(_html_line(x) for x in section.lines)
                        + "</ul>")
    return page(feedback.title, "\n".join(body))


def _html_line(line: Line) -> str:
    mark = f'<span class="mark">{esc(WORDS.get(line.status, line.status))}</span> ' \
        if line.status else ""
    points = f' <span class="muted">({esc(line.points)})</span>' if line.points else ""
    notes = "".join(f'<div class="note">{esc(n)}</div>' for n in line.notes)
    detail = f"<pre>{esc(line.detail)}</pre>" if line.detail else ""
    return f'<li class="{esc(line.status or "plain")}">{mark}{esc(line.title)}{points}' \
           f"{notes}{detail}</li>"


def write(report: Report, folder: Path, *, stem: str = "feedback",
          due: dt.datetime | None = None, now: dt.datetime | None = None,
          published: bool = False, instructor: bool = False, title: str = "",
          final: FinalGrade | None = None) -> list[Path]:
    """<stem>.md and <stem>.html for one report into `folder`."""
    feedback = build(report, due=due, now=now, published=published, instructor=instructor,
                     title=title, final=final)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.md", folder / f"{stem}.html"]
    paths[0].write_text(markdown(feedback), encoding="utf-8")
    paths[1].write_text(html(feedback), encoding="utf-8")
    return paths
