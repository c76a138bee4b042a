"""Every assignment in course.yaml: the solution earns full marks, the stub earns nothing,
the student notebook is generated from the solution and leaks nothing of it."""
from __future__ import annotations

import pytest

from autograder import course as course_mod
from autograder import validate
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


@pytest.mark.parametrize("ident", IDS)
def test_release_leaks_no_solution_or_hidden_test(course, ident):
    """Does any file students receive contain a solution line, a marker or hidden-test code?"""
    a = course.assignment(ident)
    assert validate.leaks(a, validate.release_material(a)) == []
