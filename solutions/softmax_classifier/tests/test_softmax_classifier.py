"""Hidden tests for the softmax_classifier assignment: numerical_gradient, rel_error,
softmax_loss_naive and softmax_loss_vectorized.

Inputs come from `rng` (the grading run's seed), so memorised values earn nothing. Messages
describe the size of an error, never an input or an expected value; a matching entry of the
catalog in mistakes.py adds a hint that names the mistake. Functions handed to the student's
numerical_gradient are built by the worker from data (wire.Fn), and their values are repeated
here by the reference.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from autograder.runner import load_module
from autograder import wire
from autograder.checks import (PROBES, CheckFailed, as_array, as_float, as_loss_grad,
                               assert_agree, assert_close, assert_gradient,
                               assert_gradient_matches, assert_no_loops, assert_not_mutated,
                               assert_stable, assert_unchanged, gradient_mistakes,
                               measured_hint, reference_losses, sample_coords, stability_probes,
                               value_of, verified_losses, with_measured_hint)


mistakes = load_module(Path(__file__).with_name("mistakes.py"))

GRAD, REL = "numerical_gradient", "rel_error"
NAIVE, VECTORIZED = "softmax_loss_naive", "softmax_loss_vectorized"
ARGS = ["W", "X", "y", "reg"]
CAT_CAR_FROG = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
THREE_VECTORS = np.array([[10.0, -2.0, 3.0], [10.0, 9.0, 9.0], [10.0, -100.0, -100.0]])
TINY_GRADIENT = 1e-3
"""Numerical gradient checks skip entries of W with a smaller gradient: there the loss's
rounding error, divided by 2h, decides the relative error (~1e-10 / |g|)."""
NUMERICAL_BUDGET = 10.0
"""Seconds for the 24 loss evaluations of a sampled check (naive versions may loop a lot)."""


def _minus_log_softmax(s, y):
    """-log softmax(s)[y] in closed form with math (a known answer, not the reference)."""
    top = max(s)
    return top + math.log(sum(math.exp(v - top) for v in s)) - s[y]


# --- numerical_gradient ----------------------------------------------------------------------


def poly_problem(rng, shape, a_range=(1.0, 3.0), x_range=(-2.0, 2.0)):
    """Coefficients (a, b, c) of sum(a x^3 + b x^2 + c x) and a point x."""
    sign = rng.choice([-1.0, 1.0], size=shape)
    a = sign * rng.uniform(*a_range, size=shape)
    b = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(1.0, 3.0, size=shape)
    return (a, b, rng.normal(size=shape)), rng.uniform(*x_range, size=shape)


def check_numerical_gradient(student, reference, coeffs, x, what, h=None, positional=False,
                             in_place=False):
    """The student's numerical gradient of the worker's poly(a, b, c) at x, vs the reference.

    in_place: f answers only for the very array x it was handed (nan for a copy of it)."""
    f = wire.Fn("poly_in_place", (*coeffs, 1)) if in_place else wire.Fn("poly", tuple(coeffs))
    if h is None:
        out = student.run(GRAD, f, x)
    elif positional:
        out = student.run(GRAD, f, x, h)
    else:
        out = student.run(GRAD, f, x, h=h)
    grad = as_array(value_of(out, GRAD), what, x.shape)
    trusted = reference.poly(*coeffs)
    step = 1e-5 if h is None else h
    assert_close(grad, reference.numerical_gradient(trusted, x, step), what, rtol=1e-6,
                 atol=1e-9, mistakes=mistakes.numerical_gradient_mistakes(trusted, x, step))
    return out


@pytest.mark.function(GRAD)
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_numgrad_poly(student, reference, rng):
    """numerical_gradient: centered differences of a cubic, matrix and vector x"""
    for shape in ((3, 4), (5,)):
        coeffs, x = poly_problem(rng, shape)
        check_numerical_gradient(student, reference, coeffs, x,
                                 f"the numerical gradient of a cubic ({len(shape)}-D x)")


@pytest.mark.function(GRAD)
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_numgrad_known(student, reference):
    """numerical_gradient: sum(x**2) has gradient 2x, a linear function its coefficients"""
    x = np.array([[1.1, 0.2, -0.6], [1.3, 5.55, 7.77]])
    square = (np.zeros((2, 3)), np.ones((2, 3)), np.zeros((2, 3)))
    out = student.run(GRAD, wire.Fn("poly", square), x)
    assert_close(as_array(value_of(out, GRAD), "the gradient of sum(x**2)", x.shape), 2 * x,
                 "the gradient of sum(x**2)", rtol=1e-6, atol=1e-8,
                 mistakes=mistakes.numerical_gradient_mistakes(reference.poly(*square), x, 1e-5))
    c = np.array([3.0, -1.5, 0.25, 2.0])
    linear = (np.zeros(4), np.zeros(4), c)
    out = student.run(GRAD, wire.Fn("poly", linear), np.ones(4))
    assert_close(as_array(value_of(out, GRAD), "the gradient of sum(c * x)", (4,)), c,
                 "the gradient of sum(c * x)", rtol=1e-6, atol=1e-8,
                 mistakes=mistakes.numerical_gradient_mistakes(reference.poly(*linear),
                                                               np.ones(4), 1e-5))


@pytest.mark.function(GRAD)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_numgrad_step(student, reference, rng):
    """numerical_gradient: honours h (keyword and positional) and defaults to h = 1e-5"""
    # A large third derivative makes the centered difference depend visibly on h (a * h^2).
    coeffs, x = poly_problem(rng, (2, 3), a_range=(50.0, 100.0), x_range=(-1.0, 1.0))
    check_numerical_gradient(student, reference, coeffs, x,
                             "the numerical gradient with a given step h", h=1e-2)
    check_numerical_gradient(student, reference, coeffs, x,
                             "the numerical gradient with h given by position", h=1e-3,
                             positional=True)
    # Near x = 0 the a * h^2 term is a visible part of the gradient even for h = 1e-5.
    (a, _, _), x = poly_problem(rng, (4,), a_range=(500.0, 1000.0))
    x = rng.choice([-1.0, 1.0], size=4) * rng.uniform(1e-3, 2e-3, size=4)
    check_numerical_gradient(student, reference, (a, np.zeros(4), np.zeros(4)), x,
                             "the numerical gradient with the default step")


@pytest.mark.function(GRAD)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_numgrad_restores_x(student, reference, rng):
    """numerical_gradient: perturbs x itself, in place, and restores every entry bit for bit"""
    h = 1e-5
    while True:  # a point where adding and subtracting h does not give x back
        coeffs, x = poly_problem(rng, (3, 3), x_range=(-3.0, 3.0))
        if np.any((x + h) - h != x) and np.any(((x + h) - 2 * h) + h != x):
            break
    try:
        out = check_numerical_gradient(student, reference, coeffs, x,
                                       "the numerical gradient of a cubic", in_place=True)
    except CheckFailed as exc:
        exc.hint = ("numerical_gradient must perturb x itself (in place), call f(x) on it and "
                    "restore the entry, not call f on a perturbed copy")
        raise
    try:
        assert_not_mutated(out, GRAD, ["f", "x"])
    except CheckFailed as exc:
        exc.hint = mistakes.NOT_RESTORED
        raise


@pytest.mark.function(GRAD)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_numgrad_coupled(student, reference, rng):
    """numerical_gradient: a softmax loss, whose entries interact, at every entry of W"""
    X = np.hstack([rng.normal(size=(5, 3)), np.ones((5, 1))])
    y, W, reg = rng.integers(0, 3, size=5), rng.normal(size=(4, 3)), 0.1
    out = student.run(GRAD, wire.Fn("softmax_loss", (X, y, reg)), W)
    what = "the numerical gradient of a softmax loss"
    grad = as_array(value_of(out, GRAD), what, W.shape)
    trusted = lambda w: reference.softmax_loss(w, X, y, reg)[0]  # noqa: E731
    assert_close(grad, reference.numerical_gradient(trusted, W), what, rtol=1e-6, atol=1e-9,
                 mistakes=mistakes.numerical_gradient_mistakes(trusted, W, 1e-5))


@pytest.mark.function(GRAD)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_numgrad_shapes(student, reference, rng):
    """numerical_gradient: any shape of x, a float64 array of that shape back"""
    coeffs, x = poly_problem(rng, (2, 3, 2))
    check_numerical_gradient(student, reference, coeffs, x,
                             "the numerical gradient of a 3-D x")
    coeffs, x = poly_problem(rng, (1,))
    check_numerical_gradient(student, reference, coeffs, x,
                             "the numerical gradient of a one-entry x")


# --- rel_error -------------------------------------------------------------------------------


def check_rel_error(student, reference, a, b, what, fp=False):
    out = student.run(REL, a, b, fp=fp)
    value = assert_stable(out, what, fn=REL, hint=mistakes.REL_NO_FLOOR) if fp \
        else value_of(out, REL)
    assert_close(as_float(value, what), reference.rel_error(a, b), what,
                 mistakes=mistakes.rel_error_mistakes(a, b))


@pytest.mark.function(REL)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_rel_error_random(student, reference, rng):
    """rel_error: random arrays (2-D and 1-D) and plain numbers"""
    a = rng.normal(size=(4, 5))
    b = a + rng.normal(size=(4, 5)) * 10.0 ** rng.uniform(-9, 0, size=(4, 5))
    check_rel_error(student, reference, a, b, "rel_error of two matrices")
    a = rng.normal(size=7)
    check_rel_error(student, reference, a, a * rng.uniform(0.5, 1.5, size=7),
                    "rel_error of two vectors")
    check_rel_error(student, reference, float(rng.uniform(1, 2)), float(rng.uniform(2, 3)),
                    "rel_error of two numbers")


@pytest.mark.function(REL)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_rel_error_zeros(student, reference, rng):
    """rel_error: floors the denominator at 1e-8 (zeros give 0, tiny values no nan)"""
    n = int(rng.integers(3, 7))
    check_rel_error(student, reference, np.zeros(n), np.zeros(n), "rel_error of two zero arrays",
                    fp=True)
    tiny = rng.uniform(1e-10, 5e-9, size=n) * (np.arange(n) % 2)
    check_rel_error(student, reference, np.zeros(n), tiny,
                    "rel_error of zeros against tiny values", fp=True)


@pytest.mark.function(REL)
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_rel_error_known(student, reference):
    """rel_error: [1, 2] vs [1, 2.2] is 0.2 / 4.2; [1] vs [3] is 0.5; equal arrays give 0"""
    for a, b, expected in (([1.0, 2.0], [1.0, 2.2], 0.2 / 4.2), ([1.0], [3.0], 0.5),
                           ([1.0, 2.0], [1.0, 2.0], 0.0)):
        a, b = np.array(a), np.array(b)
        assert_close(as_float(student.rel_error(a, b), f"rel_error({a}, {b})"), expected,
                     f"rel_error({a.tolist()}, {b.tolist()})",
                     mistakes=mistakes.rel_error_mistakes(a, b))


# --- softmax losses: helpers -------------------------------------------------------------------


def problem(rng, n=8, d=5, c=4, reg=None, labels=None):
    """A random problem: X (n, d) with a bias column, W (d, c), labels, reg > 0."""
    X = np.hstack([rng.normal(size=(n, d - 1)), np.ones((n, 1))])
    W = rng.normal(scale=0.5, size=(d, c))
    y = rng.integers(0, c, size=n) if labels is None else labels
    return W, X, y, float(rng.uniform(0.05, 0.5)) if reg is None else reg


def digits_problem(reference, rng, n):
    """The first n digits training images and a small random W."""
    data = reference.digits()
    X, y = data.X_train[:n], data.y_train[:n]
    return rng.normal(scale=0.02, size=(X.shape[1], 10)), X, y, 1e-3


def call(student, fn, W, X, y, reg, what=""):
    """The student's (loss, dW), with the loss a float and dW of W's shape."""
    return as_loss_grad(getattr(student, fn)(W, X, y, reg), f"{fn}{what}", np.shape(W))


def check_value(loss, reference, fn, W, X, y, reg, what=""):
    assert_close(loss, reference.softmax_loss(W, X, y, reg)[0], f"the loss of {fn}{what}",
                 mistakes=mistakes.loss_mistakes(W, X, y, reg))


def check_grad(dW, reference, fn, W, X, y, reg, what=""):
    assert_close(dW, reference.softmax_loss(W, X, y, reg)[1], f"the gradient dW of {fn}{what}",
                 mistakes=mistakes.gradient_mistakes(W, X, y, reg))


def check_both(student, reference, fn, W, X, y, reg, what=""):
    loss, dW = call(student, fn, W, X, y, reg, what)
    check_value(loss, reference, fn, W, X, y, reg, what)
    check_grad(dW, reference, fn, W, X, y, reg, what)


def measured(student, reference, fn, check, W, X, y):
    """Run a value check; without a catalog hint, measure the regularization and the scale of
    the data term the student's loss uses."""
    with_measured_hint(check, lambda: measured_hint(student, fn, W, X, y,
                                                    reference.softmax_loss(W, X, y, 0.0)[0]))


