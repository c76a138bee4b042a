"""Hidden tests for the svm assignment: svm_loss_naive and svm_loss_vectorized.

Inputs come from `rng` (the grading run's seed), so memorised values earn nothing. Messages
describe the size of an error, never an input or an expected value; a matching entry of the
catalog in mistakes.py adds a hint that names the mistake.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.runner import load_module
from autograder.checks import (as_float, as_loss_grad, assert_agree, assert_close,
                               assert_gradient, assert_gradient_matches, assert_no_loops,
                               assert_unchanged, gradient_mistakes, measured_hint,
                               near_hinge_kink, reference_losses, sample_coords, value_of,
                               verified_losses, with_measured_hint)


mistakes = load_module(Path(__file__).with_name("mistakes.py"))

NAIVE, VECTORIZED = "svm_loss_naive", "svm_loss_vectorized"
ARGS = ["W", "X", "y", "reg"]
CAT_CAR_FROG = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
THREE_VECTORS = np.array([[10.0, -2.0, 3.0], [10.0, 9.0, 9.0], [10.0, -100.0, -100.0]])
KINK = 1e-4
"""Numerical gradient checks skip entries of W this close to a hinge kink."""
TINY_GRADIENT = 1e-3
"""Numerical gradient checks skip entries of W with a smaller gradient: there the loss's
rounding error, divided by 2h, decides the relative error (~1e-10 / |g|)."""
NUMERICAL_BUDGET = 10.0
"""Seconds for the 24 loss evaluations of a sampled check (naive versions may loop a lot)."""


# --- inputs --------------------------------------------------------------------------------


def problem(rng, n=8, d=5, c=4, reg=None, labels=None):
    """A random problem: X (n, d) with a bias column, W (d, c), labels, reg > 0."""
    X = np.hstack([rng.normal(size=(n, d - 1)), np.ones((n, 1))])
    W = rng.normal(scale=0.5, size=(d, c))
    y = rng.integers(0, c, size=n) if labels is None else labels
    return W, X, y, float(rng.uniform(0.05, 0.5)) if reg is None else reg


def kink_problem(rng):
    """Small integers, so scores and margins are exact and several margins are exactly 0."""
    while True:
        X = np.hstack([rng.integers(-1, 3, size=(7, 3)), np.ones((7, 1))]).astype(np.float64)
        W = rng.integers(-2, 3, size=(4, 4)).astype(np.float64)
        y = rng.integers(0, 4, size=7)
        zero = mistakes.hinge_parts(W, X, y, at_zero=True)[1]
        if not np.allclose(zero, mistakes.hinge_parts(W, X, y)[1]):
            return W, X, y, 0.25


def digits_problem(reference, rng, n):
    """The first n digits training images, a W of moderate size (margins on both sides of 0)."""
    data = reference.digits()
    X, y = data.X_train[:n], data.y_train[:n]
    return rng.normal(scale=0.05, size=(X.shape[1], 10)), X, y, 1e-3


# --- helpers -------------------------------------------------------------------------------


def call(student, fn, W, X, y, reg, what=""):
    """The student's (loss, dW), with the loss a float and dW of W's shape."""
    return as_loss_grad(getattr(student, fn)(W, X, y, reg), f"{fn}{what}", np.shape(W))


def measured(student, reference, fn, W, X, y):
    """When the catalog has no hint: measure the regularization and data-term scale used."""
    return measured_hint(student, fn, W, X, y, reference.svm_loss(W, X, y, 0.0)[0])


def check_loss(student, reference, fn, W, X, y, reg, what=""):
    loss, _ = call(student, fn, W, X, y, reg, what)
    with_measured_hint(lambda: assert_close(
        loss, reference.svm_loss(W, X, y, reg)[0], f"the loss of {fn}{what}",
        mistakes=mistakes.loss_mistakes(W, X, y, reg)),
        lambda: measured(student, reference, fn, W, X, y))


def check_gradient(student, reference, fn, W, X, y, reg, what=""):
    _, dW = call(student, fn, W, X, y, reg, what)
    with_measured_hint(lambda: assert_close(
        dW, reference.svm_loss(W, X, y, reg)[1], f"the gradient dW of {fn}{what}",
        mistakes=mistakes.gradient_mistakes(W, X, y, reg)),
        lambda: measured(student, reference, fn, W, X, y))


def check_both(student, reference, fn, W, X, y, reg, what=""):
    check_loss(student, reference, fn, W, X, y, reg, what)
    check_gradient(student, reference, fn, W, X, y, reg, what)


def random_values(student, reference, rng, fn):
    for n, d, c in ((8, 5, 4), (13, 6, 5)):
        check_loss(student, reference, fn, *problem(rng, n, d, c))


def random_gradients(student, reference, rng, fn):
    for n, d, c in ((8, 5, 4), (13, 6, 5)):
        check_gradient(student, reference, fn, *problem(rng, n, d, c))


def known_answers(student, fn):
    """C - 1 at W = 0; the cat / car / frog table; the three score vectors of the notes."""
    rng = np.random.default_rng(0)
    for c in (3, 5):
        X = np.hstack([rng.normal(size=(4, 2)), np.ones((4, 1))])
        args = (np.zeros((3, c)), X, np.arange(4) % c, 0.0)
        assert_close(call(student, fn, *args)[0], c - 1.0,
                     f"the loss of {fn} at W = 0 with C = {c} classes",
                     mistakes=mistakes.loss_mistakes(*args))
    eye = np.eye(3)
    for i, expected in enumerate([2.9, 0.0, 12.9]):
        args = (CAT_CAR_FROG, eye[[i]], np.array([i]), 0.0)
        assert_close(call(student, fn, *args)[0], expected,
                     f"the loss of {fn} on image {i} of the cat/car/frog table",
                     mistakes=mistakes.loss_mistakes(*args))
    args = (CAT_CAR_FROG, eye, np.arange(3), 0.0)
    loss, dW = call(student, fn, *args)
    assert_close(loss, 15.8 / 3, f"the mean loss of {fn} on the cat/car/frog table",
                 mistakes=mistakes.loss_mistakes(*args))
    G = np.array([[-1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [1.0, 1.0, -2.0]])
    assert_close(dW, G / 3, f"the gradient of {fn} on the cat/car/frog table",
                 mistakes=mistakes.gradient_mistakes(*args))
    args = (THREE_VECTORS, eye, np.zeros(3, dtype=np.int64), 0.0)
    loss, dW = call(student, fn, *args)
    assert_close(loss, 0.0, f"the loss of {fn} on the three score vectors of the notes",
                 mistakes=mistakes.loss_mistakes(*args))
    assert_close(dW, np.zeros((3, 3)), f"the gradient of {fn} on the three score vectors "
                 "(one has margins of exactly 0)", mistakes=mistakes.gradient_mistakes(*args))


def numerical_small(student, reference, rng, fn):
    """Every entry of W, except those within KINK of a hinge kink or with a tiny gradient."""
    W, X, y, reg = problem(rng, 6, 4, 3)
    skip = near_hinge_kink(W, X, y, eps=KINK)
    skip |= np.abs(reference.svm_loss(W, X, y, reg)[1]) < TINY_GRADIENT
    assert_gradient(student, fn, (W, X, y, reg), 0, right_loss(student, reference, fn, W, X, y,
                                                               reg),
                    select=0, threshold=1e-7, skip=skip, mistakes=gradient_mistakes(len(y)),
                    reference=reference.svm_loss)


def right_loss(student, reference, fn, W, X, y, reg):
    """dW, once the loss is right: a wrong loss with a gradient consistent with it (say,
    a constant with a zero gradient) must not earn the gradient checks' points."""
    loss, dW = call(student, fn, W, X, y, reg)
    assert_close(loss, reference.svm_loss(W, X, y, reg)[0], f"the loss of {fn}",
                 mistakes=mistakes.loss_mistakes(W, X, y, reg))
    return dW


