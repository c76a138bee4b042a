# kind: buggy
# replaces: lik-gaussian-impl
# catches: test_gaussian_nll_random
# hint: factor 0.5
import numpy as np


def mse_loss(pred, target):
    """Mean squared error (correct)."""
    residual = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return float(np.mean(residual ** 2))


def gaussian_nll(pred, target, sigma):
    """Drops the 0.5 of the normaliser."""
    residual = np.asarray(target, dtype=np.float64) - np.asarray(pred, dtype=np.float64)
    return float(np.mean(np.log(2 * np.pi * sigma ** 2) + residual ** 2 / (2 * sigma ** 2)))
