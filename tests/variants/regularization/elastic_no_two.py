# kind: buggy
# replaces: reg-penalties-impl
# catches: test_elastic_random, test_elastic_numerical, test_elastic_known
# hint: factor 2 is missing
import numpy as np


def l2_penalty(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(W * W)), 2.0 * reg * W


def l1_penalty(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(np.abs(W))), reg * np.sign(W)


def elastic_net_penalty(W, reg, beta):
    """Right value; the gradient of beta * W**2 lacks its 2."""
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(beta * W * W + np.abs(W))), reg * (beta * W + np.sign(W))

