"""Catalog of common mistakes in the regularization assignment.

Each entry computes what a mistaken implementation returns on a check's own inputs; when a
student's failing output matches it, the student sees the entry's hint. Hints name the mistake,
never the inputs or the expected values.
"""
from __future__ import annotations

import numpy as np

from autograder.checks import Mistake, same_as

# --- penalties ------------------------------------------------------------------------------
HALF = ("your L2 penalty uses 0.5 * reg * sum(W**2); this course uses reg * sum(W**2), "
        "without the 0.5")
NO_REG = "the strength reg is missing: multiply by reg"
NORM_NOT_SQUARED = ("this is reg times the norm ||W||; the L2 penalty uses the squared norm, "
                    "reg * sum(W**2)")
L1_FOR_L2 = "this is the L1 penalty (sum of |W|); the L2 penalty sums the squares W**2"
L2_FOR_L1 = "this is the L2 penalty (sum of W**2); the L1 penalty sums the absolute values"
NO_ABS = "the absolute value is missing: the L1 penalty is reg * sum(abs(W))"
L2_GRAD_FACTOR = ("the gradient of reg * sum(W**2) is 2 * reg * W; yours has the wrong "
                  "factor")
GRAD_SIGN = "the gradient has the wrong sign"
L1_GRAD_LINEAR = ("the L1 subgradient is reg * sign(W), which does not grow with W; yours is "
                  "proportional to W (that is the L2 gradient's shape)")
L1_GRAD_FACTOR = "the L1 subgradient is reg * sign(W); yours has a wrong factor"
SIGN_AT_ZERO = ("the subgradient at a weight of exactly 0 must be 0 (np.sign(0) = 0); yours "
                "gives +reg or -reg there")
BETA_ON_ABS = ("beta multiplies the wrong term: the elastic net is reg * sum(beta * W**2 + "
               "abs(W))")
EN_NO_TWO = ("the derivative of beta * W**2 is 2 * beta * W: the factor 2 is missing from the "
             "elastic net's gradient")
EN_REG_L1 = "reg multiplies both terms: reg * (2 * beta * W + sign(W))"
# --- training --------------------------------------------------------------------------------
WITHOUT_REPLACEMENT = ("the batches are drawn without replacement; the recipe draws "
                       "rng.choice(N, batch_size, replace=True)")
IGNORES_SEED = ("your training ignores the seed argument: create the generator with "
                "np.random.default_rng(seed)")
LEGACY = ("the random numbers come from numpy's global generator (np.random.seed, randn, "
          "choice); use the generator rng = np.random.default_rng(seed)")
ORDER = ("the random numbers are drawn in a different order: initialise W first, then draw "
         "one batch per iteration")
INIT = "W must start as 0.001 * rng.standard_normal((D, C))"
ASCENT = "the update goes uphill: subtract learning_rate * dW from W"
REG_NOT_PASSED = "reg is not passed on: call loss_fn(W, X_batch, y_batch, reg)"
NUM_CLASSES = ("C is max(y) + 1, even when a class has no examples (not the number of "
               "distinct labels)")
UNSEEDED = ("two runs with the same seed gave different weights: draw every random number "
            "from np.random.default_rng(seed)")
# --- predict --------------------------------------------------------------------------------
SCORES = ("predict returns the scores X @ W; it should return labels: the argmax over the "
          "classes (axis=1)")
PREDICT_AXIS = "the argmax is taken over the examples (axis 0); take it over the classes (axis=1)"
ARGMIN = "this is the class with the lowest score (argmin); predict the highest (argmax)"
FLOAT_LABELS = "predict returns labels as floats; return integers (np.argmax already does)"


def l2_mistakes(W, reg) -> tuple[list[Mistake], list[Mistake]]:
    """(value mistakes, gradient mistakes) of l2_penalty."""
    W = np.asarray(W, np.float64)
    sq = float(np.sum(W * W))
    values = [same_as(0.5 * reg * sq, HALF), same_as(reg * np.sqrt(sq), NORM_NOT_SQUARED),
              same_as(reg * np.sum(np.abs(W)), L1_FOR_L2)]
    grads = [same_as(reg * W, L2_GRAD_FACTOR), same_as(4 * reg * W, L2_GRAD_FACTOR),
             same_as(-2 * reg * W, GRAD_SIGN)]
    if reg != 1:
        values.append(same_as(sq, NO_REG))
        grads.append(same_as(2 * W, NO_REG))
    return values, grads