def budgeted_losses(student, fn, rest, seconds=NUMERICAL_BUDGET):
    """The student's losses at many W in one worker call, with a budget for slow naive loops."""
    def losses(points):
        return [as_float(value_of(o, fn), f"the loss of {fn}")
                for o in student.map(fn, [[p, *rest] for p in points], select=0,
                                     timeout=seconds)]
    return losses


def numerical_digits(student, reference, rng, fn, n):
    """Twelve sampled entries of W on digits, none within KINK of a hinge kink and none with a
    tiny gradient (the loss's rounding error, divided by 2h, would dominate its error)."""
    W, X, y, reg = digits_problem(reference, rng, n)
    skip = near_hinge_kink(W, X, y, eps=KINK)
    skip |= np.abs(reference.svm_loss(W, X, y, reg)[1]) < TINY_GRADIENT
    assert_gradient_matches(right_loss(student, reference, fn, W, X, y, reg), W,
                            verified_losses(budgeted_losses(student, fn, (X, y, reg)),
                                            reference_losses(reference.svm_loss, (W, X, y, reg),
                                                             0, select=0), fn),
                            f"the gradient returned by {fn} on the digits data",
                            threshold=1e-5, coords=sample_coords(W.shape, 12, rng, skip),
                            mistakes=gradient_mistakes(n))


def kink(student, reference, rng, fn):
    W, X, y, reg = kink_problem(rng)
    check_both(student, reference, fn, W, X, y, reg, " when some margins are exactly 0")


