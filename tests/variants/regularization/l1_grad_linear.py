# kind: buggy
# replaces: reg-penalties-impl
# catches: test_l1_random, test_l1_numerical, test_l1_known
# hint: proportional to w
import numpy as np


def l2_penalty(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(W * W)), 2.0 * reg * W


def l1_penalty(W, reg):
    """Uses reg * W as the subgradient."""
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(np.abs(W))), reg * W


def elastic_net_penalty(W, reg, beta):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(beta * W * W + np.abs(W))), reg * (2.0 * beta * W + np.sign(W))