def l1_mistakes(W, reg) -> tuple[list[Mistake], list[Mistake]]:
    """(value mistakes, gradient mistakes) of l1_penalty."""
    W = np.asarray(W, np.float64)
    values = [same_as(reg * np.sum(W * W), L2_FOR_L1), same_as(reg * np.sum(W), NO_ABS)]
    grads = [same_as(reg * W, L1_GRAD_LINEAR), same_as(2 * reg * W, L1_GRAD_LINEAR),
             same_as(2 * reg * np.sign(W), L1_GRAD_FACTOR),
             same_as(np.where(W >= 0, reg, -reg), SIGN_AT_ZERO),
             same_as(np.where(W > 0, reg, -reg), SIGN_AT_ZERO),
             same_as(-reg * np.sign(W), GRAD_SIGN)]
    if reg != 1:
        values.append(same_as(np.sum(np.abs(W)), NO_REG))
        grads.append(same_as(np.sign(W), NO_REG))
    return values, grads


def elastic_mistakes(W, reg, beta) -> tuple[list[Mistake], list[Mistake]]:
    """(value mistakes, gradient mistakes) of elastic_net_penalty."""
    W = np.asarray(W, np.float64)
    sq, ab = float(np.sum(W * W)), float(np.sum(np.abs(W)))
    values = [same_as(reg * (sq + beta * ab), BETA_ON_ABS),
              same_as(reg * beta * sq + ab, EN_REG_L1),
              same_as(0.5 * reg * beta * sq + reg * ab, HALF)]
    grads = [same_as(reg * (beta * W + np.sign(W)), EN_NO_TWO),
             same_as(reg * (2 * W + beta * np.sign(W)), BETA_ON_ABS),
             same_as(2 * reg * beta * W + np.sign(W), EN_REG_L1),
             same_as(reg * (2 * beta * W + np.where(W >= 0, 1.0, -1.0)), SIGN_AT_ZERO)]
    return values, grads


def recipe(X, y, loss_fn, lr, reg, iters, batch, seed, *, draw="choice", generator="new",
           w_first=True, init="normal", ascent=False, pass_reg=True):
    """A training run that follows the spec's recipe, or deviates from it in one way."""
    X, y = np.asarray(X), np.asarray(y)
    n, shape = X.shape[0], (X.shape[1], int(y.max()) + 1)
    gen = np.random.RandomState(seed) if generator == "legacy" else np.random.default_rng(seed)

    def start():
        if init == "zeros":
            return np.zeros(shape)
        normal = gen.randn(*shape) if generator == "legacy" else gen.standard_normal(shape)
        return normal if init == "unscaled" else 0.001 * normal

    def batch_indices():
        if draw == "without":
            return gen.choice(n, batch, replace=False)
        if draw == "permutation":
            return gen.permutation(n)[:batch]
        return gen.choice(n, batch, replace=True)

    W = start() if w_first else None
    history = []
    for _ in range(iters):
        idx = batch_indices()
        if W is None:
            W = start()
        loss, dW = loss_fn(W, X[idx], y[idx], reg if pass_reg else 0.0)
        history.append(loss)
        W = W + lr * dW if ascent else W - lr * dW
    return W, np.asarray(history)


RECIPES = (({"draw": "without"}, WITHOUT_REPLACEMENT), ({"draw": "permutation"},
                                                        WITHOUT_REPLACEMENT),
           ({"generator": "legacy"}, LEGACY), ({"w_first": False}, ORDER),
           ({"init": "zeros"}, INIT), ({"init": "unscaled"}, INIT), ({"ascent": True}, ASCENT),
           ({"pass_reg": False}, REG_NOT_PASSED))
"""Deviations from the recipe that the catalog recognises, with their hints."""


def training_mistakes(X, y, loss_fn, lr, reg, iters, batch, seed
                      ) -> tuple[list[Mistake], list[Mistake]]:
    """(weight mistakes, loss-history mistakes) of train_linear_classifier."""
    weights, losses = [], []
    runs = [(options, hint) for options, hint in RECIPES if options != {"pass_reg": False}
            or reg != 0]
    for options, hint in runs:
        W, history = recipe(X, y, loss_fn, lr, reg, iters, batch, seed, **options)
        weights.append(same_as(W, hint, rtol=1e-9, atol=1e-15))
        losses.append(same_as(history, hint, rtol=1e-9, atol=1e-15))
    for other in {0, 1, 42} - {seed}:
        W, history = recipe(X, y, loss_fn, lr, reg, iters, batch, other)
        weights.append(same_as(W, IGNORES_SEED, rtol=1e-9, atol=1e-15))
        losses.append(same_as(history, IGNORES_SEED, rtol=1e-9, atol=1e-15))
    return weights, losses


def predict_mistakes(W, X) -> list[Mistake]:
    scores = np.asarray(X, np.float64) @ np.asarray(W, np.float64)
    return [same_as(scores, SCORES), same_as(np.argmax(scores, axis=0), PREDICT_AXIS),
            same_as(np.argmin(scores, axis=1), ARGMIN)]
