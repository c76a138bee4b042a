"""Catalog of common mistakes in the softmax_classifier assignment.

Each entry computes what a mistaken implementation returns on a check's own inputs; when a
student's failing output matches it, the student sees the entry's hint. Hints name the mistake,
never the inputs or the expected values (they may say N, the number of examples of a check).
"""
from __future__ import annotations

import numpy as np

from autograder.checks import Mistake, nonfinite_hint, same_as

# --- numerical_gradient ---------------------------------------------------------------------
FORWARD = ("these are forward differences (f(x + h) - f(x)) / h; use centered differences "
           "(f(x + h) - f(x - h)) / (2 h), whose error is O(h^2) instead of O(h)")
BACKWARD = ("these are backward differences (f(x) - f(x - h)) / h; use centered differences "
            "(f(x + h) - f(x - h)) / (2 h)")
NOT_TWO_H = "the centered difference must be divided by 2 h, not by h"
ALL_AT_ONCE = ("every entry of x was perturbed at once: perturb one entry at a time and leave "
               "the others at their original values")
IGNORES_H = "the step h you were given is not used: perturb by h, not by a fixed step"
NOT_RESTORED = ("x was not restored bit for bit: save each entry's old value and write it back "
                "(adding and subtracting h does not always give back the same float)")
DRIFT = ("the value depends on entries you perturbed before: restore each entry to its saved "
         "old value before moving on to the next one")
# --- rel_error ------------------------------------------------------------------------------
REL_MEAN = "this is the mean of the element-wise relative errors; rel_error is their maximum"
REL_SUM = "this is the sum of the element-wise relative errors; rel_error is their maximum"
REL_ONE_SIDED = "the denominator must be |a| + |b| (floored at 1e-8), not |a| or |b| alone"
REL_NO_ABS = "take absolute values in the denominator: max(1e-8, |a| + |b|)"
REL_ADDED_FLOOR = ("1e-8 was added to the denominator; the course floors it instead: "
                   "maximum(1e-8, |a| + |b|)")
REL_NO_FLOOR = ("0 / 0 gave nan: floor the denominator with np.maximum(1e-8, |a| + |b|), so "
                "equal zeros give a relative error of 0")
# --- softmax losses -------------------------------------------------------------------------
SUM_NOT_MEAN = ("your loss is too large by a factor of the number of examples: did you sum "
                "over the examples instead of taking the mean?")
REG_PER_EXAMPLE = ("the regularization term was added once per example: add reg * sum(W * W) "
                   "once, after averaging the data loss")
REG_MISSING = "the regularization term reg * sum(W * W) is missing from the loss"
REG_HALF = ("your regularization term uses 0.5 * reg * sum(W * W); this course uses "
            "reg * sum(W * W), without the 0.5")
WRONG_AXIS = ("the softmax is normalised over the examples (axis 0): normalise each row over "
              "the classes (axis=1)")
CLIPPED = ("the probabilities were clipped (e.g. at 1e-15) before the log, which caps the loss "
           "at large scores: compute log-softmax directly, shifted - log(sum(exp(shifted)))")
LOSS_SIGN = "the loss has the wrong sign: it is -log softmax(s)_y, a positive number"
NO_NORMALISER = ("the log-sum-exp term is missing: -log softmax(s)_y = log(sum_j exp(s_j)) "
                 "- s_y")
GRAD_SIGN = "the gradient has the wrong sign: it is X.T @ (P - Y) / N, not X.T @ (Y - P) / N"
GRAD_NOT_MEAN = ("your gradient is too large by a factor of the number of examples: divide "
                 "the data gradient by N, as the loss takes the mean")
GRAD_TWICE_MEAN = "your gradient is divided by N twice"
GRAD_REG_MISSING = "the gradient lacks the regularization term 2 * reg * W"
GRAD_REG_FACTOR = ("the gradient of reg * sum(W * W) is 2 * reg * W; yours has the wrong "
                   "factor (reg * W)")
NO_ONEHOT = ("the 1 at the label is not subtracted: the score gradient is softmax(s) - "
             "onehot(y)")


def differences(f, x, h, scheme="centered"):
    """A finite-difference gradient of f at x, done right or in one of the mistaken ways."""
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for k in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[k], down[k] = x[k] + h, x[k] - h
        if scheme == "forward":
            grad[k] = (f(up) - f(x)) / h
        elif scheme == "backward":
            grad[k] = (f(x) - f(down)) / h
        else:
            grad[k] = (f(up) - f(down)) / (2.0 * h)
    return grad


def drifting(f, x, h):
    """Centered differences that never restore x: entry k stays at x_k - h afterwards."""
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for k in np.ndindex(x.shape):
        x[k] += h
        up = f(x)
        x[k] -= 2 * h
        grad[k] = (up - f(x)) / (2.0 * h)
    return grad


