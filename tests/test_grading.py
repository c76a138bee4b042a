"""End to end on the softmax assignment: what the grading engine promises."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from autograder.grading import grade_many
from conftest import function_points, solution_sources

WRONG_SOFTMAX = '''
import numpy as np

def softmax(scores):
    """Wrong: forgets to normalise."""
    return np.exp(np.asarray(scores, dtype=float))
'''


def test_solution_scores_full_marks(course, grade):
    """Does the instructor's solution notebook earn every autograded point?"""
    a = course.assignment("softmax")
    report = grade(a, a.solution_notebook)
    assert report.score == a.auto_points == 14
    assert all(c.status == "passed" for c in report.checks), [c for c in report.checks
                                                              if c.status != "passed"]


def test_untouched_stub_scores_zero(course, grade):
    """Does the generated student notebook, unedited, earn nothing and say why?"""
    a = course.assignment("softmax")
    report = grade(a, a.release_notebook)
    assert report.score == 0
    assert report.problem == ""
    assert {c.status for c in report.checks} == {"failed"}
    assert all("NotImplementedError" in c.message for c in report.checks)


def test_one_wrong_function_loses_exactly_its_points(submission, grade):
    """Does a wrong softmax cost the softmax points and nothing else?"""
    report = grade("softmax", submission("softmax", replace={"softmax-impl": WRONG_SOFTMAX}))
    points = function_points(report)
    assert points["softmax"] == 0
    assert report.score == 14 - 2
    assert {k: v for k, v in points.items() if k != "softmax"} == {
        "logsumexp": 2, "cross_entropy": 3, "soft_cross_entropy": 2, "kl_divergence": 2,
        "cross_entropy_grad": 3}


def test_patching_numpy_and_builtins_earns_nothing(submission, grade):
    """Can np.allclose = lambda: True plus a builtins.abs rebinding rescue a wrong softmax?"""
    tamper = ("import numpy as np, builtins\n"
              "np.allclose = lambda *a, **k: True\n"
              "np.isclose = lambda *a, **k: True\n"
              "builtins.abs = lambda x: 0\n")
    report = grade("softmax", submission("softmax", replace={"softmax-impl": WRONG_SOFTMAX},
                                         append=[tamper]))
    assert function_points(report)["softmax"] == 0
    assert report.score == 12


def test_always_equal_object_earns_nothing(submission, grade):
    """Does an object whose __eq__ is always true fail as a wrong type?"""
    cheat = '''
class Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __array__(self, *a, **k): raise RuntimeError
def softmax(scores):
    return Anything()
'''
    report = grade("softmax", submission("softmax", replace={"softmax-impl": cheat}))
    assert function_points(report)["softmax"] == 0
    failed = [c for c in report.checks if c.function == "softmax"]
    assert all("not plain data" in c.message for c in failed)


def test_infinite_loop_costs_only_that_function(submission, grade):
    """Does a softmax that never returns cost its points only, within a bounded time?"""
    loop = "def softmax(scores):\n    while True:\n        pass\n"
    start = time.monotonic()
    report = grade("softmax", submission("softmax", replace={"softmax-impl": loop}))
    elapsed = time.monotonic() - start
    points = function_points(report)
    assert points["softmax"] == 0 and report.score == 12
    timeouts = [c for c in report.checks if c.status == "timeout"]
    assert timeouts and all(c.message == "softmax did not return within 2 s" for c in timeouts)
    assert elapsed < 30


def test_missing_function_is_named(submission, grade):
    """Is a function that the notebook never defines reported by name?"""
    report = grade("softmax", submission("softmax", replace={"logsumexp-impl": "x = 1\n"}))
    msgs = {c.message for c in report.checks if c.function == "logsumexp"}
    assert msgs == {"function `logsumexp` is not defined in your notebook"}
    assert report.score == 12


def test_cell_that_raises_does_not_stop_the_notebook(submission, grade):
    """Does a broken exploratory cell leave the later cells running?"""
    path = submission("softmax", prepend=["raise ValueError('exploring')\n"])
    report = grade("softmax", path)
    assert report.score == 14
    assert any(c.status == "error" and "ValueError" in c.message for c in report.cells)


@pytest.mark.parametrize("content, fragment", [
    ('{"cells": [', "not valid JSON"),
    ('{"hello": "world"}', "not a Jupyter notebook"),
    ('[1, 2, 3]', "not a Jupyter notebook"),
    ('{"nbformat": 2, "cells": []}', "nbformat version 2 is not supported"),
    ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}', "no code cells"),
])
def test_broken_files_get_a_clear_message(course, grade, tmp_path, content, fragment):
    """Do unreadable files score 0 with a message that says what is wrong?"""
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    report = grade("softmax", path)
    assert report.score == 0 and fragment in report.problem
    assert [f.score for f in report.functions] == [0] * 6


def test_syntax_error_scores_zero_for_that_cell(submission, grade):
    """Does a syntax error in a solution cell cost that cell's functions, with its message?"""
    report = grade("softmax", submission("softmax", replace={"softmax-impl":
                                                             "def softmax(x:\n    return x\n"}))
    assert function_points(report)["softmax"] == 0
    assert report.score == 12
    assert any("SyntaxError" in c.message for c in report.cells)


