# kind: buggy
# replaces: reg-penalties-impl
# catches: test_elastic_random, test_elastic_known
# hint: beta multiplies the wrong term
import numpy as np


def l2_penalty(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(W * W)), 2.0 * reg * W


def l1_penalty(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(np.abs(W))), reg * np.sign(W)


def elastic_net_penalty(W, reg, beta):
    """Puts beta on the absolute values instead of the squares."""
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(W * W + beta * np.abs(W))), reg * (2.0 * W + beta * np.sign(W))

