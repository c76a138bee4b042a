"""Per-student feedback in Markdown and HTML, from one Report, in English or Korean.

Students see what passed, what failed and why, the hint for a cataloged mistake and what went
wrong in their cells. How much of each check they see is decided by disclosure.py, the one
rule every student-facing output follows (by default: visible checks in full detail, hidden
checks with their hint before the due date and in detail after it, after_due_date and
after_published checks counted but not shown until then). The instructor's version shows
every check in full, with its instructor-only detail and the integrity flags.

Text is built in English (the catalog's msgids) and translated as it is rendered.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .. import disclosure
from ..disclosure import DETAIL, NAME, NONE, Disclosure, Moment
from ..final import FinalGrade, for_report
from ..i18n import N_, translate
from ..records import CheckRecord, Report
from .html import esc, page

WORDS = {"passed": N_("passed"), "failed": N_("failed"), "error": N_("not checked"),
         "timeout": N_("timed out"), "skipped": N_("not graded"), "flag": N_("flag")}
"""How each status reads to a student."""
POINTS_TITLE = N_("Points by function")
HIDDEN = N_("{name} (hidden check)")


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
    table: bool = False
    """Render the lines as a table of title and points."""


@dataclass(frozen=True)
class Feedback:
    """Everything one feedback page says, before it is rendered as Markdown or HTML."""

    title: str
    summary: tuple[str, ...]
    sections: tuple[Section, ...]
    lang: str = "en"
    """The language it is rendered in (its text is English until then)."""


def build(report: Report, *, due: dt.datetime | None = None, now: dt.datetime | None = None,
          published: bool = False, instructor: bool = False, title: str = "",
          policy: Disclosure | None = None, lang: str = "en",
          final: FinalGrade | None = None) -> Feedback:
    """The feedback for one report; `instructor` shows every check in full, details and flags.

    `final` is the grade as of now (final.py): written points, late penalty, final score.
    """
    moment = Moment(now or dt.datetime.now(dt.timezone.utc), due, published)
    heading = _t("{title}: feedback for {student}", lang).format(
        title=title or report.assignment, student=report.submission)
    if report.problem:
        return Feedback(heading, (_t("Your notebook could not be graded: {problem}", lang)
                                  .format(problem=report.problem),
                                  _t("Score: 0 / {max}.", lang).format(
                                      max=f"{report.max_score:g}")),
                        tuple(_flag_sections(report)) if instructor else (), lang)
    levels = [DETAIL if instructor else disclosure.level(c, moment, policy)
              for c in report.checks]
    show = instructor or disclosure.show_score(moment, policy)
    sections = [_functions(report)] if show else []
    sections += _check_sections(report, levels, instructor)
    sections += [s for s in (_cells(report),) if s.lines or s.intro]
    if instructor:
        sections += _flag_sections(report)
    sections = [_translated(s, lang) for s in sections]
    summary = _summary(report, levels, show, final or for_report(report, None))
    return Feedback(heading, tuple(translate(x, lang) for x in summary), tuple(sections), lang)


def _t(text: str, lang: str) -> str:
    return translate(text, lang)


def _translated(section: Section, lang: str) -> Section:
    def line(x: Line) -> Line:
        return Line(x.status, translate(x.title, lang), x.points,
                    tuple(translate(n, lang) for n in x.notes), x.detail)
    return Section(translate(section.title, lang), tuple(translate(i, lang) for i in section.intro),
                   tuple(line(x) for x in section.lines), section.table)


def _summary(report: Report, levels: list[str], show: bool, final: FinalGrade
             ) -> tuple[str, ...]:
    lines = grade_lines(report, final, show)
    public = [c for c, level in zip(report.checks, levels) if level == DETAIL]
    if public and all(c.status == "passed" for c in public):
        lines.append(N_("All public checks passed."))
    return tuple(lines)


def grade_lines(report: Report, final: FinalGrade, show: bool = True) -> list[str]:
    """The grade as a student reads it (feedback pages and Gradescope's top-level output):
    autograded points, written points, the late penalty and the final score (final.py)."""
    lines = [f"Autograded score: {report.score:g} / {report.max_score:g}."] if show else \
        [N_("Your autograded score is shown when grades are published.")]
    if final.written_max and final.written_complete:
        lines.append(f"Written answers: {final.written:g} / {final.written_max:g}.")
    elif final.written_max:
        lines.append(f"Written answers ({final.written_max:g} points) are graded by hand: "
                     f"{final.written_pending} not graded yet"
                     + (f", {final.written:g} points so far." if final.written else "."))
    if final.late_penalty and show:
        lines.append(f"Late penalty: {final.late_penalty:.0%} of the whole grade.")
    if (final.late_penalty or final.written) and show:
        lines.append(f"Final score: {final.final_score:g} / {final.max_total:g}.")
    return lines


def _functions(report: Report) -> Section:
    lines = tuple(Line("", f.function, f"{f.score:g} / {f.max_score:g}") for f in report.functions)
    return Section(POINTS_TITLE, lines=lines, table=True)


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
            title = f"Checks of {function}" if function else "Checks of the notebook"
            sections.append(Section(title, intro, lines))
    return sections


def _line(check: CheckRecord, level: str, instructor: bool) -> Line:
    points = f"{check.score:g} / {check.points:g}"
    if level == NAME:
        return Line(check.status, HIDDEN.format(name=check.name), points)
    notes = list(disclosure.view(check, level).notes)
    if instructor and check.status != "passed":  # the hint-level message and the full one
        notes += [m for m in (check.message, disclosure.message(check, DETAIL))
                  if m and m not in notes]
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
        if section.table:
            out += [f"| {md(_t('function', feedback.lang))} | {md(_t('points', feedback.lang))} "
                    "|", "|---|---:|"]
            out += [f"| {md(line.title)} | {line.points} |" for line in section.lines]
        else:
            for line in section.lines:
                out += _md_line(line, feedback.lang)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _word(status: str, lang: str) -> str:
    return translate(WORDS.get(status, status), lang)


def _md_line(line: Line, lang: str = "en") -> list[str]:
    mark = f"**{_word(line.status, lang)}** " if line.status else ""
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
        if section.table:
            rows = "".join(f"<tr><td>{esc(x.title)}</td><td class=num>{esc(x.points)}</td></tr>"
                           for x in section.lines)
            body.append(f"<table><thead><tr><th>{esc(_t('function', feedback.lang))}</th>"
                        f"<th class=num>{esc(_t('points', feedback.lang))}</th></tr>"
                        f"</thead><tbody>{rows}</tbody></table>")
        elif section.lines:
            body.append('<ul class="checks">' + "".join(_html_line(x, feedback.lang)
                                                        for x in section.lines) + "</ul>")
    return page(feedback.title, "\n".join(body), lang=feedback.lang)


def _html_line(line: Line, lang: str = "en") -> str:
    mark = f'<span class="mark">{esc(_word(line.status, lang))}</span> ' \
        if line.status else ""
    points = f' <span class="muted">({esc(line.points)})</span>' if line.points else ""
    notes = "".join(f'<div class="note">{esc(n)}</div>' for n in line.notes)
    detail = f"<pre>{esc(line.detail)}</pre>" if line.detail else ""
    return f'<li class="{esc(line.status or "plain")}">{mark}{esc(line.title)}{points}' \
           f"{notes}{detail}</li>"


def write(report: Report, folder: Path, *, stem: str = "feedback",
          due: dt.datetime | None = None, now: dt.datetime | None = None,
          published: bool = False, instructor: bool = False, title: str = "",
          policy: Disclosure | None = None, lang: str = "en",
          final: FinalGrade | None = None) -> list[Path]:
    """<stem>.md and <stem>.html for one report into `folder`."""
    feedback = build(report, due=due, now=now, published=published, instructor=instructor,
                     title=title, policy=policy, lang=lang, final=final)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.md", folder / f"{stem}.html"]
    paths[0].write_text(markdown(feedback), encoding="utf-8")
    paths[1].write_text(html(feedback), encoding="utf-8")
    return paths
