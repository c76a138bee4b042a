# kind: buggy
# replaces: lik-laplace-impl
# catches: test_laplace_nll_random
# hint: log(2 * b)
import numpy as np


def mae_loss(pred, target):
    """Mean absolute error (correct)."""
    residual = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return float(np.mean(np.abs(residual)))


def laplace_nll(pred, target, b):
    """log(b) as the normaliser."""
    residual = np.asarray(target, dtype=np.float64) - np.asarray(pred, dtype=np.float64)
    return float(np.mean(np.log(b) + np.abs(residual) / b))