def random_values(student, reference, rng, fn):
    for n, d, c in ((8, 5, 4), (13, 6, 5)):
        W, X, y, reg = problem(rng, n, d, c)
        loss = call(student, fn, W, X, y, reg)[0]
        measured(student, reference, fn,
                 lambda: check_value(loss, reference, fn, W, X, y, reg), W, X, y)  # noqa: B023


def random_gradients(student, reference, rng, fn):
    for n, d, c in ((8, 5, 4), (13, 6, 5)):
        W, X, y, reg = problem(rng, n, d, c)
        dW = call(student, fn, W, X, y, reg)[1]
        measured(student, reference, fn,
                 lambda: check_grad(dW, reference, fn, W, X, y, reg), W, X, y)  # noqa: B023


def known_answers(student, reference, fn):
    """log C at W = 0; the cat/car/frog table; the three score vectors; 1e3-sized scores."""
    data = reference.digits()
    args = (np.zeros((65, 10)), data.X_train[:300], data.y_train[:300], 0.0)
    assert_close(call(student, fn, *args)[0], math.log(10), f"the loss of {fn} at W = 0 on "
                 "the digits (log 10)", mistakes=mistakes.loss_mistakes(*args))
    eye = np.eye(3)
    for i in range(3):
        args = (CAT_CAR_FROG, eye[[i]], np.array([i]), 0.0)
        assert_close(call(student, fn, *args)[0], _minus_log_softmax(CAT_CAR_FROG[i], i),
                     f"the loss of {fn} on image {i} of the cat/car/frog table",
                     mistakes=mistakes.loss_mistakes(*args))
    args = (THREE_VECTORS, eye, np.zeros(3, dtype=np.int64), 0.0)
    mean = sum(_minus_log_softmax(s, 0) for s in THREE_VECTORS) / 3
    assert_close(call(student, fn, *args)[0], mean,
                 f"the mean loss of {fn} on the three score vectors of the notes",
                 mistakes=mistakes.loss_mistakes(*args))
    for scores, label, expected in (([123.0, 456.0, 789.0], 0, 666.0),
                                    ([1000.0, -1000.0, 0.0], 1, 2000.0)):
        args = (np.array([scores]), np.ones((1, 1)), np.array([label]), 0.0)
        out = student.run(fn, *args, fp=True)
        loss, _ = as_loss_grad(assert_stable(out, f"{fn} at scores of size 1e3", fn=fn), fn,
                               (1, 3))
        assert_close(loss, expected, f"the loss of {fn} at scores of size 1e3",
                     mistakes=mistakes.loss_mistakes(*args))
    args = (np.array([[1.0, 2.0, 3.0]]), np.ones((1, 1)), np.array([0]), 0.0)
    assert_close(call(student, fn, *args)[1], [[-0.90996943, 0.24472847, 0.66524096]],
                 f"the gradient of {fn} at scores [1, 2, 3], y = 0", rtol=1e-6,
                 mistakes=mistakes.gradient_mistakes(*args))


