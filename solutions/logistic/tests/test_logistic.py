"""Hidden tests for the logistic assignment.

Inputs come from `rng` (the grading run's seed), so memorised values earn nothing; messages
describe the size of an error, never an input or an expected value. Per function: known
answers (visible), seeded random inputs against the reference, edge cases (scalars, N = 1,
one class, every integer dtype of labels, reg = 0), stability probes at logits of magnitude
1e3, gradient checks of logistic_loss (full on a small fixture, sampled on the breast-cancer
data) and non-mutation. Failing outputs are matched against the catalog in mistakes.py.
"""
from pathlib import Path

import numpy as np
import pytest

from autograder.runner import load_module
from autograder.checks import assert_unchanged
from autograder.checks import (as_loss_grad, assert_close, assert_gradient, assert_stable_probes, gradient_mistakes, sample_coords)


mistakes = load_module(Path(__file__).with_name("mistakes.py"))

LABEL_DTYPES = (np.int8, np.uint8, np.int16, np.int32, np.int64, np.uint32)
"""Labels may come in any integer dtype."""
TINY_X = np.array([[1.0, 2.0, 1.0], [1.0, -1.0, 1.0], [-0.5, 0.5, 1.0]])
"""The notebook's hand-made data set (two features and the bias column)."""
TINY_Y = np.array([1, 0, 1])
_DATA = {}


def breast_cancer(assignment):
    """The standardized breast-cancer training split, prepared by the course's lossdata.py."""
    if "split" not in _DATA:
        path = next(assignment.root / f for f in assignment.files if Path(f).name == "lossdata.py")
        _DATA["split"] = load_module(path).load_breast_cancer_split()
    return _DATA["split"]


def logits(rng, n=12, scale=3.0):
    return rng.normal(0.0, scale, size=n)


def binary(rng, n):
    return rng.integers(0, 2, size=n)


def soft(rng, n):
    y = rng.random(n)
    y[::4] = 0.0
    y[1::4] = 1.0
    return y


def probabilities(rng, n=12):
    return rng.uniform(0.02, 0.98, size=n)


def design(rng, n=8, d=4):
    return np.column_stack([rng.normal(0.0, 1.0, size=(n, d - 1)), np.ones(n)])


def fixture(rng, reference, n=8, d=4, reg=0.1):
    """A small problem whose gradient has no entry near 0 (a relative error is meaningful)."""
    for _ in range(100):
        w, X, y = rng.normal(0.0, 0.7, size=d), design(rng, n, d), binary(rng, n)
        if np.min(np.abs(reference.logistic_loss(w, X, y, reg)[1])) > 1e-2:
            break
    return w, X, y, reg


def mutation_check(student, reference, fn, args, names):
    assert_unchanged(student, fn, args, names, getattr(reference, fn))


def compare_loss(value, expected, what, args):
    loss, _ = as_loss_grad(value, what, np.shape(expected[1]))
    assert_close(loss, expected[0], f"the loss of {what}",
                 mistakes=mistakes.logistic_loss_value(*args))


def compare_grad(value, expected, what, args):
    _, dw = as_loss_grad(value, what, np.shape(expected[1]))
    assert_close(dw, expected[1], f"the gradient of {what}",
                 mistakes=mistakes.logistic_loss_grad(*args))


def compare_pair(value, expected, what, args):
    compare_loss(value, expected, what, args)
    compare_grad(value, expected, what, args)


# --- sigmoid -----------------------------------------------------------------------------

@pytest.mark.function("sigmoid")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_sigmoid_known(student, reference):
    """sigmoid(2) = softmax([2, 0])[0] = 0.880797 and sigmoid(0) = 0.5"""
    assert_close(student.sigmoid(2.0), np.exp(2.0) / (np.exp(2.0) + 1.0), "sigmoid(2)",
                 mistakes=mistakes.sigmoid(2.0))
    assert_close(student.sigmoid(0.0), 0.5, "sigmoid(0)", mistakes=mistakes.sigmoid(0.0))
    z = np.array([[-3.0, -1.0, 0.0], [0.5, 2.0, 4.0]])
    assert_close(student.sigmoid(z), reference.sigmoid(z),
                 "sigmoid([[-3, -1, 0], [0.5, 2, 4]])", mistakes=mistakes.sigmoid(z))


@pytest.mark.function("sigmoid")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_sigmoid_random(student, reference, rng):
    """sigmoid matches the reference on random logits"""
    z = logits(rng, 20, scale=4.0)
    assert_close(student.sigmoid(z), reference.sigmoid(z), "sigmoid(z)",
                 mistakes=mistakes.sigmoid(z))


