"""Offline datasets for the loss-functions course (no downloads).

Students receive this file next to their notebook. It prepares scikit-learn's bundled
data sets exactly as the course specification says, so every notebook, the public checks
and the grader see the same arrays.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DIGITS_SPLIT_SEED = 0
"""Seed of the train / validation / test permutation of the digits data."""


@dataclass(frozen=True)
class Split:
    """A prepared classification data set."""

    X_train: np.ndarray
    """Training inputs, shape (N_train, D), float64, bias column last."""
    y_train: np.ndarray
    """Training labels, shape (N_train,), int64."""
    X_val: np.ndarray
    """Validation inputs, shape (N_val, D)."""
    y_val: np.ndarray
    """Validation labels, shape (N_val,)."""
    X_test: np.ndarray
    """Test inputs, shape (N_test, D)."""
    y_test: np.ndarray
    """Test labels, shape (N_test,)."""


def add_bias(X: np.ndarray) -> np.ndarray:
    """Append a column of ones (the bias trick): (N, D) -> (N, D + 1)."""
    return np.hstack([X, np.ones((X.shape[0], 1))])


def load_digits_split(seed: int = DIGITS_SPLIT_SEED) -> Split:
    """The 8x8 digits: scaled by 1/16, training mean subtracted, bias column appended.

    1797 images are split 1197 / 300 / 300 by a seeded permutation.
    Returns a Split whose X arrays have shape (N, 65).
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = digits.data.astype(np.float64) / 16.0
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    train, val, test = order[:1197], order[1197:1497], order[1497:]
    mean = X[train].mean(axis=0)
    prep = lambda rows: add_bias(X[rows] - mean)  # noqa: E731 - one-line preparation
    return Split(prep(train), y[train], prep(val), y[val], prep(test), y[test])


def load_breast_cancer_split(seed: int = DIGITS_SPLIT_SEED) -> Split:
    """Breast cancer (binary, y in {0, 1}): standardized with training statistics, bias appended.

    569 examples are split 369 / 100 / 100 by a seeded permutation.
    """
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    X = data.data.astype(np.float64)
    y = data.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    train, val, test = order[:369], order[369:469], order[469:]
    mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    prep = lambda rows: add_bias((X[rows] - mean) / std)  # noqa: E731
    return Split(prep(train), y[train], prep(val), y[val], prep(test), y[test])