def numerical_small(student, reference, rng, fn):
    """Every entry of W, except entries whose gradient is tiny (rounding would decide them)."""
    W, X, y, reg = problem(rng, 6, 4, 3)
    tiny = np.abs(reference.softmax_loss(W, X, y, reg)[1]) < TINY_GRADIENT
    assert_gradient(student, fn, (W, X, y, reg), 0, right_loss(student, reference, fn, W, X, y,
                                                               reg),
                    select=0, threshold=1e-7, skip=tiny, mistakes=gradient_mistakes(len(y)),
                    reference=reference.softmax_loss)


def right_loss(student, reference, fn, W, X, y, reg):
    """dW, once the loss is right: a wrong loss with a gradient consistent with it (say,
    a constant with a zero gradient) must not earn the gradient checks' points."""
    loss, dW = call(student, fn, W, X, y, reg)
    check_value(loss, reference, fn, W, X, y, reg)
    return dW


def budgeted_losses(student, fn, rest, seconds=NUMERICAL_BUDGET):
    """The student's losses at many W in one worker call, with a budget for slow naive loops."""
    def losses(points):
        return [as_float(value_of(o, fn), f"the loss of {fn}")
                for o in student.map(fn, [[p, *rest] for p in points], select=0,
                                     timeout=seconds)]
    return losses


