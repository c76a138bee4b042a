# kind: buggy
# replaces: lik-sigmoid-impl
# catches: test_sigmoid_bce_grad_random, test_sigmoid_bce_grad_numerical
# hint: wrong sign
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_mse_grad(z, y):
    """2 (s - y) s (1 - s) (correct)."""
    s = _sigmoid(np.asarray(z, dtype=np.float64))
    return 2.0 * (s - np.asarray(y, dtype=np.float64)) * s * (1.0 - s)


def sigmoid_bce_grad(z, y):
    """y - sigmoid(z)."""
    return np.asarray(y, dtype=np.float64) - _sigmoid(np.asarray(z, dtype=np.float64))
