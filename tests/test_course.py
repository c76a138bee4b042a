"""Every assignment in course.yaml: the solution earns full marks, the stub earns nothing,
the student notebook is generated from the solution and leaks nothing of it."""
from __future__ import annotations

import json
import re

import pytest

from autograder import course as course_mod
from autograder.release import out_of_sync
from conftest import ROOT

IDS = [a.id for a in course_mod.load(ROOT / "course.yaml").assignments]


@pytest.mark.parametrize("ident", IDS)
def test_solution_scores_full_marks(course, grade, ident):
    """Does the solution notebook earn every point of every function in course.yaml?"""
    a = course.assignment(ident)
    report = grade(a, a.solution_notebook)
    failing = [(c.id, c.message, c.detail[-300:]) for c in report.checks if c.status != "passed"]
    assert not failing
    assert {f.function: f.score for f in report.functions} == dict(a.functions)
    earned = {}
    for c in report.checks:
        earned[c.function] = earned.get(c.function, 0) + c.points
    assert earned == dict(a.functions), "hidden tests' points must add up to course.yaml's"


@pytest.mark.parametrize("ident", IDS)
def test_untouched_stub_scores_zero(course, grade, ident):
    """Does the untouched student notebook earn 0 autograded points without crashing?"""
    a = course.assignment(ident)
    report = grade(a, a.release_notebook)
    assert report.problem == "" and report.score == 0
    assert report.manual_pending == a.manual_points
    assert all(c.status in ("failed", "timeout") for c in report.checks)


@pytest.mark.parametrize("ident", IDS)
def test_student_notebook_is_generated_from_the_solution(course, ident):
    """Is assignments/<id>/ byte-identical to what `autograder generate` writes?"""
    assert out_of_sync(course.assignment(ident)) == []


def solution_lines(a) -> set[str]:
    """Non-trivial lines of the solution regions and of the instructor-only test files."""
    lines = set()
    nb = json.loads(a.solution_notebook.read_text())
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        for region in re.findall(r"### BEGIN SOLUTION(.*?)### END SOLUTION", src, re.S):
            lines |= {l.strip() for l in region.splitlines()}
        nbg = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] == "markdown" and nbg.get("solution"):
            lines |= {l.strip() for l in src.splitlines()}
    for path in a.tests_dir.glob("*.py"):
        lines |= {l.strip() for l in path.read_text().splitlines()}
    return {l for l in lines if len(l) > 24 and not l.startswith(("#", '"""', "import", "from"))}


@pytest.mark.parametrize("ident", IDS)
def test_release_leaks_no_solution_or_hidden_test(course, ident):
    """Does any file students receive contain a solution line, a marker or hidden-test code?"""
    a = course.assignment(ident)
    secret = solution_lines(a)
    for path in a.release_dir.iterdir():
        text = path.read_text()
        assert not re.search(r"BEGIN (SOLUTION|HIDDEN TESTS)|END SOLUTION", text)
        shipped = {l.strip().strip('",').replace('\\"', '"') for l in text.splitlines()}
        leaked = sorted(secret & shipped)
        assert not leaked, f"{path.name} contains: {leaked[:3]}"