def numerical_digits(student, reference, rng, fn, n):
    """Twelve sampled entries of W on digits; entries whose gradient is tiny are skipped (the
    loss's rounding error, divided by 2h, would dominate their relative error)."""
    W, X, y, reg = digits_problem(reference, rng, n)
    tiny = np.abs(reference.softmax_loss(W, X, y, reg)[1]) < TINY_GRADIENT
    assert_gradient_matches(right_loss(student, reference, fn, W, X, y, reg), W,
                            verified_losses(budgeted_losses(student, fn, (X, y, reg)),
                                            reference_losses(reference.softmax_loss, (W, X, y, reg),
                                                             0, select=0), fn),
                            f"the gradient returned by {fn} on the digits data",
                            threshold=1e-5, coords=sample_coords(W.shape, 12, rng, tiny),
                            mistakes=gradient_mistakes(n))


def stable(student, reference, rng, fn):
    """Scores of size 1e3 (one sign per row, mixed signs, all equal): no warning, exact."""
    n, c = 6, 4
    X, y = np.eye(n), rng.integers(0, c, size=n)
    for name, W in stability_probes(rng, (n, c)).items():
        what = f" at {PROBES[name]}"
        out = student.run(fn, W, X, y, 1e-6, fp=True)
        loss, dW = as_loss_grad(assert_stable(out, f"{fn}{what}", fn=fn), f"{fn}{what}", W.shape)
        check_value(loss, reference, fn, W, X, y, 1e-6, what)
        check_grad(dW, reference, fn, W, X, y, 1e-6, what)


