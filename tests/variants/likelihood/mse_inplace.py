# kind: buggy
# replaces: lik-gaussian-impl
# catches: test_mse_loss_not_mutated
# hint: in-place
import numpy as np


def mse_loss(pred, target):
    """Computes the residual in the caller's pred array."""
    pred = np.asarray(pred, dtype=np.float64)
    pred -= np.asarray(target, dtype=np.float64)
    return float(np.mean(pred ** 2))


def gaussian_nll(pred, target, sigma):
    """Gaussian NLL (correct)."""
    residual = np.asarray(target, dtype=np.float64) - np.asarray(pred, dtype=np.float64)
    return float(np.mean(0.5 * np.log(2 * np.pi * sigma ** 2) + residual ** 2 / (2 * sigma ** 2)))
