"""`autograder check`: the public checks, run in the worker, answer as the notebook's own check
cells do in Jupyter; a notebook for another assignment gets a one-line error."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import selfcheck
from autograder.errors import UsageError
from conftest import ROOT

NAIVE_SOFTMAX = '''import numpy as np

def softmax(scores):
    """Overflows for large logits."""
    e = np.exp(np.asarray(scores, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)
'''
ZERO_KL = "def kl_divergence(p, q):\n    return 0.0\n"


def jupyter_verdicts(notebook: Path, tmp_path: Path, monkeypatch) -> dict[str, bool]:
    """grade_id -> passed for every public-check cell, executing the notebook in a kernel."""
    work = tmp_path / "jupyter"
    work.mkdir()
    shutil.copy(notebook, work / notebook.name)
    for helper in ("lossdata.py", "publiccheck.py"):
        shutil.copy(ROOT / "common" / helper, work / helper)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(work / notebook.name, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(work)}}).execute()
    checks = selfcheck.roles(notebook)[0]
    return {c.metadata["nbgrader"]["grade_id"]: not any(o.get("output_type") == "error"
                                                        for o in c.get("outputs", []))
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") in checks}


@pytest.mark.parametrize("variant", ["untouched", "two wrong functions", "solved"])
def test_public_checks_agree_with_the_notebook_run_in_jupyter(variant, course, tier, submission,
                                                              tmp_path, monkeypatch):
    """Does every public check pass or fail exactly as its cell does in a Jupyter kernel?"""
    replace = {"softmax-impl": NAIVE_SOFTMAX, "kl-divergence-impl": ZERO_KL}
    notebook = {"untouched": lambda: course.assignment("softmax").release_notebook,
                "two wrong functions": lambda: submission("softmax", replace=replace),
                "solved": lambda: submission("softmax")}[variant]()
    result = selfcheck.run_public_checks(notebook, tier=tier, course=course)
    ours = {c.grade_id: c.passed for c in result.checks}
    assert len(ours) == 6 and ours == jupyter_verdicts(notebook, tmp_path, monkeypatch)
    expected_passes = {"untouched": 0, "two wrong functions": 4, "solved": 6}[variant]
    assert result.passed == expected_passes


def test_failed_check_says_why(course, tier, submission):
    """Does a failing check carry what its check cell says, as the student sees it in Jupyter?"""
    notebook = submission("softmax", replace={"kl-divergence-impl": ZERO_KL})
    result = selfcheck.run_public_checks(notebook, tier=tier, course=course)
    failed = {c.grade_id: c.message for c in result.checks if not c.passed}
    assert list(failed) == ["kl-divergence-check"]
    assert failed["kl-divergence-check"].startswith("KL(P || uniform) = log 4 - H(P)")


def test_edited_check_cell_cannot_pass_with_the_course_at_hand(course, tier, submission):
    """With course.yaml present, are the released check cells run, not the student's edits?"""
    notebook = submission("softmax", replace={"kl-divergence-impl": ZERO_KL,
                                              "kl-divergence-check": "pass\n"})
    result = selfcheck.run_public_checks(notebook, tier=tier, course=course)
    assert not next(c for c in result.checks if c.grade_id == "kl-divergence-check").passed
    alone = selfcheck.run_public_checks(notebook, tier=tier)  # no course: the notebook's own
    assert next(c for c in alone.checks if c.grade_id == "kl-divergence-check").passed


def test_without_the_course_the_notebook_folder_supplies_the_data_helper(course, tier, tmp_path):
    """Does a student's copy (notebook + lossdata.py, no course.yaml) run its own checks?"""
    a = course.assignment("softmax")
    for f in a.release_dir.iterdir():
        shutil.copy(f, tmp_path / f.name)
    result = selfcheck.run_public_checks(tmp_path / a.notebook, tier=tier, expected="softmax")
    assert result.assignment == "softmax" and len(result.checks) == 6 and result.passed == 0
    assert all(c.message.endswith("is not implemented yet") for c in result.checks)
    assert "`softmax` is not implemented yet" in [c.message for c in result.checks]


def test_wrong_assignment_is_a_clear_error(course, tier):
    """Is checking the softmax notebook as svm a one-line usage error naming both?"""
    notebook = course.assignment("softmax").release_notebook
    with pytest.raises(UsageError, match="is for assignment 'softmax', not 'svm'"):
        selfcheck.run_public_checks(notebook, tier=tier, course=course, expected="svm")


# --- what a failure says ---------------------------------------------------------------------

@pytest.mark.parametrize("message, source, expected", [
    ("PublicCheckFailed at line 3: `softmax` is not implemented yet",
     "with public_check('softmax'):\n    softmax(x)", "`softmax` is not implemented yet"),
    ("NotImplementedError at line 9: ", "p = softmax(np.zeros(10))",
     "`softmax` is not implemented yet"),
    ("NotImplementedError at line 9:", "p = helper(3)",
     "a function this check calls is not implemented yet"),
    ("FloatingPointError at line 2: overflow encountered in exp", "p = softmax(big)",
     "a floating-point error in softmax: a value overflowed (exp of a large number)"),
    ("AssertionError at line 4: ", "assert softmax(x).sum() == 1", "AssertionError at line 4"),
    ("AssertionError at line 4: rows must sum to 1", "assert softmax(x).sum() == 1",
     "AssertionError at line 4: rows must sum to 1"),
])
def test_a_failed_check_says_what_to_fix(message, source, expected):
    """Is a check cell's error turned into what to fix, with no dangling colon?"""
    said = selfcheck.explain(message, source, {"softmax"})
    assert said.startswith(expected) and not said.endswith(":")


def test_check_cells_are_named_by_function_or_heading(tmp_path):
    """Is a check cell named by the function its public_check names, else by the heading
    above it, never by an index?"""
    def code(gid, src):
        return {"cell_type": "code", "source": src, "outputs": [], "execution_count": None,
                "metadata": {"nbgrader": {"grade_id": gid, "grade": True, "solution": False,
                                          "points": 0}}}
    nb = {"cells": [{"cell_type": "markdown", "source": "## 2. Softmax\ntext", "metadata": {}},
                    code("a-check", "assert softmax(x) is not None"),
                    code("b-check", "with public_check('logsumexp'):\n    pass")],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert selfcheck.check_titles(path) == {"a-check": 'the check cell after "2. Softmax"',
                                            "b-check": "the check cell of logsumexp"}
