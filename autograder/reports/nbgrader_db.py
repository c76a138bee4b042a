"""nbgrader's gradebook database, written through nbgrader's own `Gradebook` API.

The instructor can then grade the written answers in nbgrader's formgrader. The folder
(default <out>/nbgrader) is laid out as an nbgrader course directory:

    gradebook.db                                         the database
    source/<assignment>/<notebook>.ipynb                 the release notebook (formgrader
                                                         lists assignments from source/)
    submitted/<student>/<assignment>/<notebook>.ipynb    the same as autograded/ (formgrader
                                                         counts submissions there)
    autograded/<student>/<assignment>/<notebook>.ipynb   what formgrader shows and grades

The database mirrors what `nbgrader generate_assignment` and `nbgrader autograde` store:
- every nbgrader cell of the release notebook as a source cell, its grade cells (written
  answers, public checks) and its solution cells;
- one extra grade cell per graded function, "autograded-<function>", worth the function's
  course.yaml points, holding the autograded score (nbgrader grades whole cells; our checks
  are pytest tests, and function points are what scoring caps);
- per submission: the function scores as auto scores, written answers left for manual
  grading (an answer left as released scores 0, "No response.", as nbgrader does), a
  student-safe summary of the failed checks as the auto comment of the cell that defines the
  function, the late penalty in points, and `flagged` set when there are integrity flags.

The database is also the store of the written-answer scores (see written.py): manual scores
and comments a grader entered survive every write. An answer whose text changed since the
last write is marked for review again; an unchanged one keeps its score and its review state.
Scores of other folders (`report --out`, `merge`) are carried in through `written`. The late
penalty (in points, as nbgrader stores it) is the final grade's (final.py), rewritten on
every write. This is the only module that imports nbgrader (it costs seconds).
"""
from __future__ import annotations

import ast
import datetime as dt
import json
import os
import shutil
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from .. import integrity
from ..course import Assignment, Course
from ..errors import AutograderError
from ..final import FinalGrade, for_report
from ..records import CheckRecord, Report, WrittenScore

if TYPE_CHECKING:
    from nbgrader.api import Gradebook

AUTO_CELL = "autograded-{function}"
"""Name of the grade cell holding a function's autograded score."""
NO_RESPONSE = "No response."
"""nbgrader's own comment for an answer cell left as released."""
BROKEN = "The notebook could not be read: {problem}"


Carried = Mapping[tuple[str, str], Mapping[str, WrittenScore]]
"""Written scores from other folders: (assignment, student) -> question -> score."""


def write(reports: Sequence[Report], folder: Path, course: Course, *,
          finals: Sequence[FinalGrade] | None = None, written: Carried | None = None) -> Path:
    """Write (or update) <folder>/gradebook.db, source/ and the autograded notebooks.

    `finals` give the late penalties (default: derived here); `written` holds scores to carry
    in (a grader's score in this database stays unless `written` has another for the cell).
    Returns the database.
    """
    finals = finals or [for_report(r, course, written) for r in reports]
    with _gradebook(folder) as gb:
        for ident in dict.fromkeys(r.assignment for r in reports):
            assignment = course.assignment(ident)
            release = _release(assignment)
            register(gb, assignment, release)
            _write_source(folder, assignment, release)
            for report, grade in zip(reports, finals):
                if report.assignment != ident:
                    continue
                previous = _answers_in(_notebook_path(folder, assignment, report.submission))
                save(gb, assignment, release, report, grade, previous)
                _carry(gb, assignment, report.submission,
                       (written or {}).get((ident, report.submission), {}))
                _write_notebook(folder, assignment, release, report)
    return folder / "gradebook.db"


@contextmanager
def _gradebook(folder: Path) -> Iterator["Gradebook"]:
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "gradebook.db"
    with warnings.catch_warnings(), _alembic_on_path():
        # nbgrader's add_submission builds objects in a way SQLAlchemy 2 warns about, harmlessly
        warnings.simplefilter("ignore", SAWarning)
        with Gradebook(f"sqlite:///{db.resolve()}") as gb:
            yield gb


