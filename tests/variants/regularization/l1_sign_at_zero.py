# kind: buggy
# replaces: reg-penalties-impl
# catches: test_l1_zero_subgradient, test_l1_known
# hint: exactly 0
import numpy as np


def l2_penalty(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(W * W)), 2.0 * reg * W


def l1_penalty(W, reg):
    """Subgradient +reg at 0 instead of 0."""
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(np.abs(W))), np.where(W >= 0, reg, -reg)


def elastic_net_penalty(W, reg, beta):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(beta * W * W + np.abs(W))), reg * (2.0 * beta * W + np.sign(W))