def edge_cases(student, reference, rng, fn):
    check_both(student, reference, fn, *problem(rng, n=1), " with a single example (N = 1)")
    check_both(student, reference, fn, *problem(rng, n=9, c=2), " with C = 2 classes")
    W, X, _, reg = problem(rng, n=7)
    check_both(student, reference, fn, W, X, np.full(7, 2), reg,
               " when all examples are in one class")
    check_both(student, reference, fn, *problem(rng, reg=0.0), " with reg = 0")


def label_dtypes(student, reference, rng, fn):
    W, X, y, reg = problem(rng, n=10, c=5)
    for dtype in (np.int8, np.uint8, np.int16, np.int32, np.uint32, np.int64):
        check_both(student, reference, fn, W, X, y.astype(dtype), reg,
                   f" with labels of dtype {np.dtype(dtype).name}")


def not_mutated(student, reference, rng, fn):
    """Inputs unchanged, and the right value (a wrong function earns nothing here)."""
    assert_unchanged(student, fn, problem(rng), ARGS, reference.svm_loss)


# --- svm_loss_naive ------------------------------------------------------------------------

@pytest.mark.function(NAIVE)
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_naive_random(student, reference, rng):
    """svm_loss_naive: the loss on random problems matches the reference"""
    random_values(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_naive_known(student):
    """svm_loss_naive: C - 1 at W = 0, the cat/car/frog table, the three score vectors"""
    known_answers(student, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_naive_gradient(student, reference, rng):
    """svm_loss_naive: the gradient on random problems matches the reference"""
    random_gradients(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_naive_numerical_small(student, reference, rng):
    """svm_loss_naive: dW matches a numerical gradient of your loss (every entry, small problem)"""
    numerical_small(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_naive_numerical_digits(student, reference, rng):
    """svm_loss_naive: dW matches a numerical gradient of your loss (sampled entries, digits)"""
    numerical_digits(student, reference, rng, NAIVE, n=100)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_naive_kink(student, reference, rng):
    """svm_loss_naive: margins of exactly 0 add no loss and no gradient (> 0 convention)"""
    kink(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_naive_edge_cases(student, reference, rng):
    """svm_loss_naive: N = 1, C = 2, all examples in one class, reg = 0"""
    edge_cases(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_naive_label_dtypes(student, reference, rng):
    """svm_loss_naive: labels of any integer dtype"""
    label_dtypes(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_naive_not_mutated(student, reference, rng):
    """svm_loss_naive: W, X and y are not modified"""
    not_mutated(student, reference, rng, NAIVE)


# --- svm_loss_vectorized -------------------------------------------------------------------


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.75)
@pytest.mark.visibility("hidden")
def test_vectorized_random(student, reference, rng):
    """svm_loss_vectorized: the loss on random problems matches the reference"""
    random_values(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_vectorized_known(student):
    """svm_loss_vectorized: C - 1 at W = 0, the cat/car/frog table, the three score vectors"""
    known_answers(student, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.75)
@pytest.mark.visibility("hidden")
def test_vectorized_gradient(student, reference, rng):
    """svm_loss_vectorized: the gradient on random problems matches the reference"""
    random_gradients(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_vectorized_numerical_small(student, reference, rng):
    """svm_loss_vectorized: dW matches a numerical gradient of your loss (every entry, small)"""
    numerical_small(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_vectorized_numerical_digits(student, reference, rng):
    """svm_loss_vectorized: dW matches a numerical gradient of your loss (sampled, digits)"""
    numerical_digits(student, reference, rng, VECTORIZED, n=1197)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_vectorized_kink(student, reference, rng):
    """svm_loss_vectorized: margins of exactly 0 add no loss and no gradient (> 0 convention)"""
    kink(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_vectorized_edge_cases(student, reference, rng):
    """svm_loss_vectorized: N = 1, C = 2, all examples in one class, reg = 0"""
    edge_cases(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_vectorized_label_dtypes(student, reference, rng):
    """svm_loss_vectorized: labels of any integer dtype"""
    label_dtypes(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_vectorized_not_mutated(student, reference, rng):
    """svm_loss_vectorized: W, X and y are not modified"""
    not_mutated(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_vectorized_agrees_with_naive(student, reference, rng):
    """svm_loss_vectorized agrees with your svm_loss_naive on digits (loss 1e-9, dW 1e-6)"""
    W, X, y, reg = digits_problem(reference, rng, 300)
    assert_agree(student.svm_loss_naive(W, X, y, reg), student.svm_loss_vectorized(W, X, y, reg),
                 (NAIVE, VECTORIZED), W.shape, expected=reference.svm_loss(W, X, y, reg))


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_vectorized_no_loops(student, reference, rng):
    """svm_loss_vectorized runs without Python loops (and gives the right values)"""
    assert_no_loops(student.sources(), VECTORIZED)
    check_both(student, reference, VECTORIZED, *problem(rng))
