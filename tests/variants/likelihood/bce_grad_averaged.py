# kind: buggy
# replaces: lik-sigmoid-impl
# catches: test_sigmoid_bce_grad_random, test_sigmoid_bce_grad_known
# hint: elementwise
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_mse_grad(z, y):
    """2 (s - y) s (1 - s) (correct)."""
    s = _sigmoid(np.asarray(z, dtype=np.float64))
    return 2.0 * (s - np.asarray(y, dtype=np.float64)) * s * (1.0 - s)


def sigmoid_bce_grad(z, y):
    """Divides by the number of elements, as if it were the gradient of a mean."""
    z = np.asarray(z, dtype=np.float64)
    return (_sigmoid(z) - np.asarray(y, dtype=np.float64)) / z.size