def edge_cases(student, reference, rng, fn):
    check_both(student, reference, fn, *problem(rng, n=1), " with a single example (N = 1)")
    check_both(student, reference, fn, *problem(rng, n=9, c=2), " with C = 2 classes")
    W, X, _, reg = problem(rng, n=7)
    check_both(student, reference, fn, W, X, np.full(7, 1), reg,
               " when all examples are in one class")
    check_both(student, reference, fn, *problem(rng, reg=0.0), " with reg = 0")


def label_dtypes(student, reference, rng, fn):
    W, X, y, reg = problem(rng, n=10, c=5)
    for dtype in (np.int8, np.uint8, np.int16, np.int32, np.uint32, np.int64):
        check_both(student, reference, fn, W, X, y.astype(dtype), reg,
                   f" with labels of dtype {np.dtype(dtype).name}")


def not_mutated(student, reference, rng, fn):
    """Inputs unchanged, and the right value (a wrong function earns nothing here)."""
    assert_unchanged(student, fn, problem(rng), ARGS, reference.softmax_loss)


# --- softmax_loss_naive ------------------------------------------------------------------------


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.75)
@pytest.mark.visibility("hidden")
def test_naive_random(student, reference, rng):
    """softmax_loss_naive: the loss on random problems matches the reference"""
    random_values(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_naive_known(student, reference):
    """softmax_loss_naive: log C, the cat/car/frog table, the three vectors, 666 and 2000"""
    known_answers(student, reference, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.75)
@pytest.mark.visibility("hidden")
def test_naive_gradient(student, reference, rng):
    """softmax_loss_naive: the gradient on random problems matches the reference"""
    random_gradients(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_naive_numerical_small(student, reference, rng):
    """softmax_loss_naive: dW matches a numerical gradient of your loss (every entry)"""
    numerical_small(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_naive_numerical_digits(student, reference, rng):
    """softmax_loss_naive: dW matches a numerical gradient of your loss (sampled, digits)"""
    numerical_digits(student, reference, rng, NAIVE, n=100)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_naive_stable(student, reference, rng):
    """softmax_loss_naive: exact and warning-free at scores of magnitude 1e3"""
    stable(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_naive_edge_cases(student, reference, rng):
    """softmax_loss_naive: N = 1, C = 2, all examples in one class, reg = 0"""
    edge_cases(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_naive_label_dtypes(student, reference, rng):
    """softmax_loss_naive: labels of any integer dtype"""
    label_dtypes(student, reference, rng, NAIVE)


@pytest.mark.function(NAIVE)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_naive_not_mutated(student, reference, rng):
    """softmax_loss_naive: W, X and y are not modified"""
    not_mutated(student, reference, rng, NAIVE)


# --- softmax_loss_vectorized -------------------------------------------------------------------


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_vectorized_random(student, reference, rng):
    """softmax_loss_vectorized: the loss on random problems matches the reference"""
    random_values(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_vectorized_known(student, reference):
    """softmax_loss_vectorized: log C, the cat/car/frog table, the three vectors, 666 and 2000"""
    known_answers(student, reference, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_vectorized_gradient(student, reference, rng):
    """softmax_loss_vectorized: the gradient on random problems matches the reference"""
    random_gradients(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_vectorized_numerical_small(student, reference, rng):
    """softmax_loss_vectorized: dW matches a numerical gradient of your loss (every entry)"""
    numerical_small(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_vectorized_numerical_digits(student, reference, rng):
    """softmax_loss_vectorized: dW matches a numerical gradient of your loss (sampled, digits)"""
    numerical_digits(student, reference, rng, VECTORIZED, n=1197)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_vectorized_stable(student, reference, rng):
    """softmax_loss_vectorized: exact and warning-free at scores of magnitude 1e3"""
    stable(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_vectorized_edge_cases(student, reference, rng):
    """softmax_loss_vectorized: N = 1, C = 2, all examples in one class, reg = 0"""
    edge_cases(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_vectorized_label_dtypes(student, reference, rng):
    """softmax_loss_vectorized: labels of any integer dtype"""
    label_dtypes(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_vectorized_not_mutated(student, reference, rng):
    """softmax_loss_vectorized: W, X and y are not modified"""
    not_mutated(student, reference, rng, VECTORIZED)


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_vectorized_agrees_with_naive(student, reference, rng):
    """softmax_loss_vectorized agrees with your softmax_loss_naive on digits"""
    W, X, y, reg = digits_problem(reference, rng, 300)
    assert_agree(student.softmax_loss_naive(W, X, y, reg),
                 student.softmax_loss_vectorized(W, X, y, reg), (NAIVE, VECTORIZED), W.shape,
                 expected=reference.softmax_loss(W, X, y, reg))


@pytest.mark.function(VECTORIZED)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_vectorized_no_loops(student, reference, rng):
    """softmax_loss_vectorized runs without Python loops (and gives the right values)"""
    check_both(student, reference, VECTORIZED, *problem(rng))
    assert_no_loops(student.sources(), VECTORIZED)
