"""`autograder check`: a student runs the public checks of an assignment on their notebook.

The public checks are the notebook's `public-check` cells (nbgrader grade cells worth 0
points). They run in the sandboxed worker after the submission's runnable cells, exactly the
cells grading runs, and each passes when its cell runs without an exception, as it does in
Jupyter. With the course at hand the checks come from the released notebook (so an edited
check cell cannot pass by being edited); without it, from the student's own notebook.
Passing them says nothing about the hidden tests: the output says "all public checks
passed", never more.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import grading, notebooks
from .course import Assignment, Course, Limits
from .errors import UsageError
from .notebooks import Cell
from .proxy import StudentProxy, StudentSession
from .records import CellOutcome
from .sandbox import Sandbox, Tier

PUBLIC_CHECK_TAG = "public-check"
NOT_RUN_TAGS = grading.NOT_GRADED_TAGS


@dataclass(frozen=True)
class PublicCheck:
    """One public-check cell and how it ran against the student's code."""

    grade_id: str
    """The check cell's nbgrader grade_id, e.g. "softmax-check"."""
    passed: bool
    """The cell ran without an exception."""
    message: str = ""
    """Why not: the exception and the line, as the student's own Jupyter would show it."""


@dataclass(frozen=True)
class CheckRun:
    """Every public check of one notebook."""

    assignment: str
    """The assignment the checks belong to ("" when neither the notebook nor the user says)."""
    notebook: str
    """The checked file."""
    checks: tuple[PublicCheck, ...]
    """The checks, in notebook order."""
    broken_cells: tuple[CellOutcome, ...]
    """The student's own cells that did not run cleanly."""
    tier: str
    """Isolation tier that ran the code."""

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.checks)

    @property
    def all_passed(self) -> bool:
        return self.passed == len(self.checks)


def run_public_checks(notebook: Path, *, tier: Tier, course: Course | None = None,
                      expected: str = "") -> CheckRun:
    """Run the public checks of `notebook`; a notebook of another assignment is a UsageError.

    `expected` is the assignment id the user named; it must match the notebook's metadata.
    With `course`, the assignment (named, or from the metadata) supplies trusted check cells,
    the shipped files and the limits; without, the notebook and its folder do.
    """
    try:
        submission = notebooks.load(notebook)
    except notebooks.BrokenNotebook as exc:
        raise UsageError(f"{notebook}: {exc}") from None
    found = submission.assignment_hint
    if expected and found and found != expected:
        raise UsageError(f"{notebook} is for assignment {found!r}, not {expected!r}")
    wanted = expected or found
    if course is not None and not wanted:
        raise UsageError(f"{notebook} does not say which assignment it is for; pass "
                         "--assignment")
    assignment = course.assignment(wanted) if course is not None else None
    reference = assignment.release_notebook if assignment else Path(notebook)
    skip = grading.skipped_cells(assignment) if assignment else roles(Path(notebook))[1]
    runnable = [c for c in submission.cells if c.grade_id not in skip]
    checks = renumbered(check_cells(reference), after=submission.cells[-1].index + 1)
    sandbox, owned = _sandbox(notebook, assignment, tier)
    limits = assignment.limits if assignment else Limits()
    session = StudentSession(replace(submission, cells=tuple(runnable + checks)), sandbox,
                             frozenset(), list(assignment.functions) if assignment else [],
                             limits.call_timeout, limits.notebook_timeout)
    try:
        StudentProxy(session).has("")  # starts the worker, which runs every cell once
        outcomes = session.cell_report()
    finally:
        session.close()
        if owned:
            sandbox.close()
    return CheckRun(wanted, str(notebook),
                    tuple(_check(c, o) for c, o in zip(checks, outcomes[len(runnable):])),
                    tuple(o for o in outcomes[:len(runnable)] if o.status != "ok"), tier.name)


def _check(cell: Cell, outcome: CellOutcome) -> PublicCheck:
    if outcome.status == "ok":
        return PublicCheck(cell.grade_id, True)
    message = outcome.message if outcome.status == "error" else f"{outcome.status}: " \
        f"{outcome.message}"
    return PublicCheck(cell.grade_id, False, message)


def _sandbox(notebook: Path, assignment: Assignment | None, tier: Tier) -> tuple[Sandbox, bool]:
    """The grading sandbox of the assignment, or one shipping the notebook's sibling .py files
    (the data helper) when there is no course; True when the caller must close it."""
    if assignment is not None:
        return grading.sandbox_for(assignment, tier), False
    helpers = tuple(sorted(Path(notebook).resolve().parent.glob("*.py")))
    return Sandbox(tier, Limits(), helpers), True


def check_cells(notebook: Path) -> list[Cell]:
    """The public-check cells of a notebook, parsed as the grader parses code cells."""
    ids = roles(notebook)[0]
    return [c for c in notebooks.load(notebook).cells if c.grade_id in ids]


def renumbered(cells: list[Cell], after: int) -> list[Cell]:
    """Give cells indices after the submission's own, so outcomes never mix them up."""
    return [replace(c, index=after + i) for i, c in enumerate(cells)]


def roles(notebook: Path) -> tuple[frozenset[str], frozenset[str]]:
    """(public-check grade_ids, grade_ids not run when grading) read from a notebook's metadata."""
    data = json.loads(Path(notebook).read_text(encoding="utf-8"))
    checks, skip = set(), set()
    for cell in data.get("cells", []):
        meta: dict[str, Any] = cell.get("metadata") or {}
        nbg = meta.get("nbgrader") or {}
        tags = set(meta.get("tags") or [])
        gid = nbg.get("grade_id")
        if cell.get("cell_type") != "code" or not gid:
            continue
        test_cell = bool(nbg.get("grade")) and not nbg.get("solution")
        if PUBLIC_CHECK_TAG in tags or (test_cell and not nbg.get("points")):
            checks.add(gid)
        if NOT_RUN_TAGS & tags or test_cell:
            skip.add(gid)
    return frozenset(checks), frozenset(skip)
