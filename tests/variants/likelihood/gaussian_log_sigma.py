# kind: buggy
# replaces: lik-gaussian-impl
# catches: test_gaussian_nll_random
# hint: variance sigma**2
import numpy as np


def mse_loss(pred, target):
    """Mean squared error (correct)."""
    residual = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return float(np.mean(residual ** 2))


def gaussian_nll(pred, target, sigma):
    """log(2 pi sigma) in the normaliser instead of log(2 pi sigma**2)."""
    residual = np.asarray(target, dtype=np.float64) - np.asarray(pred, dtype=np.float64)
    return float(np.mean(0.5 * np.log(2 * np.pi * sigma) + residual ** 2 / (2 * sigma ** 2)))