def record_written(reports: Sequence[Report], folder: Path, course: Course,
                   assignment: Assignment,
                   entries: Sequence[tuple[str, str, float | None, str]]) -> Path:
    """Record (student, question, score or None, comment) as a grader's entries.

    The database is brought up to date with the reports first (created if needed)."""
    db = write(reports, folder, course)
    nb = notebook_name(assignment)
    with _gradebook(folder) as gb:
        for student, question, score, comment in entries:
            _set_manual(gb, question, nb, assignment.id, student, score, comment)
        gb.db.commit()
    return db


def _set_manual(gb: "Gradebook", question: str, nb: str, a: str, student: str,
                score: float | None, comment: str) -> None:
    if score is not None:
        grade = gb.find_grade(question, nb, a, student)
        grade.manual_score, grade.needs_manual_grade = score, False
    if comment:
        gb.find_comment(question, nb, a, student).manual_comment = comment


def _carry(gb: "Gradebook", assignment: Assignment, student: str,
           scores: Mapping[str, WrittenScore]) -> None:
    """Scores of another folder's database, where this one has none or another."""
    nb = notebook_name(assignment)
    for question, entry in scores.items():
        if question not in assignment.written:
            continue
        comment = gb.find_comment(question, nb, assignment.id, student)
        comment.manual_comment = comment.manual_comment or entry.comment or None
        if entry.score is None:
            continue
        grade = gb.find_grade(question, nb, assignment.id, student)
        if grade.manual_score == entry.score or (grade.manual_score is None and
                                                 entry.score == grade.auto_score):
            continue  # already here (this folder's own), or nbgrader's 0 for no answer
        grade.manual_score = entry.score
        grade.needs_manual_grade = grade.needs_manual_grade and entry.needs_review
        comment.manual_comment = entry.comment or comment.manual_comment
    gb.db.commit()


@contextmanager
def _alembic_on_path() -> Iterator[None]:
    """nbgrader runs the `alembic` command when it creates a database; find it next to Python.

    In a virtual environment that is not activated, alembic's script is not on PATH.
    """
    if shutil.which("alembic"):
        yield
        return
    previous = os.environ.get("PATH", "")
    bins = dict.fromkeys(str(Path(p).parent) for p in (sys.executable, sys._base_executable))
    os.environ["PATH"] = os.pathsep.join([*bins, previous])
    try:
        yield
    finally:
        os.environ["PATH"] = previous


def notebook_name(assignment: Assignment) -> str:
    """nbgrader names a notebook by its file stem."""
    return Path(assignment.notebook).stem


