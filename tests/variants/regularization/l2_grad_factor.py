# kind: buggy
# replaces: reg-penalties-impl
# catches: test_l2_random, test_l2_known
# hint: 2 * reg * w
import numpy as np


def l2_penalty(W, reg):
    """Right value; the gradient forgets the 2 of d(w^2)/dw."""
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(W * W)), reg * W


def l1_penalty(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(np.abs(W))), reg * np.sign(W)


def elastic_net_penalty(W, reg, beta):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(beta * W * W + np.abs(W))), reg * (2.0 * beta * W + np.sign(W))

