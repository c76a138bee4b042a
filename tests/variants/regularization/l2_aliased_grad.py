# kind: buggy
# replaces: reg-penalties-impl
# catches: test_l2_edge_cases
# hint: in-place
import numpy as np


def l2_penalty(W, reg):
    """Right values, but the gradient is W itself, scaled in place: the caller's W changes."""
    value = float(reg * np.sum(W * W))
    grad = W
    grad *= 2.0 * reg
    return value, grad


def l1_penalty(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(np.abs(W))), reg * np.sign(W)


def elastic_net_penalty(W, reg, beta):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(beta * W * W + np.abs(W))), reg * (2.0 * beta * W + np.sign(W))

