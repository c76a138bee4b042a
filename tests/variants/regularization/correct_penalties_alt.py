# kind: correct
# replaces: reg-penalties-impl
import numpy as np


def l2_penalty(W, reg):
    """np.vdot of the flattened weights, np.float64 returned."""
    W = np.asarray(W, dtype=np.float64)
    return np.float64(reg * np.vdot(W, W)), W * (2 * reg)


def l1_penalty(W, reg):
    """A sign built from masks, a 0-d array as the value."""
    W = np.asarray(W, dtype=np.float64)
    sign = (W > 0).astype(np.float64) - (W < 0)
    return np.asarray(reg * np.abs(W).sum()), reg * sign


def elastic_net_penalty(W, reg, beta):
    """Built from the other two penalties."""
    v2, g2 = l2_penalty(W, reg * beta)
    v1, g1 = l1_penalty(W, reg)
    return float(v2 + v1), g2 + g1

