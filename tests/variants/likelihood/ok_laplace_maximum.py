# kind: correct
# replaces: lik-laplace-impl
import numpy as np


def mae_loss(pred, target):
    """|r| as np.maximum(r, -r), scipy-free."""
    r = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return float(np.maximum(r, -r).mean())


def laplace_nll(pred, target, b):
    """log 2 + log b + mae / b."""
    return float(np.log(2.0) + np.log(b) + mae_loss(pred, target) / b)
