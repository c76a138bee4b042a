"""`autograder check`: a student runs the public checks of an assignment on their notebook.

The public checks are the notebook's `public-check` cells (nbgrader grade cells worth 0
points). They run in the sandboxed worker after the submission's runnable cells, exactly the
cells grading runs, and each passes when its cell runs without an exception, as it does in
Jupyter. With the course at hand the checks come from the released notebook (so an edited
check cell cannot pass by being edited); without it, from the student's own notebook.
Passing them says nothing about the hidden tests: the output says "all public checks
passed", never more.

A failure says what to fix, named the way the student sees the notebook in Jupyter: the check
cell by the heading above it (or the function it checks), never by an index. A check cell
written with publiccheck.public_check already says "`softmax` is not implemented yet" or gives
the stability hint; for older check cells, NotImplementedError and floating-point errors are
turned into the same sentences here. The output is rendered in English or Korean (`--lang`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import grading, notebooks
from .checks import FP_HINTS
from .course import Assignment, Course, Limits
from .i18n import N_, translate
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
    """Why not: what to fix (the check's own message, or the exception and its line)."""
    title: str = ""
    """How the student finds the cell: the heading above it, or the function it checks."""


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
    titles = check_titles(reference)
    known = set(assignment.functions) if assignment else _defined(runnable)
    return CheckRun(wanted, str(notebook),
                    tuple(_check(c, o, titles.get(c.grade_id, c.grade_id), known)
                          for c, o in zip(checks, outcomes[len(runnable):])),
                    tuple(o for o in outcomes[:len(runnable)] if o.status != "ok"), tier.name)


NOT_IMPLEMENTED = N_("`{function}` is not implemented yet")
NOT_IMPLEMENTED_SOME = N_("a function this check calls is not implemented yet")
FP_IN = N_("a floating-point error in {function}: {hint}")
_ERROR = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?: at line \d+)?: ?(?P<message>.*)$", re.S)
_PUBLIC_CHECK = re.compile(r"public_check\(\s*['\"]([\w]+)['\"]")


def _check(cell: Cell, outcome: CellOutcome, title: str = "",
           known: set[str] | frozenset[str] = frozenset()) -> PublicCheck:
    if outcome.status == "ok":
        return PublicCheck(cell.grade_id, True, title=title)
    if outcome.status != "error":
        return PublicCheck(cell.grade_id, False, f"{outcome.status}: {outcome.message}", title)
    return PublicCheck(cell.grade_id, False, explain(outcome.message, cell.source, known), title)


def _defined(cells: list[Cell]) -> set[str]:
    return {m for c in cells for m in re.findall(r"^def (\w+)\(", c.source, re.M)}


def _checked_function(source: str, known: set[str] | frozenset[str]) -> str:
    """The function a check cell checks: public_check's argument, else the first it calls."""
    named = _PUBLIC_CHECK.findall(source)
    if named:
        return named[0]
    return next((m for m in re.findall(r"\b(\w+)\s*\(", source) if m in known), "")


def explain(message: str, source: str, known: set[str] | frozenset[str] = frozenset()) -> str:
    """A check cell's error as what to fix: "PublicCheckFailed at line 3: <text>" -> <text>;
    NotImplementedError -> "`f` is not implemented yet"; a floating-point error -> its hint;
    no dangling colon when the exception has no message."""
    match = _ERROR.match(message.strip())
    if not match:
        return message
    kind, text = match.group("type").rsplit(".", 1)[-1], match.group("message").strip()
    function = _checked_function(source, known)
    if kind == "PublicCheckFailed" and text:
        return text
    if kind == "NotImplementedError":
        return NOT_IMPLEMENTED.format(function=function) if function else NOT_IMPLEMENTED_SOME
    if kind == "FloatingPointError":
        hint = next((h for k, h in FP_HINTS.items() if k in text), FP_HINTS["overflow encountered"])
        return FP_IN.format(function=function, hint=hint) if function else hint
    head = message.strip().split(": ", 1)[0].rstrip(":")
    return f"{head}: {text}" if text else head


def check_titles(notebook: Path) -> dict[str, str]:
    """grade_id -> how a student finds each public-check cell: the function its
    public_check(...) names, else the last heading above it ("## 2. Softmax")."""
    data = json.loads(Path(notebook).read_text(encoding="utf-8"))
    titles, heading = {}, ""
    for cell in data.get("cells", []):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            found = [line.lstrip("#").strip() for line in source.splitlines()
                     if line.startswith("#")]
            heading = found[-1] if found else heading
            continue
        gid = ((cell.get("metadata") or {}).get("nbgrader") or {}).get("grade_id")
        function = (_PUBLIC_CHECK.findall(source) or [""])[0]
        if gid:
            titles[gid] = (CHECK_OF.format(function=function) if function
                           else CHECK_AFTER.format(heading=heading) if heading else gid)
    return titles


CHECK_AFTER = N_('the check cell after "{heading}"')
CHECK_OF = N_("the check cell of {function}")


def render(result: CheckRun, lang: str = "en") -> str:
    """What `check` prints: one line per public check, then the verdict (in `lang`)."""
    t = lambda text: translate(text, lang)  # noqa: E731
    head = (t("Public checks of {notebook} ({assignment})").format(
        notebook=result.notebook, assignment=result.assignment) if result.assignment
        else t("Public checks of {notebook}").format(notebook=result.notebook))
    lines = [head + ":"]
    for c in result.checks:
        lines.append(f"  {'ok  ' if c.passed else 'FAIL'}  {t(c.title or c.grade_id)}"
                     + (f": {t(c.message)}" if c.message else ""))
    for cell in result.broken_cells:
        lines.append("  " + t("your cell {cell} did not run cleanly: {message}").format(
            cell=cell.label, message=t(cell.message)))
    if not result.checks:
        lines.append(t("This notebook has no public checks."))
    elif result.all_passed:
        lines.append(t("all public checks passed ({passed} of {total}); the hidden tests that "
                       "grade your notebook check more than these.").format(
            passed=result.passed, total=len(result.checks)))
    else:
        lines.append(t("{passed} of {total} public checks passed.").format(
            passed=result.passed, total=len(result.checks)))
    return "\n".join(lines) + "\n"


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