def _release(assignment: Assignment) -> dict[str, Any]:
    path = assignment.release_notebook
    if not path.is_file():
        raise AutograderError(f"{path}: the release notebook is needed for nbgrader's gradebook;"
                              f" run `autograder generate {assignment.id}`")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _nbgrader_cells(release: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(c, c["metadata"]["nbgrader"]) for c in release.get("cells", [])
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")]


def register(gb: "Gradebook", assignment: Assignment, release: dict[str, Any]) -> None:
    """The assignment, its notebook and cells, as nbgrader's generate_assignment stores them."""
    a, nb = assignment.id, notebook_name(assignment)
    gb.update_or_create_assignment(a, duedate=assignment.due)
    gb.update_or_create_notebook(nb, a)
    for cell, nbg in _nbgrader_cells(release):
        gid, kind = nbg["grade_id"], cell["cell_type"]
        if nbg.get("grade"):
            gb.update_or_create_grade_cell(gid, nb, a, max_score=float(nbg.get("points", 0)),
                                           cell_type=kind)
        if nbg.get("solution"):
            gb.update_or_create_solution_cell(gid, nb, a)
        gb.update_or_create_source_cell(gid, nb, a, cell_type=kind,
                                        locked=integrity.is_locked(nbg),
                                        source=_text(cell.get("source", "")),
                                        checksum=nbg.get("checksum"))
    for function, points in assignment.functions.items():
        gb.update_or_create_grade_cell(AUTO_CELL.format(function=function), nb, a,
                                       max_score=float(points), cell_type="code")


def save(gb: "Gradebook", assignment: Assignment, release: dict[str, Any],
         report: Report, final: FinalGrade, previous: dict[str, str] | None = None) -> None:
    """One report as nbgrader grades and comments of its student's submission.

    `previous` holds the answers of the last write (None: not known); a changed answer that
    a grader scored is marked for review, an unchanged one keeps its review state."""
    a, nb, student = assignment.id, notebook_name(assignment), report.submission
    gb.update_or_create_student(student)
    submitted = report.extra.get("submitted")
    sub = gb.update_or_create_submission(a, student, timestamp=_utc(submitted))
    _complete(gb, sub)
    scores = {f.function: f.score for f in report.functions}
    for function in assignment.functions:
        _grade(gb, AUTO_CELL.format(function=function), nb, a, student,
               scores.get(function, 0.0))
    answers = dict(report.answers)
    defines = _definitions(release)
    for cell, nbg in _nbgrader_cells(release):
        gid = nbg["grade_id"]
        if nbg.get("grade") and nbg.get("solution"):
            unanswered = gid not in answers or integrity.checksum(cell, answers[gid]) == \
                nbg.get("checksum")
            changed = previous is None or previous.get(gid) != answers.get(gid)
            _answer(gb, gid, nb, a, student, 0.0 if unanswered else None, changed)
            _comment(gb, gid, nb, a, student, NO_RESPONSE if unanswered else None)
        elif nbg.get("grade"):
            _grade(gb, gid, nb, a, student, 0.0)  # public checks: worth 0, not run here
        elif nbg.get("solution"):
            text = BROKEN.format(problem=report.problem) if report.problem else \
                _summary(report.checks, defines.get(gid, ()))
            _comment(gb, gid, nb, a, student, text or None)
    notebook = gb.find_submission_notebook(nb, a, student)
    notebook.late_submission_penalty = round(
        (final.score + final.written) * final.late_penalty, 6) or None
    notebook.flagged = bool(notebook.flagged) or bool(report.flags)
    gb.db.commit()


def _complete(gb: "Gradebook", submission: Any) -> None:
    """Grades and comments for cells registered after the submission was first saved."""
    from nbgrader.api import Comment, Grade

    for snb in submission.notebooks:
        graded = {g.cell_id for g in snb.grades}
        commented = {c.cell_id for c in snb.comments}
        for cell in snb.notebook.grade_cells:
            if cell.id not in graded:
                Grade(cell_id=cell.id, notebook=snb)
        for cell in snb.notebook.solution_cells:
            if cell.id not in commented:
                Comment(cell_id=cell.id, notebook=snb)
    gb.db.commit()


def _grade(gb: "Gradebook", cell: str, nb: str, a: str, student: str,
           auto_score: float | None) -> None:
    """nbgrader's rule (SaveAutoGrades): review needed without an auto score or after a
    grader's manual score."""
    grade = gb.find_grade(cell, nb, a, student)
    grade.auto_score = auto_score
    grade.needs_manual_grade = grade.manual_score is not None or auto_score is None


def _answer(gb: "Gradebook", cell: str, nb: str, a: str, student: str,
            auto_score: float | None, changed: bool) -> None:
    """A written answer: to grade when nobody has; for review again only when it changed."""
    grade = gb.find_grade(cell, nb, a, student)
    grade.auto_score = auto_score
    if grade.manual_score is None:
        grade.needs_manual_grade = auto_score is None
    elif changed:
        grade.needs_manual_grade = True


def _comment(gb: "Gradebook", cell: str, nb: str, a: str, student: str,
             text: str | None) -> None:
    gb.find_comment(cell, nb, a, student).auto_comment = text


def _summary(checks: Sequence[CheckRecord], functions: Sequence[str]) -> str:
    """What failed for the functions a cell defines, student-safe: hidden checks by name."""
    lines = []
    for check in checks:
        if check.function not in functions or check.status == "passed":
            continue
        if check.visibility == "visible" and check.message:
            hint = f" (hint: {check.hint})" if check.hint else ""
            lines.append(f"- {check.name}: {check.message}{hint}")
        else:
            lines.append(f"- {check.name}: {check.status}")
    if not lines:
        return ""
    return "Autograder checks that did not pass:\n" + "\n".join(lines)


def _definitions(release: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """grade_id -> names of the functions its cell defines at top level."""
    out = {}
    for cell, nbg in _nbgrader_cells(release):
        if cell["cell_type"] != "code" or not nbg.get("solution"):
            continue
        try:
            tree = ast.parse(_text(cell.get("source", "")))
        except SyntaxError:
            continue
        out[nbg["grade_id"]] = tuple(n.name for n in tree.body if isinstance(n, ast.FunctionDef))
    return out


def _utc(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    stamp = dt.datetime.fromisoformat(text)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return stamp


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


# --- the notebook formgrader shows ----------------------------------------------------------

def _write_source(folder: Path, assignment: Assignment, release: dict[str, Any]) -> Path:
    """source/<assignment>/<notebook>: formgrader lists the assignments it finds there."""
    path = folder / "source" / assignment.id / assignment.notebook
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(release, indent=1) + "\n", encoding="utf-8")
    return path


def _notebook_path(folder: Path, assignment: Assignment, student: str) -> Path:
    return folder / "autograded" / student / assignment.id / assignment.notebook


def _answers_in(path: Path) -> dict[str, str] | None:
    """grade_id -> source of the answer cells of an autograded notebook; None if none yet."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    out = {}
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid and cell.get("cell_type") == "markdown":
            out[gid] = _text(cell.get("source", ""))
    return out

def _write_notebook(folder: Path, assignment: Assignment, release: dict[str, Any],
                    report: Report) -> Path:
    """autograded/<student>/<assignment>/<notebook>.ipynb, as nbgrader autograde leaves it.

    The submitted notebook with the release's nbgrader metadata restored by grade_id (so a
    student's edited metadata cannot confuse formgrader); when the submission cannot be read
    any more (merged on another machine), the release notebook with the student's answers.
    """
    path = _notebook_path(folder, assignment, report.submission)
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = _submitted(report) or _from_release(release, dict(report.answers))
    by_id = {nbg["grade_id"]: nbg for _, nbg in _nbgrader_cells(release)}
    for cell in nb.get("cells", []):
        meta = cell.setdefault("metadata", {})
        gid = meta.get("nbgrader", {}).get("grade_id") if isinstance(meta.get("nbgrader"),
                                                                      dict) else None
        if gid in by_id:
            meta["nbgrader"] = dict(by_id[gid])
        else:
            meta.pop("nbgrader", None)
    text = json.dumps(nb, indent=1) + "\n"
    path.write_text(text, encoding="utf-8")
    # formgrader counts and lists submissions from submitted/, as nbgrader collects them
    submitted = folder / "submitted" / report.submission / assignment.id
    submitted.mkdir(parents=True, exist_ok=True)
    (submitted / assignment.notebook).write_text(text, encoding="utf-8")
    stamp = _utc(report.submitted)
    if stamp is not None:
        (submitted / "timestamp.txt").write_text(f"{stamp} UTC\n", encoding="utf-8")
    return path


def _submitted(report: Report) -> dict[str, Any] | None:
    path = Path(report.path)
    if report.problem or not path.is_file():
        return None
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return nb if isinstance(nb, dict) and nb.get("nbformat") == 4 else None


def _from_release(release: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    nb = json.loads(json.dumps(release))
    note = ("*The submitted notebook was not available when this gradebook was written: "
            "code cells are the released version; the written answers are the student's.*")
    nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": note,
                           "id": "autograder-note"})
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    return dict(nb)
