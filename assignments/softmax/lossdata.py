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
    mean: np.ndarray | None = None
    """The training mean subtracted from every input (without the bias), shape (D - 1,)."""


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
    return Split(prep(train), y[train], prep(val), y[val], prep(test), y[test], mean)


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
    return Split(prep(train), y[train], prep(val), y[val], prep(test), y[test], mean)


# ---------------------------------------------------------------------------------------------
# A provided trainer for the notebooks that come before students write their own SGD.


def gradient_descent(loss_fn, X: np.ndarray, y: np.ndarray, reg: float = 0.0,
                     learning_rate: float = 0.1, num_iters: int = 200):
    """Full-batch gradient descent from W = 0, for the notebooks before `regularization`.

    loss_fn: a function (W, X, y, reg) -> (loss, dW), e.g. your svm_loss_vectorized.
    Every step uses the whole training set (no minibatches, no randomness); the
    `regularization` assignment asks you to write the minibatch SGD trainer yourself.
    Returns (W, loss_history): W of shape (D, C) with C = max(y) + 1, and num_iters floats.
    """
    W = np.zeros((X.shape[1], int(np.max(y)) + 1))
    history = []
    for _ in range(num_iters):
        loss, dW = loss_fn(W, X, y, reg)
        history.append(float(loss))
        W = W - learning_rate * np.asarray(dW)  # a new array: the caller's W is never modified
    return W, history


# ---------------------------------------------------------------------------------------------
# Looking at the digits and at a classifier's errors.


def digit_images(X: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Prepared digit rows (N, 65) back to 8x8 images in [0, 1]: add the mean, drop the bias."""
    return (X[:, :64] + mean).reshape(-1, 8, 8)


def show_digits_per_class(split: Split, per_class: int = 8):
    """A figure of `per_class` training digits of each class and the mean training image."""
    import matplotlib.pyplot as plt

    images = digit_images(split.X_train, split.mean)
    fig, axes = plt.subplots(10, per_class + 1, figsize=(0.9 * (per_class + 1), 9.6))
    for c in range(10):
        rows = np.flatnonzero(split.y_train == c)[:per_class]
        for k, ax in enumerate(axes[c, :per_class]):
            ax.imshow(images[rows[k]], cmap="gray_r", vmin=0, vmax=1)
        axes[c, 0].set_ylabel(f"{c}", rotation=0, labelpad=12, fontsize=12)
    axes[0, -1].set_title("mean", fontsize=10)
    axes[0, -1].imshow(split.mean.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[1:, -1]:
        ax.axis("off")
    fig.suptitle("Training digits per class (rows) and the mean training image")
    fig.tight_layout()
    return fig


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int = 10) -> np.ndarray:
    """counts[i, j] = number of examples of true class i predicted as class j."""
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return counts


def show_errors(X: np.ndarray, y_true: np.ndarray, y_pred: np.ndarray, mean: np.ndarray,
                max_shown: int = 16):
    """Misclassified digits (true and predicted labels) beside the confusion matrix."""
    import matplotlib.pyplot as plt

    wrong = np.flatnonzero(y_true != y_pred)[:max_shown]
    images = digit_images(X[wrong], mean)
    fig = plt.figure(figsize=(13, 5.2))
    grid = fig.add_gridspec(4, 9, width_ratios=[1] * 4 + [0.3] + [1.2] * 4)
    for k in range(16):
        ax = fig.add_subplot(grid[k // 4, k % 4])
        ax.set_xticks([])
        ax.set_yticks([])
        if k < len(wrong):
            ax.imshow(images[k], cmap="gray_r", vmin=0, vmax=1)
            ax.set_title(f"true {y_true[wrong[k]]}, pred {y_pred[wrong[k]]}", fontsize=8)
        else:
            ax.axis("off")
    ax = fig.add_subplot(grid[:, 5:])
    counts = confusion_matrix(y_true, y_pred)
    image = ax.imshow(counts, cmap="Blues")
    for (i, j), n in np.ndenumerate(counts):
        if n:
            ax.text(j, i, str(n), ha="center", va="center", fontsize=8,
                    color="white" if n > counts.max() / 2 else "black")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("Confusion matrix (validation)")
    fig.colorbar(image, ax=ax, label="number of images")
    fig.suptitle(f"{len(np.flatnonzero(y_true != y_pred))} misclassified validation digits "
                 f"(first {len(wrong)} shown)")
    fig.tight_layout()
    return fig


def show_templates(W: np.ndarray, title: str):
    """The 64 pixel weights of each class (bias row dropped) as 8x8 images, one colour scale."""
    import matplotlib.pyplot as plt

    limit = np.abs(W[:64]).max()
    fig, axes = plt.subplots(1, W.shape[1], figsize=(1.3 * W.shape[1] + 1, 2.0))
    for c, ax in enumerate(axes):
        image = ax.imshow(W[:64, c].reshape(8, 8), cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(f"class {c}")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(image, ax=list(axes), label="weight", shrink=0.9)
    fig.suptitle(title, y=1.08)
    return fig


# ---------------------------------------------------------------------------------------------
# A gradient checker for the notebooks before `softmax_classifier` (where you write your own).


def check_gradient(f, x: np.ndarray, analytic: np.ndarray, coords, h: float = 1e-5):
    """Compare analytic[c] with a centered difference of f at each coordinate c in coords.

    f: function of an array shaped like x returning a float. x is not modified.
    Prints one line per coordinate (numeric, analytic, relative error) and returns the
    relative errors as an array.
    """
    errors = []
    print(f"{'coordinate':>12} {'numeric':>14} {'analytic':>14} {'rel. error':>11}")
    for c in coords:
        step = np.zeros_like(x)
        step[c] = h
        numeric = (f(x + step) - f(x - step)) / (2 * h)
        exact = analytic[c]
        error = abs(numeric - exact) / max(1e-8, abs(numeric) + abs(exact))
        errors.append(error)
        print(f"{str(c):>12} {numeric:14.8f} {exact:14.8f} {error:11.2e}")
    return np.array(errors)
