# kind: buggy
# replaces: lik-sigmoid-impl
# catches: test_sigmoid_mse_grad_stable
# hint: overflows
import numpy as np


def sigmoid_mse_grad(z, y):
    """The textbook sigmoid: exp(-z) overflows for z = -1000."""
    s = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))
    return 2.0 * (s - np.asarray(y, dtype=np.float64)) * s * (1.0 - s)


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_bce_grad(z, y):
    """s - y (correct)."""
    return _sigmoid(np.asarray(z, dtype=np.float64)) - np.asarray(y, dtype=np.float64)
