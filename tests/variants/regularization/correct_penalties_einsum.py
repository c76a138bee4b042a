# kind: correct
# replaces: reg-penalties-impl
import numpy as np


def l2_penalty(W, reg):
    """einsum over all axes, np.square for the gradient check."""
    W = np.array(W, dtype=np.float64)
    return float(reg * np.einsum("i,i->", W.ravel(), W.ravel())), 2 * reg * W


def l1_penalty(W, reg):
    """np.linalg.norm with ord 1 of the flattened weights."""
    W = np.array(W, dtype=np.float64)
    return float(reg * np.linalg.norm(W.ravel(), 1)), np.where(W == 0, 0.0, reg * np.sign(W))


def elastic_net_penalty(W, reg, beta):
    """Two sums instead of one."""
    W = np.array(W, dtype=np.float64)
    return (float(reg * beta * np.sum(np.square(W)) + reg * np.sum(np.abs(W))),
            2 * reg * beta * W + reg * np.sign(W))

