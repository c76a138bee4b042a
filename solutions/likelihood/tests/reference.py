"""Reference implementations for the likelihood assignment (instructor only, float64).

Written independently of the solution notebook (the normalisers are pulled out of the mean,
the sigmoid comes from np.logaddexp), so that "the solution scores full marks" tests both.
"""
import numpy as np


def _residual(pred, target):
    return np.subtract(np.asarray(target, dtype=np.float64), np.asarray(pred, dtype=np.float64))


def mse_loss(pred, target):
    return float(np.mean(np.square(_residual(pred, target))))


def mae_loss(pred, target):
    return float(np.mean(np.abs(_residual(pred, target))))


def gaussian_nll(pred, target, sigma):
    var = float(sigma) ** 2
    return float(0.5 * np.log(2.0 * np.pi * var) + mse_loss(pred, target) / (2.0 * var))


def laplace_nll(pred, target, b):
    b = float(b)
    return float(np.log(2.0 * b) + mae_loss(pred, target) / b)


def sigmoid(z):
    """1 / (1 + exp(-z)) = exp(-softplus(-z)), without overflow."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=np.float64)))


def sigmoid_mse_grad(z, y):
    s = sigmoid(z)
    # 1 - sigmoid(z) = sigmoid(-z), exact also where sigmoid(z) rounds to 1
    return 2.0 * (s - np.asarray(y, dtype=np.float64)) * s * sigmoid(-np.asarray(z, np.float64))


def sigmoid_bce_grad(z, y):
    return sigmoid(z) - np.asarray(y, dtype=np.float64)


def sigmoid_mse_loss(z, y):
    """Sum over elements of (sigmoid(z) - y)**2: the loss whose gradient is sigmoid_mse_grad."""
    return float(np.sum((sigmoid(z) - np.asarray(y, dtype=np.float64)) ** 2))


def sigmoid_bce_loss(z, y):
    """Sum over elements of BCE(sigmoid(z), y), from the logits."""
    z, y = np.asarray(z, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.sum(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))
