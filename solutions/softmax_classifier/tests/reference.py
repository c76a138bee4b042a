"""Reference implementation of the softmax_classifier assignment (instructor only, float64).

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


def log_softmax(scores):
    """Row-wise log-probabilities, shifted by each row's maximum (no overflow)."""
    s = np.asarray(scores, dtype=np.float64)
    top = s.max(axis=-1, keepdims=True)
    return s - top - np.log(np.exp(s - top).sum(axis=-1, keepdims=True))


def softmax_loss(W, X, y, reg):
    """Mean cross-entropy of softmax(X @ W) + reg * sum(W^2), and its gradient."""
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.intp)
    n = X.shape[0]
    logp = log_softmax(X @ W)
    picked = logp[np.arange(n), y]
    dscores = np.exp(logp)
    np.subtract.at(dscores, (np.arange(n), y), 1.0)
    return float(-picked.mean() + reg * np.sum(W ** 2)), X.T.dot(dscores) / n + 2.0 * reg * W


def numerical_gradient(f, x, h=1e-5):
    """Centered differences (f(x + h e_k) - f(x - h e_k)) / 2h, on a copy of x."""
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for k in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[k] = x[k] + h
        down[k] = x[k] - h
        grad[k] = (f(up) - f(down)) / (2.0 * h)
    return grad


def poly(a, b, c):
    """f(x) = sum(a x^3 + b x^2 + c x), the worker's "poly" function, evaluated here."""
    return lambda x: float(np.sum(a * x ** 3 + b * x ** 2 + c * x))


def rel_error(a, b):
    """max |a - b| / max(1e-8, |a| + |b|)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


@functools.lru_cache(maxsize=1)
def digits():
    """The course's digits split (train / val / test, bias column last), loaded once."""
    return load_module(LOSSDATA).load_digits_split()
