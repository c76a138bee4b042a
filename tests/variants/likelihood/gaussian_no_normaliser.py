# kind: buggy
# replaces: lik-gaussian-impl
# catches: test_gaussian_nll_random
# hint: normaliser
import numpy as np


def mse_loss(pred, target):
    """Mean squared error (correct)."""
    residual = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return float(np.mean(residual ** 2))


def gaussian_nll(pred, target, sigma):
    """Only the squared-error term: the normaliser is dropped as 'a constant'."""
    residual = np.asarray(target, dtype=np.float64) - np.asarray(pred, dtype=np.float64)
    return float(np.mean(residual ** 2 / (2 * sigma ** 2)))
