# kind: buggy
# replaces: lik-sigmoid-impl
# catches: test_sigmoid_bce_grad_random
# hint: extra sigmoid
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_mse_grad(z, y):
    """2 (s - y) s (1 - s) (correct)."""
    s = _sigmoid(np.asarray(z, dtype=np.float64))
    return 2.0 * (s - np.asarray(y, dtype=np.float64)) * s * (1.0 - s)


def sigmoid_bce_grad(z, y):
    """Multiplies by the sigmoid's derivative once too often."""
    s = _sigmoid(np.asarray(z, dtype=np.float64))
    return (s - np.asarray(y, dtype=np.float64)) * s * (1.0 - s)