def test_batch_finishes_and_keeps_order(course, tier, submission, tmp_path):
    """Does a batch with a hanging and a broken notebook grade every submission in order?"""
    good = submission("softmax", name="good")
    loop = submission("softmax", name="loop",
                      replace={"cross-entropy-impl": "def cross_entropy(s, y):\n    while 1: pass\n"})
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{")
    reports = grade_many(course.assignment("softmax"), [good, loop, broken], seed=1, tier=tier,
                         jobs=2)
    assert [r.submission for r in reports] == ["good", "loop", "broken"]
    assert [r.score for r in reports] == [14, 11, 0]


def test_tier_is_recorded(course, grade):
    """Does every result say which isolation ran the student's code?"""
    a = course.assignment("softmax")
    assert grade(a, a.solution_notebook).tier in ("bubblewrap", "unshare", "none")


def test_hidden_check_output_reveals_no_values(submission, grade):
    """Does a failed hidden comparison describe the error without inputs or expected values?"""
    wrong = "import numpy as np\ndef logsumexp(s):\n    return np.max(np.asarray(s, float), axis=-1)\n"
    report = grade("softmax", submission("softmax", replace={"logsumexp-impl": wrong}))
    hidden = [c for c in report.checks if c.visibility != "visible" and c.status == "failed"]
    assert hidden
    for c in hidden:
        assert "[" not in c.message and "expected" not in c.message.lower(), c.message
        assert c.observed.startswith("max relative error")


def run_cli(*argv: str) -> tuple[int, str, str]:
    import io

    from autograder.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(["--course", str(Path(__file__).parent.parent / "course.yaml"), *argv],
                stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_grades_and_exits_zero_whatever_the_scores(course, tmp_path):
    """Does `grade` write results.json per submission and grades.csv, and exit 0 for a zero?"""
    a = course.assignment("softmax")
    code, out, _ = run_cli("grade", "softmax", str(a.release_notebook), "--out", str(tmp_path),
                           "--seed", "5")
    assert code == 0
    doc = json.loads((tmp_path / "softmax" / "results.json").read_text())
    assert doc["score"] == 0 and doc["max_score"] == 14 and len(doc["tests"]) > 10
    rows = (tmp_path / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("submission,assignment,score") and len(rows) == 2
    assert "seed 5" in out


@pytest.mark.parametrize("argv, fragment", [
    (["grade", "nope", "x.ipynb"], "unknown assignment 'nope'"),
    (["grade", "softmax", "/no/such/file.ipynb"], "no such file"),
    (["grade", "softmax", "README.md", "--jobs", "0"], "--jobs must be at least 1"),
])
def test_cli_tool_errors_exit_nonzero_with_one_line(argv, fragment, tmp_path):
    """Do tool errors exit non-zero with a single line that says what is wrong?"""
    code, _, err = run_cli(*argv, "--out", str(tmp_path))
    assert code != 0 and fragment in err and len(err.strip().splitlines()) == 1


def test_cli_bad_course_file_is_a_one_line_error(tmp_path):
    """Does an invalid course.yaml stop the command with its path and the key?"""
    import io

    from autograder.cli import main

    bad = tmp_path / "course.yaml"
    bad.write_text("name: x\nassignments: []\n")
    err = io.StringIO()
    assert main(["--course", str(bad), "grade", "softmax", "a.ipynb"], stderr=err) == 1
    assert str(bad) in err.getvalue() and "assignments" in err.getvalue()


@pytest.mark.parametrize("assignment, cell, body, lost", [
    ("svm", "svm-naive-impl", "def svm_loss_naive(W, X, y, reg):\n    return 0.0, W * 0\n",
     "svm_loss_naive"),
    ("softmax_classifier", "smc-naive-impl",
     "def softmax_loss_naive(W, X, y, reg):\n    return 1.0, W * 0\n", "softmax_loss_naive"),
])
def test_a_wrong_naive_function_costs_only_its_own_points(course, submission, grade, assignment,
                                                          cell, body, lost):
    """Does a wrong *_naive leave the agreement check of a correct *_vectorized alone?"""
    a = course.assignment(assignment)
    assert cell in solution_sources(a)
    report = grade(a, submission(assignment, replace={cell: body}))
    points = function_points(report)
    assert points[lost] == 0
    assert {k: v for k, v in points.items() if k != lost} == {
        k: v for k, v in a.functions.items() if k != lost}


_PARENT = {}


def _dies_in_the_pool(assignment, path, **kw):
    """grade_submission, except that a pool process grading "victim" dies as if OOM-killed."""
    import os

    if os.getpid() != _PARENT["pid"] and kw.get("name") == "victim":
        os._exit(9)
    return _PARENT["real"](assignment, path, **kw)


def test_a_dead_grading_process_does_not_lose_the_batch(course, tier, submission, monkeypatch):
    """If the OS kills a parallel grading process, are its submissions graded anyway?"""
    import os

    from autograder import grading

    _PARENT.update(pid=os.getpid(), real=grading.grade_submission)
    monkeypatch.setattr(grading, "grade_submission", _dies_in_the_pool)
    paths = [submission("softmax", name=n) for n in ("first", "victim", "last")]
    reports = grading.grade_many(course.assignment("softmax"), paths, seed=3, tier=tier,
                                 jobs=2, names=["first", "victim", "last"])
    assert [(r.submission, r.score) for r in reports] == [("first", 14), ("victim", 14),
                                                          ("last", 14)]
