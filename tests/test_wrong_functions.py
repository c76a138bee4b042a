"""An honest but wrong function earns none of its points and costs no other function any.

For every graded function of every assignment, the solution notebook is graded with that one
function replaced by one returning zeros of the right shape and type: a loss of 0.0, a zero
gradient, zero probabilities, label 0. Checks that look only at shapes, types, consistency
between a loss and its own gradient, or at untouched inputs must not reward it.
"""
from __future__ import annotations

import re

import pytest

from autograder import course as course_mod
from conftest import ROOT, function_points, solution_sources

ZEROS = {
    "pair": "return 0.0, np.zeros(np.shape(args[0]))",
    "like": "return np.zeros(np.shape(args[0]))",
    "reduce": "s = np.asarray(args[0], float)\n    return np.zeros(s.shape[:-1]) if s.ndim > 1 else 0.0",
    "float": "return 0.0",
    "grad": "return np.zeros(np.shape(args[1]))",
    "labels": "return np.zeros(np.shape(args[1])[0], dtype=int)",
    "train": "X, y = args[0], args[1]\n    return (np.zeros((X.shape[1], int(np.max(y)) + 1)),\n"
             "            [0.0] * kwargs.get('num_iters', 100))",
}
KIND = {"svm_loss_naive": "pair", "svm_loss_vectorized": "pair", "softmax_loss_naive": "pair",
        "softmax_loss_vectorized": "pair", "logistic_loss": "pair", "l2_penalty": "pair",
        "l1_penalty": "pair", "elastic_net_penalty": "pair", "softmax": "like",
        "cross_entropy_grad": "like", "sigmoid": "like", "sigmoid_mse_grad": "like",
        "sigmoid_bce_grad": "like", "logsumexp": "reduce", "numerical_gradient": "grad",
        "predict": "labels", "train_linear_classifier": "train"}
CASES = [(a.id, fn) for a in course_mod.load(ROOT / "course.yaml").assignments
         for fn in a.functions]


def zero_version(cell: str, fn: str) -> str:
    """The cell with `fn` replaced by a function of zeros; the cell's other defs are kept."""
    others = re.sub(rf"^def {fn}\(.*?(?=^def |\Z)", "", cell, flags=re.M | re.S)
    body = ZEROS[KIND.get(fn, "float")]
    return f"{others}\nimport numpy as np\n\ndef {fn}(*args, **kwargs):\n    {body}\n"


@pytest.mark.parametrize("ident, fn", CASES, ids=[f"{a}/{f}" for a, f in CASES])
def test_zeros_earn_nothing_and_cost_nothing_else(course, submission, grade, ident, fn):
    """Does a function returning zeros lose all its points, and only its points?"""
    a = course.assignment(ident)
    cells = solution_sources(a)
    [cell] = [g for g, src in cells.items() if re.search(rf"^def {fn}\(", src, re.M)]
    report = grade(a, submission(ident, name=fn, replace={cell: zero_version(cells[cell], fn)}))
    points = function_points(report)
    assert points[fn] == 0, [c.id for c in report.checks if c.function == fn and c.score > 0]
    assert {k: v for k, v in points.items() if k != fn} == {
        k: v for k, v in a.functions.items() if k != fn}
