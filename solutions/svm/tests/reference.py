"""Reference implementation of the svm assignment (instructor only, float64).

Written independently of the solution notebook, so that "the solution scores full marks" tests
both. Also loads the digits data for the hidden tests, once per grading process.
"""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from autograder.runner import load_module

LOSSDATA = Path(__file__).resolve().parents[3] / "common" / "lossdata.py"
"""The course's data helper (the file students receive next to their notebook)."""


def margins(W, X, y):
    """Margins s_ij - s_iy + 1 of every example and class, shape (N, C); 0 at j = y_i."""
    X = np.asarray(X, dtype=np.float64)
    s = X @ np.asarray(W, dtype=np.float64)
    rows = np.arange(X.shape[0])
    m = s - s[rows, np.asarray(y, dtype=np.intp)][:, None] + 1.0
    m[rows, np.asarray(y, dtype=np.intp)] = 0.0
    return m


def svm_loss(W, X, y, reg):
    """Mean multiclass SVM loss (margin 1) + reg * sum(W^2), and its gradient (`> 0` at 0)."""
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.intp)
    n = X.shape[0]
    m = margins(W, X, y)
    active = (m > 0).astype(np.float64)
    active[np.arange(n), y] = -active.sum(axis=1)
    loss = np.maximum(m, 0.0).sum() / n + reg * np.sum(W ** 2)
    return float(loss), X.T.dot(active) / n + 2.0 * reg * W


@functools.lru_cache(maxsize=1)
def digits():
    """The course's digits split (train / val / test, bias column last), loaded once."""
    return load_module(LOSSDATA).load_digits_split()
