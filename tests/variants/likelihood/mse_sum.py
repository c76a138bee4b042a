# kind: buggy
# replaces: lik-gaussian-impl
# catches: test_mse_loss_random
# hint: did you sum over the elements
import numpy as np


def mse_loss(pred, target):
    """The sum of the squared errors instead of their mean."""
    residual = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return float(np.sum(residual ** 2))


def gaussian_nll(pred, target, sigma):
    """Gaussian NLL (correct)."""
    residual = np.asarray(target, dtype=np.float64) - np.asarray(pred, dtype=np.float64)
    return float(np.mean(0.5 * np.log(2 * np.pi * sigma ** 2) + residual ** 2 / (2 * sigma ** 2)))
