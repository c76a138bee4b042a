# kind: correct
# replaces: lik-sigmoid-impl
import numpy as np


def _log_sigmoid(z):
    return -np.logaddexp(0.0, -z)


def sigmoid_mse_grad(z, y):
    """s (1 - s) = exp(log sigmoid(z) + log sigmoid(-z))."""
    z = np.asarray(z, dtype=np.float64)
    s = np.exp(_log_sigmoid(z))
    return 2.0 * (s - np.asarray(y, dtype=np.float64)) * np.exp(_log_sigmoid(z) + _log_sigmoid(-z))


def sigmoid_bce_grad(z, y):
    """exp(log sigmoid(z)) - y."""
    return np.exp(_log_sigmoid(np.asarray(z, dtype=np.float64))) - np.asarray(y, dtype=np.float64)
