# kind: correct
# replaces: lik-gaussian-impl
import math

import numpy as np


def mse_loss(pred, target):
    """A loop over the flattened elements."""
    p = np.ravel(np.asarray(pred, dtype=np.float64))
    t = np.ravel(np.asarray(target, dtype=np.float64))
    return sum((a - b) ** 2 for a, b in zip(p, t)) / len(p)


def gaussian_nll(pred, target, sigma):
    """The normaliser once, plus the mean squared error over 2 sigma^2."""
    variance = sigma * sigma
    return 0.5 * math.log(2 * math.pi * variance) + mse_loss(pred, target) / (2 * variance)
