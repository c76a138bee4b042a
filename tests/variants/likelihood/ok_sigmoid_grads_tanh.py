# kind: correct
# replaces: lik-sigmoid-impl
import numpy as np


def sigmoid_mse_grad(z, y):
    """sigmoid through tanh, which never overflows."""
    s = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))
    return 2.0 * (s - y) * s * (1.0 - s)


def sigmoid_bce_grad(z, y):
    """sigmoid through tanh."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64))) - y
