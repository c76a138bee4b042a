"""Reference implementations for the softmax assignment (instructor only, float64).

Written independently of the solution notebook so that "the solution scores full marks" is a
real test of both.
"""
import numpy as np


def softmax(scores):
    s = np.asarray(scores, dtype=np.float64)
    z = s - s.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def logsumexp(scores):
    s = np.asarray(scores, dtype=np.float64)
    m = s.max(axis=-1)
    out = m + np.log(np.exp(s - m[..., None]).sum(axis=-1))
    return float(out) if out.ndim == 0 else out


def log_softmax(scores):
    s = np.asarray(scores, dtype=np.float64)
    return s - np.asarray(logsumexp(s))[..., None]


def cross_entropy(scores, y):
    lp = np.atleast_2d(log_softmax(scores))
    y = np.atleast_1d(np.asarray(y))
    return float(-lp[np.arange(len(y)), y].mean())


def soft_cross_entropy(scores, targets):
    lp = np.atleast_2d(log_softmax(scores))
    t = np.atleast_2d(np.asarray(targets, dtype=np.float64))
    return float(-(t * lp).sum(axis=-1).mean())


def kl_divergence(p, q):
    p = np.atleast_2d(np.asarray(p, dtype=np.float64))
    q = np.atleast_2d(np.asarray(q, dtype=np.float64))
    safe_p = np.where(p > 0, p, 1.0)
    terms = np.where(p > 0, p * (np.log(safe_p) - np.log(np.where(p > 0, q, 1.0))), 0.0)
    return float(terms.sum(axis=-1).mean())


def cross_entropy_grad(scores, y):
    s = np.asarray(scores, dtype=np.float64)
    p = np.atleast_2d(softmax(s)).copy()
    y = np.atleast_1d(np.asarray(y))
    p[np.arange(len(y)), y] -= 1.0
    p /= len(y)
    return p.reshape(s.shape)
