# kind: buggy
# replaces: lik-laplace-impl
# catches: test_laplace_nll_random, test_laplace_nll_scale
# hint: not divided by the scale
import numpy as np


def mae_loss(pred, target):
    """Mean absolute error (correct)."""
    residual = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return float(np.mean(np.abs(residual)))


def laplace_nll(pred, target, b):
    """Forgets to divide the absolute error by b."""
    residual = np.asarray(target, dtype=np.float64) - np.asarray(pred, dtype=np.float64)
    return float(np.mean(np.log(2 * b) + np.abs(residual)))
