"""Catalog of common mistakes in the svm assignment.

Each entry computes what a mistaken implementation returns on a check's own inputs; when a
student's failing output matches it, the student sees the entry's hint. Hints name the mistake,
never the inputs or the expected values.
"""
from __future__ import annotations

import numpy as np

from autograder.checks import Mistake, same_as

COUNTS_CORRECT_CLASS = ("your loss is exactly 1 too large per example: did you also sum over "
                        "j = y_i? That term is max(0, s_y - s_y + 1) = 1; skip j == y[i]")
NO_DELTA = "did you forget the margin delta = 1 in max(0, s_j - s_y + 1)?"
SUM_NOT_MEAN = ("your loss is too large by a factor of the number of examples: did you sum "
                "over the examples instead of taking the mean?")
REG_PER_EXAMPLE = ("the regularization term was added once per example: add reg * sum(W * W) "
                   "once, after averaging the data loss")
REG_MISSING = "the regularization term reg * sum(W * W) is missing from the loss"
REG_HALF = ("your regularization term uses 0.5 * reg * sum(W * W); this course uses "
            "reg * sum(W * W), without the 0.5")
GRAD_SIGN = "the gradient has the wrong sign: the data term must point uphill"
GRAD_NOT_MEAN = ("your gradient is too large by a factor of the number of examples: divide "
                 "the data gradient by N, as the loss takes the mean")
GRAD_TWICE_MEAN = "your gradient is divided by N twice"
GRAD_REG_MISSING = "the gradient lacks the regularization term 2 * reg * W"
GRAD_REG_FACTOR = ("the gradient of reg * sum(W * W) is 2 * reg * W; yours has the wrong "
                   "factor (reg * W)")
GRAD_AT_ZERO = ("a margin of exactly 0 contributes to your gradient: use margin > 0, not >= 0 "
                "(a margin of exactly 0 adds nothing to the loss, and by convention no gradient)")
GRAD_NO_CORRECT_COLUMN = ("the gradient misses the correct-class column: every violated margin "
                          "adds x_i to column j and subtracts x_i from column y_i")


def hinge_parts(W, X, y, *, delta=1.0, at_zero=False, correct_column=True, skip_correct=True):
    """Per-example data losses and the mean data gradient of a (possibly mistaken) SVM."""
    W, X = np.asarray(W, np.float64), np.asarray(X, np.float64)
    y = np.asarray(y, np.intp)
    n, rows = X.shape[0], np.arange(X.shape[0])
    s = X @ W
    m = s - s[rows, y][:, None] + delta
    other = np.ones(m.shape, bool)
    if skip_correct:
        other[rows, y] = False
    per_example = np.where(other, np.maximum(m, 0.0), 0.0).sum(axis=1)
    active = (other & ((m >= 0) if at_zero else (m > 0))).astype(np.float64)
    weights = active.copy()
    weights[rows, y] -= active.sum(axis=1) if correct_column else 0.0
    return per_example, X.T @ weights / n


def loss_mistakes(W, X, y, reg) -> list[Mistake]:
    """Mistakes in the loss value of svm_loss_naive / svm_loss_vectorized."""
    per, _ = hinge_parts(W, X, y)
    n, data, penalty = len(per), float(per.mean()), reg * float(np.sum(np.square(W)))
    no_delta, _ = hinge_parts(W, X, y, delta=0.0)
    found = [same_as(data + 1.0 + penalty, COUNTS_CORRECT_CLASS),
             same_as(no_delta.mean() + penalty, NO_DELTA)]
    if n > 1:
        found += [same_as(n * data + penalty, SUM_NOT_MEAN),
                  same_as(n * (data + penalty), SUM_NOT_MEAN),
                  same_as(data + n * penalty, REG_PER_EXAMPLE)]
    if penalty:
        found += [same_as(data, REG_MISSING), same_as(data + 0.5 * penalty, REG_HALF)]
    return found


def gradient_mistakes(W, X, y, reg) -> list[Mistake]:
    """Mistakes in the gradient dW of svm_loss_naive / svm_loss_vectorized."""
    W = np.asarray(W, np.float64)
    _, grad = hinge_parts(W, X, y)
    n, dreg = np.shape(X)[0], 2.0 * reg * W
    _, at_zero = hinge_parts(W, X, y, at_zero=True)
    _, no_column = hinge_parts(W, X, y, correct_column=False)
    found = [same_as(-grad + dreg, GRAD_SIGN), same_as(-grad - dreg, GRAD_SIGN),
             same_as(at_zero + dreg, GRAD_AT_ZERO),
             same_as(no_column + dreg, GRAD_NO_CORRECT_COLUMN)]
    if n > 1:
        found += [same_as(n * grad + dreg, GRAD_NOT_MEAN),
                  same_as(n * (grad + dreg), GRAD_NOT_MEAN),
                  same_as(grad / n + dreg, GRAD_TWICE_MEAN)]
    if reg:
        found += [same_as(grad, GRAD_REG_MISSING), same_as(grad + 0.5 * dreg,
                                                                   GRAD_REG_FACTOR)]
    return found
