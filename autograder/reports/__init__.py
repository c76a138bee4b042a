"""Outputs, each rendered from Reports (and so from the same per-check records).

What write_all writes into `out` (the feedback files are for students; everything else is
for the instructor, or for Gradescope, which hides the "hidden" entries of results.json):

    <name>/results.json         Gradescope's results format (flags as a hidden 0-point test)
    <name>/feedback.md, .html   feedback, checks as visibility allows    (student)
    grades.csv                  one row per submission, per-function columns, flags
    gradebook.csv               one row per student, one column per assignment, per-function
    junit.xml                   a testcase per check, student-safe messages (for CI)
    class-report.html           figures: scores, pass rates, late submissions, flags
    nbgrader/gradebook.db       nbgrader's gradebook (+ source/, autograded/) for formgrader:
                                also the store of the written-answer scores (written.py)
    instructor/<a>/<name>.md, .html  feedback with every check in full, details and flags
    instructor/<a>/<name>.json  results.json as Gradescope gets it (hidden entries, flags)

(The full records themselves are saved by the batch code, batch.Store, in <out>/_records/.)
Every score in these outputs is the final grade as of now (final.py), derived here from the
records, the written scores, the submission time, the student's due date and the policy.

With reports of several assignments, student folders are <assignment>/<name>/.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Mapping, Sequence

from .. import final as final_mod
from ..course import Course
from ..disclosure import Disclosure, Moment
from ..final import FinalGrade
from ..i18n import translate_headings
from ..records import Report, WrittenScore
from . import class_report, feedback, gradebook, gradescope, junit

WrittenScores = Mapping[tuple[str, str], Mapping[str, WrittenScore]]

__all__ = ["write_all", "write_report"]


def write_all(reports: Sequence[Report], out: Path, *, course: Course | None = None,
              now: dt.datetime | None = None, published: bool = False,
              nbgrader: bool = True, class_report_page: bool = True,
              written: WrittenScores | None = None, lang: str | None = None) -> list[Path]:
    """Write every output of graded reports into `out`; returns the files written.

    `course` gives titles, due dates (after_due_date checks, lateness) and the release
    notebooks nbgrader's gradebook needs (without it the gradebook is not written).
    `now` (default: the current time) and `published` decide which checks with visibility
    after_due_date and after_published students see. `nbgrader=False` skips nbgrader's
    gradebook, whose import alone takes seconds; `class_report_page=False` skips the class
    report (matplotlib figures, about a second). nbgrader's gradebook is always brought up to
    date when `out` already holds one (it stores the written scores). `written` holds the
    written-answer scores (written.load); final grades are derived from it here. `lang`
    (default: course.yaml's `language`) is the language of the student outputs.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    lang = lang or (course.language if course else "en")
    several = len({r.assignment for r in reports}) > 1
    files: list[Path] = []
    if (nbgrader or (out / "nbgrader" / "gradebook.db").is_file()) and course and reports:
        from .. import written as store  # its reader is stdlib; nbgrader_db imports nbgrader
        from . import nbgrader_db

        files.append(nbgrader_db.write(reports, out / "nbgrader", course, written=written))
        # the database now holds every score, and answers that changed are flagged again
        written = {**(written or {}), **store.load(out)}
    finals = final_mod.for_reports(reports, course, written)
    for report, grade in zip(reports, finals):
        files += write_report(report, out / student_folder(report, several), course=course,
                              now=now, published=published, final=grade, lang=lang)
        files += _instructor(report, out / "instructor" / report.assignment, course, now,
                             grade)
    order = [a.id for a in course.assignments] if course else []
    gradebook.write(reports, out / "grades.csv", finals)
    gradebook.write_course(reports, out / "gradebook.csv", order, finals)
    junit.write(reports, out / "junit.xml", finals, now=now, published=published,
                policy=course.disclosure if course else None, dues=_dues(course))
    files += [out / "grades.csv", out / "gradebook.csv", out / "junit.xml"]
    if class_report_page:
        class_report.write(reports, out / "class-report.html", course=course, now=now,
                           finals=finals)
        _headings_in(out / "class-report.html", lang)
        files.append(out / "class-report.html")
    return files


def student_folder(report: Report, several: bool = False) -> str:
    """Where a submission's student outputs go, relative to the output folder."""
    return f"{report.assignment}/{report.submission}" if several else report.submission


def write_report(report: Report, folder: Path, *, course: Course | None = None,
                 now: dt.datetime | None = None, published: bool = False,
                 final: FinalGrade | None = None, lang: str = "en") -> list[Path]:
    """The student outputs of one submission: results.json and feedback.md/.html, holding
    only what the student may see at `now` (disclosure.py). The student's own due date (an
    extension included) decides what "after the due date" means for them."""
    due, title = _due_title(report, course)
    final = final or final_mod.for_report(report, course)
    due = final.due or due
    now = now or dt.datetime.now(dt.timezone.utc)
    policy = course.disclosure if course else Disclosure()
    gradescope.write(report, folder / "results.json", final,
                     moment=Moment(now, due, published), policy=policy, lang=lang)
    return [folder / "results.json"] + feedback.write(
        report, folder, due=due, now=now, published=published, title=title, policy=policy,
        lang=lang, final=final)


def _instructor(report: Report, folder: Path, course: Course | None, now: dt.datetime,
                final: FinalGrade) -> list[Path]:
    due, title = _due_title(report, course)
    policy = course.disclosure if course else Disclosure()
    gradescope.write(report, folder / f"{report.submission}.json", final, policy=policy)
    return [folder / f"{report.submission}.json"] + feedback.write(
        report, folder, stem=report.submission, due=final.due or due, now=now,
        instructor=True, title=title, final=final)


def _headings_in(path: Path, lang: str) -> None:
    """The class report's headings in the course's language."""
    if lang != "en":
        path.write_text(translate_headings(path.read_text(encoding="utf-8"), lang),
                        encoding="utf-8")


def _dues(course: Course | None) -> dict[str, dt.datetime | None]:
    return {a.id: a.due for a in course.assignments} if course else {}


def _due_title(report: Report, course: Course | None) -> tuple[dt.datetime | None, str]:
    for a in course.assignments if course else ():
        if a.id == report.assignment:
            return a.due, a.title
    return None, ""
