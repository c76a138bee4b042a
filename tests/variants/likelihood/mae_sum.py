# kind: buggy
# replaces: lik-laplace-impl
# catches: test_mae_loss_random
# hint: did you sum over the elements
import numpy as np


def mae_loss(pred, target):
    """The sum of the absolute errors."""
    residual = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return float(np.sum(np.abs(residual)))


def laplace_nll(pred, target, b):
    """Laplace NLL (correct)."""
    residual = np.asarray(target, dtype=np.float64) - np.asarray(pred, dtype=np.float64)
    return float(np.mean(np.log(2 * b) + np.abs(residual) / b))