@pytest.mark.function("sigmoid")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_sigmoid_shapes(student, reference, rng):
    """sigmoid is elementwise: a scalar, a 2-D and a 3-D array keep their shapes"""
    cases = {"sigmoid of a Python float": float(rng.normal(0.0, 3.0)),
             "sigmoid of a 2-D array": rng.normal(0.0, 3.0, size=(3, 4)),
             "sigmoid of a 3-D array": rng.normal(0.0, 3.0, size=(2, 3, 2))}
    for what, z in cases.items():
        assert_close(student.sigmoid(z), reference.sigmoid(z), what,
                     mistakes=mistakes.sigmoid(z))


@pytest.mark.function("sigmoid")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_sigmoid_edges(student, reference, rng):
    """sigmoid of integer logits, of a Python int and of a single logit (N = 1)"""
    cases = {"sigmoid of integer logits": rng.integers(-6, 7, size=8),
             "sigmoid of a Python int": int(rng.integers(-6, 7)),
             "sigmoid of a single logit (N = 1)": logits(rng, 1)}
    for what, z in cases.items():
        assert_close(student.sigmoid(z), reference.sigmoid(z), what,
                     mistakes=mistakes.sigmoid(z))


@pytest.mark.function("sigmoid")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_sigmoid_stable(student, reference, rng):
    """sigmoid is stable at logits of magnitude 1e3, with mixed signs and all equal"""
    assert_stable_probes(student, "sigmoid", lambda z: (z,), reference.sigmoid, "sigmoid(z)",
                         rng=rng, shape=(6, 4), mistakes_for=mistakes.sigmoid,
                         hint=mistakes.SIGMOID_OVERFLOW)


@pytest.mark.function("sigmoid")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_sigmoid_not_mutated(student, reference, rng):
    """sigmoid leaves its input unchanged"""
    mutation_check(student, reference, "sigmoid", (logits(rng),), ["z"])


# --- bce ---------------------------------------------------------------------------------

@pytest.mark.function("bce")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_bce_known(student, reference):
    """BCE(sigmoid(2), 1) = 0.126928, p = 1/2 costs log 2, and the mean of two examples"""
    cases = [("bce(sigmoid(2), 1)", np.array([reference.sigmoid(2.0)]), np.array([1])),
             ("bce([0.5, 0.5, 0.5], [0, 1, 0.5])", np.full(3, 0.5), np.array([0.0, 1.0, 0.5])),
             ("bce([0.9, 0.2], [1, 0])", np.array([0.9, 0.2]), np.array([1, 0]))]
    for what, p, y in cases:
        assert_close(student.bce(p, y), reference.bce(p, y), what, mistakes=mistakes.bce(p, y))


@pytest.mark.function("bce")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_bce_random(student, reference, rng):
    """bce matches the reference on random probabilities and labels"""
    p, y = probabilities(rng), binary(rng, 12).astype(np.float64)
    assert_close(student.bce(p, y), reference.bce(p, y), "bce(p, y)", mistakes=mistakes.bce(p, y))


@pytest.mark.function("bce")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_bce_soft(student, reference, rng):
    """bce accepts soft targets in [0, 1]"""
    p, y = probabilities(rng), soft(rng, 12)
    assert_close(student.bce(p, y), reference.bce(p, y), "bce(p, y) with soft targets",
                 mistakes=mistakes.bce(p, y))


@pytest.mark.function("bce")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_bce_extreme(student, reference, rng):
    """bce is exact for p in [1e-12, 1 - 1e-12]: no clipping"""
    tiny = 10.0 ** -rng.uniform(7.5, 12.0, size=4)
    p = np.concatenate([tiny, 1.0 - tiny, probabilities(rng, 4)])
    # mostly wrong where p is extreme, so that the log of the extreme value counts
    y = np.concatenate([rng.uniform(0.5, 1.0, 4), rng.uniform(0.0, 0.5, 4), soft(rng, 4)])
    assert_close(student.bce(p, y), reference.bce(p, y), "bce(p, y) with p near 0 and 1",
                 mistakes=mistakes.bce(p, y))


@pytest.mark.function("bce")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_bce_edges(student, reference, rng):
    """bce of numbers, of one example, of one class, and with any integer dtype of labels"""
    p = probabilities(rng)
    cases = [("bce of a single number", float(probabilities(rng, 1)[0]), 1),
             ("bce of a single example (N = 1)", probabilities(rng, 1), binary(rng, 1)),
             ("bce with every example in the same class", p, np.full(12, rng.integers(0, 2)))]
    y = binary(rng, 12)
    cases += [(f"bce with labels of dtype {np.dtype(t).name}", p, y.astype(t))
              for t in LABEL_DTYPES]
    for what, p, y in cases:
        assert_close(student.bce(p, y), reference.bce(p, y), what, mistakes=mistakes.bce(p, y))


