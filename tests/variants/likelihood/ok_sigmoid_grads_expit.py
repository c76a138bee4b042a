# kind: correct
# replaces: lik-sigmoid-impl
import numpy as np
from scipy.special import expit


def sigmoid_mse_grad(z, y):
    """SciPy's expit."""
    s = expit(np.asarray(z, dtype=np.float64))
    return 2 * (s - y) * s * (1 - s)


def sigmoid_bce_grad(z, y):
    """SciPy's expit."""
    return expit(np.asarray(z, dtype=np.float64)) - y
