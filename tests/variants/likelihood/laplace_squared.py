# kind: buggy
# replaces: lik-laplace-impl
# catches: test_laplace_nll_random
# hint: absolute error
import numpy as np


def mae_loss(pred, target):
    """Mean absolute error (correct)."""
    residual = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return float(np.mean(np.abs(residual)))


def laplace_nll(pred, target, b):
    """Squares the residual, as in the Gaussian."""
    residual = np.asarray(target, dtype=np.float64) - np.asarray(pred, dtype=np.float64)
    return float(np.mean(np.log(2 * b) + residual ** 2 / b))
