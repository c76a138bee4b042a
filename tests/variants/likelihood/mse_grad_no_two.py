# kind: buggy
# replaces: lik-sigmoid-impl
# catches: test_sigmoid_mse_grad_random, test_sigmoid_mse_grad_numerical
# hint: factor 2
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_mse_grad(z, y):
    """Forgets the 2 of the square's derivative."""
    s = _sigmoid(np.asarray(z, dtype=np.float64))
    return (s - np.asarray(y, dtype=np.float64)) * s * (1.0 - s)


def sigmoid_bce_grad(z, y):
    """s - y (correct)."""
    return _sigmoid(np.asarray(z, dtype=np.float64)) - np.asarray(y, dtype=np.float64)