@pytest.mark.function("bce")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_bce_not_mutated(student, reference, rng):
    """bce leaves its inputs unchanged"""
    mutation_check(student, reference, "bce", (probabilities(rng), soft(rng, 12)), ["p", "y"])


# --- bce_with_logits ---------------------------------------------------------------------

@pytest.mark.function("bce_with_logits")
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_bce_with_logits_known(student, reference):
    """BCE(z = 2, y = 1) = 0.126928, and z = 0 costs log 2 for any target"""
    cases = [("bce_with_logits([2], [1])", np.array([2.0]), np.array([1.0])),
             ("bce_with_logits(zeros(3), [0, 1, 0.5])", np.zeros(3), np.array([0.0, 1.0, 0.5]))]
    for what, z, y in cases:
        assert_close(student.bce_with_logits(z, y), reference.bce_with_logits(z, y), what,
                     mistakes=mistakes.bce_with_logits(z, y))


@pytest.mark.function("bce_with_logits")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_bce_with_logits_random(student, reference, rng):
    """bce_with_logits matches the reference on random logits and labels"""
    z, y = logits(rng), binary(rng, 12).astype(np.float64)
    assert_close(student.bce_with_logits(z, y), reference.bce_with_logits(z, y),
                 "bce_with_logits(z, y)", mistakes=mistakes.bce_with_logits(z, y))


@pytest.mark.function("bce_with_logits")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_bce_with_logits_soft(student, reference, rng):
    """bce_with_logits accepts soft targets in [0, 1]"""
    z, y = logits(rng), soft(rng, 12)
    assert_close(student.bce_with_logits(z, y), reference.bce_with_logits(z, y),
                 "bce_with_logits(z, y) with soft targets",
                 mistakes=mistakes.bce_with_logits(z, y))


@pytest.mark.function("bce_with_logits")
@pytest.mark.points(0.75)
@pytest.mark.visibility("hidden")
def test_bce_with_logits_stable(student, reference, rng):
    """bce_with_logits is exact at logits of magnitude 1e3, mixed signs and all equal"""
    y = soft(rng, 8)
    assert_stable_probes(student, "bce_with_logits", lambda z: (z, y),
                         reference.bce_with_logits, "bce_with_logits(z, y)", rng=rng,
                         shape=(8,), mistakes_for=mistakes.bce_with_logits,
                         hint=mistakes.NAIVE_BCE)


@pytest.mark.function("bce_with_logits")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_bce_with_logits_edges(student, reference, rng):
    """bce_with_logits of numbers, one example, one class, any integer dtype of labels"""
    z = logits(rng)
    cases = [("bce_with_logits of a single number", float(logits(rng, 1)[0]), 0),
             ("bce_with_logits of a single example (N = 1)", logits(rng, 1), binary(rng, 1)),
             ("bce_with_logits with every example in the same class", z,
              np.full(12, rng.integers(0, 2)))]
    y = binary(rng, 12)
    cases += [(f"bce_with_logits with labels of dtype {np.dtype(t).name}", z, y.astype(t))
              for t in LABEL_DTYPES]
    for what, z, y in cases:
        assert_close(student.bce_with_logits(z, y), reference.bce_with_logits(z, y), what,
                     mistakes=mistakes.bce_with_logits(z, y))


@pytest.mark.function("bce_with_logits")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_bce_with_logits_not_mutated(student, reference, rng):
    """bce_with_logits leaves its inputs unchanged"""
    mutation_check(student, reference, "bce_with_logits", (logits(rng), soft(rng, 12)), ["z", "y"])


# --- logistic_loss -----------------------------------------------------------------------

@pytest.mark.function("logistic_loss")
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_logistic_loss_known(student, reference):
    """w = 0 gives log 2 and X.T @ (1/2 - y) / N; the notebook's example with reg = 0.5"""
    cases = [("logistic_loss(zeros(3), X, y, 0) on the notebook's data",
              (np.zeros(3), TINY_X, TINY_Y, 0.0)),
             ("logistic_loss([0.3, -0.2, 0.1], X, y, 0.5) on the notebook's data",
              (np.array([0.3, -0.2, 0.1]), TINY_X, TINY_Y, 0.5)),
             ("logistic_loss of one example with logit 2 and label 1",
              (np.array([2.0, 0.0]), np.array([[1.0, 1.0]]), np.array([1]), 0.0))]
    for what, args in cases:
        compare_pair(student.logistic_loss(*args), reference.logistic_loss(*args), what, args)


@pytest.mark.function("logistic_loss")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_logistic_loss_random(student, reference, rng):
    """the loss of logistic_loss: mean BCE of X @ w plus reg * sum(w * w)"""
    args = fixture(rng, reference)
    compare_loss(student.logistic_loss(*args), reference.logistic_loss(*args),
                 "logistic_loss(w, X, y, reg)", args)


