# kind: correct
# replaces: lik-laplace-impl
import numpy as np
from scipy.stats import laplace


def mae_loss(pred, target):
    """The L1 norm of the flattened residual divided by its size."""
    r = np.ravel(np.subtract(target, pred, dtype=np.float64))
    return np.linalg.norm(r, 1) / r.size


def laplace_nll(pred, target, b):
    """Minus SciPy's Laplace log-density, averaged."""
    return -np.mean(laplace.logpdf(np.asarray(target, dtype=np.float64),
                                   loc=np.asarray(pred, dtype=np.float64), scale=b))