def numerical_gradient_mistakes(f, x, h) -> list[Mistake]:
    """Mistakes of numerical_gradient(f, x, h) for a trusted copy f of the function."""
    right = differences(f, x, h)
    everything = (f(x + h) - f(x - h)) / (2.0 * h)
    found = [same_as(differences(f, x, h, "forward"), FORWARD),
             same_as(differences(f, x, h, "backward"), BACKWARD),
             same_as(2.0 * right, NOT_TWO_H),
             same_as(np.full(np.shape(x), everything), ALL_AT_ONCE),
             same_as(drifting(f, x, h), DRIFT)]
    for fixed in (1e-5, 1e-4, 1e-6, 1e-3, 1e-7, 1e-8):
        if fixed != h:
            found.append(same_as(differences(f, x, fixed), IGNORES_H, rtol=1e-9, atol=1e-12))
    return found


def rel_error_mistakes(a, b) -> list[Mistake]:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    diff = np.abs(a - b)
    with np.errstate(all="ignore"):
        each = diff / np.maximum(1e-8, np.abs(a) + np.abs(b))
        return [same_as(np.mean(each), REL_MEAN), same_as(np.sum(each), REL_SUM),
                same_as(np.max(diff / np.maximum(1e-8, np.abs(a))), REL_ONE_SIDED),
                same_as(np.max(diff / np.maximum(1e-8, np.abs(b))), REL_ONE_SIDED),
                same_as(np.max(diff / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))),
                        REL_ONE_SIDED),
                same_as(np.max(diff / np.maximum(1e-8, a + b)), REL_NO_ABS),
                same_as(np.max(diff / (np.abs(a) + np.abs(b) + 1e-8)), REL_ADDED_FLOOR),
                nonfinite_hint(REL_NO_FLOOR)]


def _parts(W, X, y, *, axis=1, clip=None):
    """Per-example data losses and the mean data gradient, done right or with a mistake."""
    W, X = np.asarray(W, np.float64), np.asarray(X, np.float64)
    y = np.asarray(y, np.intp)
    n, rows = X.shape[0], np.arange(X.shape[0])
    s = X @ W
    top = s.max(axis=axis, keepdims=True)
    logp = s - top - np.log(np.exp(s - top).sum(axis=axis, keepdims=True))
    per = -logp[rows, y]
    if clip is not None:
        per = np.minimum(per, -np.log(clip))
    p = np.exp(logp)
    p[rows, y] -= 1.0
    return per, X.T @ p / n


def loss_mistakes(W, X, y, reg) -> list[Mistake]:
    """Mistakes in the loss value of softmax_loss_naive / softmax_loss_vectorized."""
    W = np.asarray(W, np.float64)
    per, _ = _parts(W, X, y)
    n, data, penalty = len(per), float(per.mean()), reg * float(np.sum(W * W))
    scores = np.asarray(X, np.float64) @ W
    found = [same_as(_parts(W, X, y, axis=0)[0].mean() + penalty, WRONG_AXIS),
             same_as(-data + penalty, LOSS_SIGN),
             same_as(-scores[np.arange(n), np.asarray(y, np.intp)].mean() + penalty,
                     NO_NORMALISER)]
    for clip in (1e-15, 1e-12, 1e-10, 1e-7):
        found.append(same_as(_parts(W, X, y, clip=clip)[0].mean() + penalty, CLIPPED))
    if n > 1:
        found += [same_as(n * data + penalty, SUM_NOT_MEAN),
                  same_as(n * (data + penalty), SUM_NOT_MEAN),
                  same_as(data + n * penalty, REG_PER_EXAMPLE)]
    if penalty:
        found += [same_as(data, REG_MISSING), same_as(data + 0.5 * penalty, REG_HALF)]
    return found


def gradient_mistakes(W, X, y, reg) -> list[Mistake]:
    """Mistakes in the gradient dW of softmax_loss_naive / softmax_loss_vectorized."""
    W = np.asarray(W, np.float64)
    X = np.asarray(X, np.float64)
    _, grad = _parts(W, X, y)
    n, dreg = X.shape[0], 2.0 * reg * W
    onehot = np.eye(W.shape[1])[np.asarray(y, np.intp)]
    found = [same_as(-grad + dreg, GRAD_SIGN), same_as(-grad - dreg, GRAD_SIGN),
             same_as(grad + X.T @ onehot / n + dreg, NO_ONEHOT)]
    if n > 1:
        found += [same_as(n * grad + dreg, GRAD_NOT_MEAN),
                  same_as(n * (grad + dreg), GRAD_NOT_MEAN),
                  same_as(grad / n + dreg, GRAD_TWICE_MEAN)]
    if reg:
        found += [same_as(grad, GRAD_REG_MISSING), same_as(grad + 0.5 * dreg, GRAD_REG_FACTOR)]
    return found
