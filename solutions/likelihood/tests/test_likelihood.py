"""Hidden tests for the likelihood assignment.

Inputs come from `rng` (the grading run's seed), so memorised values earn nothing; messages
describe the size of an error, never an input or an expected value. Per function: known
answers (visible), seeded random inputs against the reference, edge cases (numbers, N = 1,
2-D and 3-D arrays averaged over all elements, integer data and labels of any integer
dtype, broadcasting), the scale parameter's role, stability probes and gradient checks of
the two gradients, and non-mutation. Failing outputs are matched against mistakes.py.
"""
from pathlib import Path

import numpy as np
import pytest

from autograder.runner import load_module
from autograder.checks import assert_unchanged
from autograder.checks import (assert_close, assert_gradient_matches, assert_stable_probes, trusted_losses)


mistakes = load_module(Path(__file__).with_name("mistakes.py"))

LABEL_DTYPES = (np.int8, np.uint8, np.int16, np.int32, np.int64, np.uint32)
"""Labels may come in any integer dtype."""
PRED_A, TARGET_A = np.array([0.0, 0.0]), np.array([1.0, -3.0])
"""The notebook's example: residuals 1 and -3."""


def pair(rng, shape=(4, 5)):
    pred = rng.normal(0.0, 2.0, size=shape)
    return pred, pred + rng.standard_t(3.0, size=shape)


def scale(rng):
    return float(rng.uniform(0.5, 3.0))


def mutation_check(student, reference, fn, args, names):
    assert_unchanged(student, fn, args, names, getattr(reference, fn))


def edge_pairs(rng):
    """What every loss must handle: numbers, one element, 1-D, 3-D and integer arrays."""
    p1, t1 = pair(rng, (1,))
    p3, t3 = pair(rng, (2, 3, 2))
    return [("numbers", float(rng.normal()), float(rng.normal())),
            ("a single element (N = 1)", p1, t1), ("1-D arrays", *pair(rng, (7,))),
            ("3-D arrays", p3, t3),
            ("integer arrays", rng.integers(-5, 6, size=(3, 4)), rng.integers(-5, 6, (3, 4)))]


# --- mse_loss ----------------------------------------------------------------------------

@pytest.mark.function("mse_loss")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_mse_loss_known(student):
    """residuals 1 and -3 give (1 + 9) / 2 = 5; six errors of 1 give 1"""
    assert_close(student.mse_loss(PRED_A, TARGET_A), 5.0, "mse_loss([0, 0], [1, -3])",
                 mistakes=mistakes.mse_loss(PRED_A, TARGET_A))
    ones, zeros = np.ones((2, 3)), np.zeros((2, 3))
    assert_close(student.mse_loss(ones, zeros), 1.0, "mse_loss(ones((2, 3)), zeros((2, 3)))",
                 mistakes=mistakes.mse_loss(ones, zeros))


@pytest.mark.function("mse_loss")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_mse_loss_random(student, reference, rng):
    """mse_loss averages the squared errors over all elements of a 2-D array"""
    pred, target = pair(rng)
    assert_close(student.mse_loss(pred, target), reference.mse_loss(pred, target),
                 "mse_loss(pred, target)", mistakes=mistakes.mse_loss(pred, target))


@pytest.mark.function("mse_loss")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_mse_loss_edges(student, reference, rng):
    """mse_loss of numbers, one element, 1-D, 3-D and integer arrays"""
    for what, pred, target in edge_pairs(rng):
        assert_close(student.mse_loss(pred, target), reference.mse_loss(pred, target),
                     f"mse_loss of {what}", mistakes=mistakes.mse_loss(pred, target))


@pytest.mark.function("mse_loss")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_mse_loss_not_mutated(student, reference, rng):
    """mse_loss leaves its inputs unchanged"""
    mutation_check(student, reference, "mse_loss", pair(rng), ["pred", "target"])


# --- mae_loss ----------------------------------------------------------------------------

@pytest.mark.function("mae_loss")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_mae_loss_known(student):
    """residuals 1 and -3 give (1 + 3) / 2 = 2; six errors of 1 give 1"""
    assert_close(student.mae_loss(PRED_A, TARGET_A), 2.0, "mae_loss([0, 0], [1, -3])",
                 mistakes=mistakes.mae_loss(PRED_A, TARGET_A))
    ones, zeros = np.ones((2, 3)), np.zeros((2, 3))
    assert_close(student.mae_loss(ones, zeros), 1.0, "mae_loss(ones((2, 3)), zeros((2, 3)))",
                 mistakes=mistakes.mae_loss(ones, zeros))


