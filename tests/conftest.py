"""Shared fixtures: the course, the sandbox tier, and builders of submissions.

Submissions are built from the generated student notebook by replacing the source of chosen
cells (by nbgrader grade_id), exactly as a student would edit them.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from autograder import course as course_mod
from autograder import sandbox
from autograder.course import Assignment, Course
from autograder.grading import grade_submission
from autograder.records import Report

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def have_bwrap() -> bool:
    try:
        sandbox.choose_tier(prefer="bubblewrap")
        return True
    except Exception:
        return False


needs_bwrap = pytest.mark.skipif(not have_bwrap(), reason="bubblewrap is not installed or "
                                 "cannot start here (apt-get install bubblewrap)")


@pytest.fixture(scope="session")
def course() -> Course:
    return course_mod.load(ROOT / "course.yaml")


@pytest.fixture(scope="session")
def tier() -> sandbox.Tier:
    return sandbox.choose_tier(allow_unsafe=True)


def edit_notebook(source: Path, dest: Path, replace: dict[str, str] | None = None,
                  append: list[str] | None = None, prepend: list[str] | None = None) -> Path:
    """Copy a notebook, replacing cell sources by grade_id and adding code cells."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if replace and gid in replace:
            cell["source"] = replace[gid]
    new = lambda src: {"cell_type": "code", "metadata": {}, "source": src,  # noqa: E731
                       "outputs": [], "execution_count": None}
    nb["cells"] = [new(s) for s in (prepend or [])] + nb["cells"] + [new(s) for s in append or []]
    for i, cell in enumerate(nb["cells"]):
        cell.setdefault("id", f"c{i}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return dest


def solution_sources(assignment: Assignment) -> dict[str, str]:
    """grade_id -> source of every solution code cell, markers stripped."""
    nb = json.loads(assignment.solution_notebook.read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "code" and nbg.get("solution"):
            src = "".join(cell["source"])
            out[nbg["grade_id"]] = "\n".join(l for l in src.splitlines()
                                             if "### BEGIN SOLUTION" not in l
                                             and "### END SOLUTION" not in l)
    return out


@pytest.fixture
def grade(course: Course, tier: sandbox.Tier) -> Callable[..., Report]:
    def run(assignment: str | Assignment, path: Path, seed: int = 7) -> Report:
        a = course.assignment(assignment) if isinstance(assignment, str) else assignment
        return grade_submission(a, path, seed=seed, tier=tier)
    return run


@pytest.fixture
def submission(course: Course, tmp_path: Path) -> Callable[..., Path]:
    """Build a submission of an assignment from the student notebook plus edits.

    `solved=True` starts from the reference solution cells (a perfect submission).
    """
    def build(assignment: str, name: str = "student", solved: bool = True,
              replace: dict[str, str] | None = None, append: list[str] | None = None,
              prepend: list[str] | None = None) -> Path:
        a = course.assignment(assignment)
        cells = solution_sources(a) if solved else {}
        cells.update(replace or {})
        return edit_notebook(a.release_notebook, tmp_path / f"{name}.ipynb", cells, append,
                             prepend)
    return build


def function_points(report: Report) -> dict[str, float]:
    return {f.function: f.score for f in report.functions}


