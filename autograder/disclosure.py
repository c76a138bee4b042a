"""The one rule deciding what a student may see of a check, and when.

Every check outcome has three levels of disclosure beyond "not shown" (NONE):

    name    its name, points, and passed or not
    hint    + what the check found, in words that reveal no hidden input, expected value, shape
            or count, and the catalog's hint for a recognised mistake
    detail  + the observed error and tolerance, shapes, and for visible checks inputs and
            expected values (what the check's `full` message says)

`course.yaml`'s `disclosure:` maps each visibility to a level before the due date, after it, and
once grades are published; a hidden test may lower its own level with
`@pytest.mark.disclosure("name")`. Every student-facing output (feedback pages, the per-student
results.json, Gradescope, `check`) asks `level()` and renders `view()`; instructor outputs use
DETAIL for everything and add the instructor-only detail themselves.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

from .records import CheckRecord

NONE, NAME, HINT, DETAIL = "none", "name", "hint", "detail"
LEVELS = (NONE, NAME, HINT, DETAIL)
"""From least to most shown."""
PHASES = ("before_due", "after_due", "published")
"""When a student looks: before the due date, after it, after grades are published."""
DEFAULT_LEVELS: Mapping[str, Mapping[str, str]] = {
    "before_due": {"visible": DETAIL, "hidden": HINT, "after_due_date": NONE,
                   "after_published": NONE},
    "after_due": {"visible": DETAIL, "hidden": DETAIL, "after_due_date": DETAIL,
                  "after_published": NONE},
    "published": {"visible": DETAIL, "hidden": DETAIL, "after_due_date": DETAIL,
                  "after_published": DETAIL},
}
VALUE_WRONG = "not awarded: the value is wrong (see {check})"
"""What a check of another property says when the function's value is wrong."""


@dataclass(frozen=True)
class Disclosure:
    """course.yaml's `disclosure:` (each key optional; defaults as DEFAULT_LEVELS)."""

    levels: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: DEFAULT_LEVELS)
    """Phase -> visibility -> level."""
    score_before_published: bool = True
    """Students see their autograded total before grades are published."""


@dataclass(frozen=True)
class Moment:
    """When the student looks."""

    now: dt.datetime
    due: dt.datetime | None = None
    published: bool = False

    @property
    def phase(self) -> str:
        if self.published:
            return "published"
        return "after_due" if self.due is not None and self.now >= self.due else "before_due"


@dataclass(frozen=True)
class View:
    """What a student may read of one check."""

    level: str
    name: str
    status: str
    points: float
    score: float
    notes: tuple[str, ...] = ()
    """Sentences under the name (English; outputs translate them)."""


def level(check: CheckRecord, moment: Moment, policy: Disclosure | None = None) -> str:
    """How much of `check` a student may see at `moment`."""
    return phase_level(check, moment.phase, policy)


def phase_level(check: CheckRecord, phase: str, policy: Disclosure | None = None) -> str:
    """How much of `check` a student may see during `phase` (before_due, after_due, published)."""
    table = (policy or Disclosure()).levels.get(phase, DEFAULT_LEVELS[phase])
    chosen = table.get(check.visibility, NAME)
    cap = getattr(check, "level", "") or DETAIL
    return min(chosen, cap if cap in LEVELS else NAME, key=LEVELS.index)


def view(check: CheckRecord, shown: str) -> View:
    """The student's view of a check at level `shown` (NONE: nothing; callers count it)."""
    base = View(shown, check.name, check.status, check.points, check.score)
    if shown in (NONE, NAME) or check.status == "passed":
        return base
    charged = getattr(check, "charged_to", "")
    if charged:
        return View(shown, check.name, check.status, check.points, check.score,
                    (VALUE_WRONG.format(check=charged),))
    notes = [message(check, shown)]
    if check.hint:
        notes.append(f"Hint: {check.hint}")
    if shown == DETAIL and check.observed and check.observed not in notes[0]:
        notes.append(f"observed: {check.observed}"
                     + (f"; tolerance: {check.tolerance}" if check.tolerance else ""))
    return View(shown, check.name, check.status, check.points, check.score,
                tuple(n for n in notes if n))


def message(check: CheckRecord, shown: str) -> str:
    """The check's message at `shown`: the full one (values) at DETAIL, else the safe one."""
    full = getattr(check, "full", "")
    return full if shown == DETAIL and full else check.message


def student_checks(checks: tuple[CheckRecord, ...], moment: Moment,
                   policy: Disclosure | None = None) -> list[View]:
    """Every check as the student may see it now (NONE views included, to be counted)."""
    return [view(c, level(c, moment, policy)) for c in checks]


def show_score(moment: Moment, policy: Disclosure | None = None) -> bool:
    """Whether students see their autograded total now."""
    return moment.published or (policy or Disclosure()).score_before_published