@pytest.mark.function("mae_loss")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_mae_loss_random(student, reference, rng):
    """mae_loss averages the absolute errors over all elements of a 2-D array"""
    pred, target = pair(rng)
    assert_close(student.mae_loss(pred, target), reference.mae_loss(pred, target),
                 "mae_loss(pred, target)", mistakes=mistakes.mae_loss(pred, target))


@pytest.mark.function("mae_loss")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_mae_loss_edges(student, reference, rng):
    """mae_loss of numbers, one element, 1-D, 3-D and integer arrays"""
    for what, pred, target in edge_pairs(rng):
        assert_close(student.mae_loss(pred, target), reference.mae_loss(pred, target),
                     f"mae_loss of {what}", mistakes=mistakes.mae_loss(pred, target))


@pytest.mark.function("mae_loss")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_mae_loss_not_mutated(student, reference, rng):
    """mae_loss leaves its inputs unchanged"""
    mutation_check(student, reference, "mae_loss", pair(rng), ["pred", "target"])


# --- gaussian_nll ------------------------------------------------------------------------

@pytest.mark.function("gaussian_nll")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_gaussian_nll_known(student, reference):
    """zero residual with sigma = 1 leaves 0.5 log(2 pi); mse / 8 + 0.5 log(8 pi) at sigma = 2"""
    cases = [("gaussian_nll(t, t, 1)", TARGET_A, TARGET_A, 1.0),
             ("gaussian_nll([0, 0], [1, -3], 2)", PRED_A, TARGET_A, 2.0)]
    for what, pred, target, sigma in cases:
        assert_close(student.gaussian_nll(pred, target, sigma),
                     reference.gaussian_nll(pred, target, sigma), what,
                     mistakes=mistakes.gaussian_nll(pred, target, sigma))


@pytest.mark.function("gaussian_nll")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_gaussian_nll_random(student, reference, rng):
    """gaussian_nll matches the reference on random data and a random sigma"""
    pred, target = pair(rng)
    sigma = scale(rng)
    assert_close(student.gaussian_nll(pred, target, sigma),
                 reference.gaussian_nll(pred, target, sigma), "gaussian_nll(pred, target, sigma)",
                 mistakes=mistakes.gaussian_nll(pred, target, sigma))


@pytest.mark.function("gaussian_nll")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_gaussian_nll_sigma(student, reference, rng):
    """gaussian_nll for small, unit, large and integer sigma"""
    pred, target = pair(rng)
    for what, sigma in [("a small sigma", float(rng.uniform(0.05, 0.2))), ("sigma = 1", 1.0),
                        ("a large sigma", float(rng.uniform(10.0, 50.0))),
                        ("an integer sigma", int(rng.integers(2, 5)))]:
        assert_close(student.gaussian_nll(pred, target, sigma),
                     reference.gaussian_nll(pred, target, sigma), f"gaussian_nll with {what}",
                     mistakes=mistakes.gaussian_nll(pred, target, sigma))


@pytest.mark.function("gaussian_nll")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_gaussian_nll_edges(student, reference, rng):
    """gaussian_nll of numbers, one element, 1-D, 3-D and integer arrays"""
    for what, pred, target in edge_pairs(rng):
        sigma = scale(rng)
        assert_close(student.gaussian_nll(pred, target, sigma),
                     reference.gaussian_nll(pred, target, sigma), f"gaussian_nll of {what}",
                     mistakes=mistakes.gaussian_nll(pred, target, sigma))


@pytest.mark.function("gaussian_nll")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_gaussian_nll_not_mutated(student, reference, rng):
    """gaussian_nll leaves its inputs unchanged"""
    mutation_check(student, reference,
                   "gaussian_nll", (*pair(rng), scale(rng)), ["pred", "target", "sigma"])


# --- laplace_nll -------------------------------------------------------------------------

@pytest.mark.function("laplace_nll")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_laplace_nll_known(student, reference):
    """zero residual with b = 1 leaves log 2; mae / 2 + log 4 at b = 2"""
    cases = [("laplace_nll(t, t, 1)", TARGET_A, TARGET_A, 1.0),
             ("laplace_nll([0, 0], [1, -3], 2)", PRED_A, TARGET_A, 2.0)]
    for what, pred, target, b in cases:
        assert_close(student.laplace_nll(pred, target, b), reference.laplace_nll(pred, target, b),
                     what, mistakes=mistakes.laplace_nll(pred, target, b))


@pytest.mark.function("laplace_nll")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_laplace_nll_random(student, reference, rng):
    """laplace_nll matches the reference on random data and a random scale b"""
    pred, target = pair(rng)
    b = scale(rng)
    assert_close(student.laplace_nll(pred, target, b), reference.laplace_nll(pred, target, b),
                 "laplace_nll(pred, target, b)", mistakes=mistakes.laplace_nll(pred, target, b))


