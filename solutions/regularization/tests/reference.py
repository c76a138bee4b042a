"""Reference implementation of the regularization assignment (instructor only, float64).

Written independently of the solution notebook, so that "the solution scores full marks" tests
both. `softmax_loss` repeats, operation for operation, the loss the worker builds for
training checks (worker.py, "softmax_loss"), so a run of the spec's recipe here gives the
student's weights bit for bit.
"""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from autograder.runner import load_module

LOSSDATA = Path(__file__).resolve().parents[3] / "common" / "lossdata.py"
"""The course's data helper (the file students receive next to their notebook)."""


def l2_penalty(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(np.square(W))), 2.0 * reg * W


def l1_penalty(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(np.abs(W))), reg * np.sign(W)


def elastic_net_penalty(W, reg, beta):
    W = np.asarray(W, dtype=np.float64)
    return (float(reg * np.sum(beta * np.square(W) + np.abs(W))),
            reg * (2.0 * beta * W + np.sign(W)))


def softmax_loss(W, X, y, reg):
    """The worker's training loss, the same operations in the same order."""
    rows = np.arange(X.shape[0])
    s = np.einsum("nd,dc->nc", X, W)
    s = s - s.max(axis=1, keepdims=True)
    lse = np.log(np.exp(s).sum(axis=1))
    p = np.exp(s - lse[:, None])
    p[rows, y] -= 1.0
    loss = float(np.mean(lse - s[rows, y]) + reg * np.sum(W * W))
    return loss, np.einsum("nd,nc->dc", X, p) / X.shape[0] + 2.0 * reg * W


def train(X, y, loss_fn, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, seed=0):
    """The spec's recipe: one generator; W first; then a batch with replacement per step."""
    X, y = np.asarray(X), np.asarray(y)
    gen = np.random.default_rng(seed)
    W = 0.001 * gen.standard_normal((X.shape[1], int(y.max()) + 1))
    history = np.empty(num_iters)
    for step in range(num_iters):
        batch = gen.choice(X.shape[0], batch_size, replace=True)
        history[step], dW = loss_fn(W, X[batch], y[batch], reg)
        W = W - learning_rate * dW
    return W, history


def predict(W, X):
    return np.argmax(np.asarray(X, dtype=np.float64) @ np.asarray(W, dtype=np.float64), axis=1)


@functools.lru_cache(maxsize=1)
def digits():
    """The course's digits split (train / val / test, bias column last), loaded once."""
    return load_module(LOSSDATA).load_digits_split()
