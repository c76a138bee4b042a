"""Gradescope's results.json (the autograder specification's format), through disclosure.py.

Two uses, one rule:

- `results(report, moment=...)`: a snapshot of what the student may see at that moment (the
  per-student results.json of a batch). Checks not shown yet are left out; nothing else is.
- `results(report)` (no moment): the file uploaded to Gradescope from inside its autograder,
  written once and shown by Gradescope over time. Each check appears at the level our own
  feedback gives it in the first phase where it is shown, under Gradescope's matching
  `visibility` (before the due date: "visible", after it: "after_due_date", once published:
  "after_published", never: "hidden"); when a later phase shows more (hint before the due date,
  detail after it), a 0-point entry "<name>: details" carries the rest with the later phase's
  visibility. The top-level `visibility` is "after_published" when course.yaml's
  `disclosure.score_before_published` is false, which hides the autograded total (Gradescope
  shows tests with their own visibility regardless); `stdout_visibility` is "hidden".

Written answers are graded on Gradescope's own manual questions, not here: their points
appear on Gradescope as separate questions, added to this autograded score by Gradescope.
The seed never appears (it would make hidden inputs reproducible).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import disclosure
from ..disclosure import NONE, PHASES, Disclosure, Moment
from ..final import FinalGrade, for_report
from ..i18n import translate
from ..records import CheckRecord, Report
from . import feedback

STATUS = {"passed": "passed", "skipped": "passed"}
GRADESCOPE_VISIBILITY = {"before_due": "visible", "after_due": "after_due_date",
                         "published": "after_published"}
"""The Gradescope visibility that shows an entry from the start of each of our phases."""


def results(report: Report, final: FinalGrade | None = None, *, moment: Moment | None = None,
            policy: Disclosure | None = None, lang: str = "en") -> dict[str, Any]:
    """The results.json document: a snapshot at `moment`, or Gradescope's timeline; `final`
    is the submission's grade as of now (final.py)."""
    final = final or for_report(report, None)
    policy = policy or Disclosure()
    if moment is not None:
        views = disclosure.student_checks(report.checks, moment, policy)
        tests = [_test(v, lang, function=c.function) for c, v in zip(report.checks, views)
                 if v.level != NONE]
        show = disclosure.show_score(moment, policy)
    else:
        tests = [t for c in report.checks for t in _timeline(c, policy, lang)] + _flags(report)
        show = True
    doc: dict[str, Any] = {
        "score": final.final_score if show else 0.0,
        "execution_time": report.execution_time,
        "output": translate_lines(summary(report, final, show), lang),
        "output_format": "md",
        "visibility": "visible" if moment is not None or policy.score_before_published
        else "after_published",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    if moment is None or show:
        doc["max_score"] = report.max_score
    if moment is None:  # Gradescope keeps extra_data for instructors; never the seed
        doc["extra_data"] = {"tier": report.tier,
                             "manual_pending": final.written_max - final.written,
                             "late_penalty": final.late_penalty}
    return doc


def _flags(report: Report) -> list[dict[str, Any]]:
    """Integrity flags as a 0-point test that Gradescope shows instructors only ("hidden")."""
    if not report.flags:
        return []
    return [{"name": "Integrity flags (instructor only; the score is unchanged)", "score": 0.0,
             "max_score": 0.0, "status": "failed", "output": "\n".join(report.flags),
             "visibility": "hidden", "tags": ["integrity"], "name_format": "text",
             "output_format": "text"}]


def _timeline(check: CheckRecord, policy: Disclosure, lang: str) -> list[dict[str, Any]]:
    """The check's entries for Gradescope: its first shown level, then what later adds."""
    levels = [(p, disclosure.phase_level(check, p, policy)) for p in PHASES]
    shown = [(p, lv) for p, lv in levels if lv != NONE]
    if not shown:
        return [_test(disclosure.view(check, disclosure.NAME), lang, "hidden", check.function)]
    first_phase, first = shown[0]
    entries = [_test(disclosure.view(check, first), lang, GRADESCOPE_VISIBILITY[first_phase],
                     check.function)]
    seen = disclosure.view(check, first).notes
    for phase, lv in shown[1:]:
        notes = disclosure.view(check, lv).notes
        if notes != seen and check.status != "passed":
            entries.append(_details(check, notes, lang, GRADESCOPE_VISIBILITY[phase]))
            seen = notes
    return entries


def _test(view: disclosure.View, lang: str, visibility: str = "visible", function: str = ""
          ) -> dict[str, Any]:
    return {"name": translate(view.name, lang), "score": view.score, "max_score": view.points,
            "status": STATUS.get(view.status, "failed"),
            "output": "\n".join(translate(n, lang) for n in view.notes),
            "visibility": visibility, "tags": [function], "name_format": "text",
            "output_format": "text"}


def _details(check: CheckRecord, notes: tuple[str, ...], lang: str, visibility: str
             ) -> dict[str, Any]:
    name = translate("{name}: details", lang).format(name=translate(check.name, lang))
    return {"name": name, "score": 0.0, "max_score": 0.0, "status": "failed",
            "output": "\n".join(translate(n, lang) for n in notes), "visibility": visibility,
            "tags": [check.function], "name_format": "text", "output_format": "text"}


def translate_lines(text: str, lang: str) -> str:
    return "\n".join(translate(line, lang) for line in text.splitlines())


def summary(report: Report, final: FinalGrade, show: bool = True) -> str:
    """The top-level text: problems with the notebook, cells that failed, written answers."""
    if report.problem:
        return f"Your notebook could not be graded: {report.problem}"
    lines = feedback.grade_lines(report, final, show)
    for cell in report.cells:
        if cell.status != "ok":
            lines.append(f"- {cell.label}: {cell.status}: {cell.message}")
    if report.neutralised:
        lines.append(f"- {len(report.neutralised)} magic or shell line(s) were not run: "
                     + ", ".join(f"`{n[:40]}`" for n in report.neutralised[:5]))
    return "\n".join(lines)


def write(report: Report, path: Path, final: FinalGrade | None = None, *,
          moment: Moment | None = None, policy: Disclosure | None = None, lang: str = "en"
          ) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = results(report, final, moment=moment, policy=policy, lang=lang)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
