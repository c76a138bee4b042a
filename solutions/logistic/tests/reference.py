"""Reference implementations for the logistic assignment (instructor only, float64).

Written independently of the solution notebook (softplus through np.logaddexp, the sigmoid
through boolean masks), so that "the solution scores full marks" tests both.
"""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    flat = np.atleast_1d(z).ravel()
    out = np.empty_like(flat)
    pos = flat >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-flat[pos]))
    ez = np.exp(flat[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out.reshape(z.shape)


def softplus(z):
    """log(1 + exp(z)) without overflow."""
    return np.logaddexp(0.0, np.asarray(z, dtype=np.float64))


def bce(p, y):
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return float(np.mean(-(y * np.log(p) + (1.0 - y) * np.log1p(-p))))


def bce_with_logits(z, y):
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    # -log sigmoid(z) = softplus(-z), -log(1 - sigmoid(z)) = softplus(z)
    return float(np.mean(y * softplus(-z) + (1.0 - y) * softplus(z)))


def logistic_loss(w, X, y, reg):
    w = np.asarray(w, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    z = X @ w
    loss = bce_with_logits(z, y) + reg * float(w @ w)
    dw = X.T @ (sigmoid(z) - y) / X.shape[0] + 2.0 * reg * w
    return loss, dw