@pytest.mark.function("laplace_nll")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_laplace_nll_scale(student, reference, rng):
    """laplace_nll for small, unit, large and integer b"""
    pred, target = pair(rng)
    for what, b in [("a small b", float(rng.uniform(0.05, 0.2))), ("b = 1", 1.0),
                    ("a large b", float(rng.uniform(10.0, 50.0))),
                    ("an integer b", int(rng.integers(2, 5)))]:
        assert_close(student.laplace_nll(pred, target, b), reference.laplace_nll(pred, target, b),
                     f"laplace_nll with {what}", mistakes=mistakes.laplace_nll(pred, target, b))


@pytest.mark.function("laplace_nll")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_laplace_nll_edges(student, reference, rng):
    """laplace_nll of numbers, one element, 1-D, 3-D and integer arrays"""
    for what, pred, target in edge_pairs(rng):
        b = scale(rng)
        assert_close(student.laplace_nll(pred, target, b), reference.laplace_nll(pred, target, b),
                     f"laplace_nll of {what}", mistakes=mistakes.laplace_nll(pred, target, b))


@pytest.mark.function("laplace_nll")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_laplace_nll_not_mutated(student, reference, rng):
    """laplace_nll leaves its inputs unchanged"""
    mutation_check(student, reference,
                   "laplace_nll", (*pair(rng), scale(rng)), ["pred", "target", "b"])


# --- sigmoid_mse_grad and sigmoid_bce_grad -----------------------------------------------

def logits(rng, shape=(4, 5), scale=3.0):
    return rng.normal(0.0, scale, size=shape)


def targets(rng, shape=(4, 5)):
    y = rng.integers(0, 2, size=shape).astype(np.float64)
    y.flat[::3] = rng.random(y.flat[::3].shape)  # some soft targets
    return y


def grad_edges(rng):
    """Broadcasting, numbers, one element and integer labels of every dtype."""
    z = logits(rng)
    y = rng.integers(0, 2, size=z.shape)
    cases = [("a scalar target broadcast over z", z, float(rng.integers(0, 2))),
             ("a target row broadcast over the rows of z", z, targets(rng, (5,))),
             ("numbers", float(rng.normal(0.0, 3.0)), float(rng.integers(0, 2))),
             ("a single element (N = 1)", logits(rng, (1,)), targets(rng, (1,))),
             ("integer logits", rng.integers(-6, 7, size=(3, 4)), targets(rng, (3, 4)))]
    return cases + [(f"labels of dtype {np.dtype(t).name}", z, y.astype(t)) for t in LABEL_DTYPES]


def numerical_check(student, fn, reference, rng):
    """The elementwise gradient against centered differences of the summed loss.

    Entries whose gradient is nearly 0 are skipped: there a relative error is only noise.
    """
    z, y = logits(rng, (3, 4), scale=1.5), targets(rng, (3, 4))
    loss = getattr(reference, fn.replace("_grad", "_loss"))
    flat = np.abs(getattr(reference, fn)(z, y)) < 1e-2
    assert_gradient_matches(getattr(student, fn)(z, y), z, trusted_losses(lambda p: loss(p, y)),
                            f"{fn}(z, y)", skip=flat, threshold=1e-7,
                            mistakes=getattr(mistakes, fn)(z[~flat], y[~flat], n=z.size))


@pytest.mark.function("sigmoid_mse_grad")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_sigmoid_mse_grad_known(student):
    """-0.25 at z = 0, y = 1; the extremes +-8/27 at sigmoid(z) = 2/3 (y = 0), 1/3 (y = 1)"""
    cases = [("sigmoid_mse_grad(0, 1)", 0.0, 1.0, -0.25),
             ("sigmoid_mse_grad(log 2, 0)", np.log(2.0), 0.0, 8 / 27),
             ("sigmoid_mse_grad(-log 2, 1)", -np.log(2.0), 1.0, -8 / 27)]
    for what, z, y, expected in cases:
        assert_close(student.sigmoid_mse_grad(z, y), expected, what,
                     mistakes=mistakes.sigmoid_mse_grad(z, y))