@pytest.mark.function("logistic_loss")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_logistic_grad_random(student, reference, rng):
    """the gradient of logistic_loss: X.T @ (sigmoid(X @ w) - y) / N + 2 * reg * w"""
    args = fixture(rng, reference)
    compare_grad(student.logistic_loss(*args), reference.logistic_loss(*args),
                 "logistic_loss(w, X, y, reg)", args)


def right_loss(student, reference, w, X, y, reg):
    """dw, once the loss is right: a wrong loss with a gradient consistent with it (say, a
    constant with a zero gradient) must not earn the gradient checks' points."""
    loss, dw = as_loss_grad(student.logistic_loss(w, X, y, reg), "logistic_loss", w.shape)
    assert_close(loss, reference.logistic_loss(w, X, y, reg)[0], "the loss of logistic_loss",
                 mistakes=mistakes.logistic_loss_value(w, X, y, reg))
    return dw


@pytest.mark.function("logistic_loss")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_logistic_grad_numerical(student, reference, rng):
    """the gradient of logistic_loss matches centered differences of its own loss (full)"""
    w, X, y, reg = fixture(rng, reference)
    dw = right_loss(student, reference, w, X, y, reg)
    assert_gradient(student, "logistic_loss", (w, X, y, reg), 0, dw, select=0,
                    threshold=1e-7, what="the gradient of logistic_loss",
                    reference=reference.logistic_loss,
                    mistakes=gradient_mistakes(len(y)) + tuple(
                        mistakes.own_gradient(w, reg, len(y))))


@pytest.mark.function("logistic_loss")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_logistic_grad_real_data(student, reference, rng, assignment):
    """on the breast-cancer data the gradient matches centered differences (sampled)"""
    data = breast_cancer(assignment)
    X, y = data.X_train, data.y_train
    w, reg = rng.normal(0.0, 0.1, size=X.shape[1]), 0.01
    flat = np.abs(reference.logistic_loss(w, X, y, reg)[1]) < 1e-4  # relative error is noise
    coords = sample_coords(w.shape, 10, rng, skip=flat)
    dw = right_loss(student, reference, w, X, y, reg)
    picked = w[[c[0] for c in coords]]
    assert_gradient(student, "logistic_loss", (w, X, y, reg), 0, dw, select=0, coords=coords,
                    threshold=1e-5, what="the gradient of logistic_loss on real data",
                    reference=reference.logistic_loss,
                    mistakes=gradient_mistakes(len(y)) + tuple(
                        mistakes.own_gradient(picked, reg, len(y))))


@pytest.mark.function("logistic_loss")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_logistic_reg_zero(student, reference, rng):
    """logistic_loss with reg = 0 is the plain mean BCE and its gradient"""
    w, X, y, _ = fixture(rng, reference)
    args = (w, X, y, 0.0)
    compare_pair(student.logistic_loss(*args), reference.logistic_loss(*args),
                 "logistic_loss with reg = 0", args)


@pytest.mark.function("logistic_loss")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_logistic_loss_stable(student, reference, rng):
    """logistic_loss is exact when X @ w has magnitude 1e3, mixed signs or all equal"""
    y = binary(rng, 8)
    w = np.array([1.0, 0.0])

    def args_for(z):
        return (w, np.column_stack([z, np.ones_like(z)]), y, 0.1)

    def compare(value, expected, what, catalog):
        compare_pair(value, expected, what, catalog)
    assert_stable_probes(student, "logistic_loss", args_for, reference.logistic_loss,
                         "logistic_loss(w, X, y, reg)", rng=rng, shape=(8,),
                         mistakes_for=lambda *args: args, compare=compare,
                         hint=mistakes.NAIVE_BCE)


@pytest.mark.function("logistic_loss")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_logistic_loss_edges(student, reference, rng):
    """logistic_loss with N = 1, one class, integer data and any integer dtype of labels"""
    w, X, y, reg = fixture(rng, reference)
    cases = [("logistic_loss of a single example (N = 1)", (w, X[:1], y[:1], reg)),
             ("logistic_loss with every example in the same class",
              (w, X, np.full(len(y), rng.integers(0, 2)), reg)),
             ("logistic_loss of integer data", (w, rng.integers(-3, 4, size=X.shape), y, reg))]
    cases += [(f"logistic_loss with labels of dtype {np.dtype(t).name}", (w, X, y.astype(t), reg))
              for t in LABEL_DTYPES]
    for what, args in cases:
        compare_pair(student.logistic_loss(*args), reference.logistic_loss(*args), what, args)


@pytest.mark.function("logistic_loss")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_logistic_loss_not_mutated(student, reference, rng):
    """logistic_loss leaves w, X and y unchanged"""
    mutation_check(student, reference,
                   "logistic_loss", fixture(rng, reference), ["w", "X", "y", "reg"])
