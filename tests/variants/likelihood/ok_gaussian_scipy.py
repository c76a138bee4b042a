# kind: correct
# replaces: lik-gaussian-impl
import numpy as np
from scipy.stats import norm


def mse_loss(pred, target):
    """np.square and np.average; returns an np.float64."""
    return np.average(np.square(np.subtract(pred, target, dtype=np.float64)))


def gaussian_nll(pred, target, sigma):
    """Minus SciPy's Gaussian log-density, averaged."""
    return float(-np.mean(norm.logpdf(np.asarray(target, dtype=np.float64),
                                      loc=np.asarray(pred, dtype=np.float64), scale=sigma)))