@pytest.mark.function("sigmoid_mse_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_sigmoid_mse_grad_random(student, reference, rng):
    """sigmoid_mse_grad matches the reference elementwise"""
    z, y = logits(rng), targets(rng)
    assert_close(student.sigmoid_mse_grad(z, y), reference.sigmoid_mse_grad(z, y),
                 "sigmoid_mse_grad(z, y)", mistakes=mistakes.sigmoid_mse_grad(z, y))


@pytest.mark.function("sigmoid_mse_grad")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_sigmoid_mse_grad_numerical(student, reference, rng):
    """sigmoid_mse_grad is the derivative of (sigmoid(z) - y)**2 (numerical gradient)"""
    numerical_check(student, "sigmoid_mse_grad", reference, rng)


@pytest.mark.function("sigmoid_mse_grad")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_sigmoid_mse_grad_edges(student, reference, rng):
    """sigmoid_mse_grad broadcasts y, takes numbers, one element and any label dtype"""
    for what, z, y in grad_edges(rng):
        assert_close(student.sigmoid_mse_grad(z, y), reference.sigmoid_mse_grad(z, y),
                     f"sigmoid_mse_grad of {what}", mistakes=mistakes.sigmoid_mse_grad(z, y))


@pytest.mark.function("sigmoid_mse_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_sigmoid_mse_grad_stable(student, reference, rng):
    """sigmoid_mse_grad is stable at logits of magnitude 1e3, mixed signs and all equal"""
    y = targets(rng, (6, 4))
    assert_stable_probes(student, "sigmoid_mse_grad", lambda z: (z, y),
                         reference.sigmoid_mse_grad, "sigmoid_mse_grad(z, y)", rng=rng,
                         shape=(6, 4), mistakes_for=mistakes.sigmoid_mse_grad,
                         hint=mistakes.SIGMOID_OVERFLOW)


@pytest.mark.function("sigmoid_mse_grad")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_sigmoid_mse_grad_not_mutated(student, reference, rng):
    """sigmoid_mse_grad leaves its inputs unchanged"""
    mutation_check(student, reference, "sigmoid_mse_grad", (logits(rng), targets(rng)), ["z", "y"])


@pytest.mark.function("sigmoid_bce_grad")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_sigmoid_bce_grad_known(student):
    """-0.5 at z = 0, y = 1; -1 and +1 for confidently wrong logits of -1000 and 1000"""
    cases = [("sigmoid_bce_grad(0, 1)", 0.0, 1.0, -0.5),
             ("sigmoid_bce_grad([-1000, 1000], [1, 0])", np.array([-1000.0, 1000.0]),
              np.array([1.0, 0.0]), np.array([-1.0, 1.0]))]
    for what, z, y, expected in cases:
        assert_close(student.sigmoid_bce_grad(z, y), expected, what,
                     mistakes=mistakes.sigmoid_bce_grad(z, y))


@pytest.mark.function("sigmoid_bce_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_sigmoid_bce_grad_random(student, reference, rng):
    """sigmoid_bce_grad matches the reference elementwise"""
    z, y = logits(rng), targets(rng)
    assert_close(student.sigmoid_bce_grad(z, y), reference.sigmoid_bce_grad(z, y),
                 "sigmoid_bce_grad(z, y)", mistakes=mistakes.sigmoid_bce_grad(z, y))


@pytest.mark.function("sigmoid_bce_grad")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_sigmoid_bce_grad_numerical(student, reference, rng):
    """sigmoid_bce_grad is the derivative of BCE(sigmoid(z), y) (numerical gradient)"""
    numerical_check(student, "sigmoid_bce_grad", reference, rng)


@pytest.mark.function("sigmoid_bce_grad")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_sigmoid_bce_grad_edges(student, reference, rng):
    """sigmoid_bce_grad broadcasts y, takes numbers, one element and any label dtype"""
    for what, z, y in grad_edges(rng):
        assert_close(student.sigmoid_bce_grad(z, y), reference.sigmoid_bce_grad(z, y),
                     f"sigmoid_bce_grad of {what}", mistakes=mistakes.sigmoid_bce_grad(z, y))


@pytest.mark.function("sigmoid_bce_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_sigmoid_bce_grad_stable(student, reference, rng):
    """sigmoid_bce_grad is stable at logits of magnitude 1e3, mixed signs and all equal"""
    y = targets(rng, (6, 4))
    assert_stable_probes(student, "sigmoid_bce_grad", lambda z: (z, y),
                         reference.sigmoid_bce_grad, "sigmoid_bce_grad(z, y)", rng=rng,
                         shape=(6, 4), mistakes_for=mistakes.sigmoid_bce_grad,
                         hint=mistakes.SIGMOID_OVERFLOW)


@pytest.mark.function("sigmoid_bce_grad")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_sigmoid_bce_grad_not_mutated(student, reference, rng):
    """sigmoid_bce_grad leaves its inputs unchanged"""
    mutation_check(student, reference, "sigmoid_bce_grad", (logits(rng), targets(rng)), ["z", "y"])
