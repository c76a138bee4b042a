"""Common mistakes of the likelihood assignment (instructor only).

Each function takes the inputs of one check and returns catalog entries: the output a
cataloged mistake would give on those inputs, with a hint that names the mistake. A hint is
shown only when a failing output matches; it never contains an input or an expected value
(it may say how many elements the check averages over).
"""
import numpy as np

from autograder.checks import nonfinite_hint, ratio_hint, same_as

ROOT = "this is the root of the mean squared error (RMSE): do not take the square root"
HALF = "a factor 0.5 crept in: mse_loss is mean((pred - target)**2), without 1/2"
ABS_NOT_SQUARE = "the residuals are taken in absolute value instead of squared"
SQUARE_NOT_ABS = "the residuals are squared instead of taken in absolute value"
NO_SQUARE = "the residuals are averaged without squaring them, so errors of opposite sign cancel"
NO_ABS = "the absolute value is missing, so errors of opposite sign cancel"
ONE_AXIS = ("the mean is taken over one axis only: average over all elements "
            "(np.mean without an axis)")
LAST_AXIS_SUM = ("the errors are summed over the last axis before averaging: the loss averages "
                 "over all elements")
G_LOG_SIGMA = ("the normaliser uses log(2 pi sigma): it is 0.5 * log(2 pi sigma**2), with the "
               "variance sigma**2")
G_NO_HALF = "the normaliser lacks its factor 0.5: it is 0.5 * log(2 pi sigma**2)"
G_SIGMA2 = ("the squared error is divided by sigma**2 instead of 2 * sigma**2")
G_NO_NORMALISER = ("the normaliser 0.5 * log(2 pi sigma**2) is missing: it depends on sigma, "
                   "so it belongs in the negative log-likelihood")
G_NORMALISER_SIGN = ("the normaliser has the wrong sign: the log-likelihood has "
                     "-0.5 * log(2 pi sigma**2), so the negative log-likelihood has +")
G_SIGMA_AS_VARIANCE = "sigma was used as the variance: the variance is sigma**2"
G_NO_2PI = "the 2 pi inside the normaliser's log is missing"
SUM_SQUARES = ("the squared errors are summed, not averaged, while the normaliser is counted "
               "once")
L_LOG_B = "the normaliser is log(2 * b), not log(b)"
L_NO_SCALE = "the absolute error is not divided by the scale b"
L_TWO_B = "the absolute error is divided by 2 * b: it is divided by b"
L_NO_NORMALISER = ("the normaliser log(2 * b) is missing: it depends on b, so it belongs in the "
                   "negative log-likelihood")
L_NORMALISER_SIGN = "the normaliser has the wrong sign: the NLL adds log(2 * b)"
L_SQUARED = "the Laplace NLL uses the absolute error |target - pred|, not its square"
CHAIN = ("the derivative of the sigmoid is missing (chain rule): d/dz (sigmoid(z) - y)**2 = "
         "2 * (sigmoid(z) - y) * sigmoid(z) * (1 - sigmoid(z))")
TWO = "the factor 2 from the derivative of the square is missing"
GRAD_SIGN = "the gradient has the wrong sign: it is sigmoid(z) - y, not y - sigmoid(z)"
Z_NOT_SIGMOID = "z was used where sigmoid(z) belongs"
BCE_GRAD = "this is the BCE gradient sigmoid(z) - y, not the gradient of the squared error"
MSE_GRAD = "this is the gradient of the squared error, not of the BCE (sigmoid(z) - y)"
EXTRA_DERIVATIVE = ("an extra sigmoid(z) * (1 - sigmoid(z)) factor: in the BCE it cancels against "
                    "1 / (p (1 - p)), leaving sigmoid(z) - y")
AVERAGED = "the gradient is elementwise: do not divide by the number of elements"
SIGMOID_OVERFLOW = ("exp(-z) overflows for large negative z (np.where evaluates both branches, "
                    "so a guarded exp(-z) still overflows): compute exp(-|z|) only, or use "
                    "np.logaddexp")
NONFINITE = "the result has nan or inf: a sigmoid that overflows or divides inf by inf"


def _res(pred, target):
    return np.subtract(np.asarray(target, dtype=np.float64), np.asarray(pred, dtype=np.float64))


def sum_not_mean(n):
    if n <= 1:
        return []
    return [ratio_hint(float(n), "your loss is too large by a factor of the number of elements: did "
                                 "you sum over the elements instead of taking the mean?")]


def _axes(d, reduce):
    """Mistakes that average over one axis only (a vector), or sum over the last axis."""
    found = []
    if d.ndim >= 2:
        found += [same_as(reduce(d, 0), ONE_AXIS), same_as(reduce(d, -1), ONE_AXIS),
                  ratio_hint(float(d.shape[-1]), LAST_AXIS_SUM)]
    return found


def mse_loss(pred, target):
    d = _res(pred, target)
    m = float(np.mean(d * d))
    return sum_not_mean(d.size) + _axes(d, lambda a, ax: np.mean(a * a, axis=ax)) + [
        same_as(np.sqrt(m), ROOT), ratio_hint(0.5, HALF),
        same_as(float(np.mean(np.abs(d))), ABS_NOT_SQUARE),
        same_as(float(np.mean(d)), NO_SQUARE), same_as(-float(np.mean(d)), NO_SQUARE)]


def mae_loss(pred, target):
    d = _res(pred, target)
    return sum_not_mean(d.size) + _axes(d, lambda a, ax: np.mean(np.abs(a), axis=ax)) + [
        same_as(float(np.mean(d * d)), SQUARE_NOT_ABS), same_as(float(np.mean(d)), NO_ABS),
        same_as(-float(np.mean(d)), NO_ABS)]


def gaussian_nll(pred, target, sigma):
    d = _res(pred, target)
    s = float(sigma)
    m = float(np.mean(d * d))
    norm = 0.5 * np.log(2 * np.pi * s * s)
    with np.errstate(all="ignore"):
        return [
            same_as(0.5 * np.log(2 * np.pi * s) + m / (2 * s * s), G_LOG_SIGMA),
            same_as(2 * norm + m / (2 * s * s), G_NO_HALF),
            same_as(norm + m / (s * s), G_SIGMA2),
            same_as(m / (2 * s * s), G_NO_NORMALISER),
            same_as(-norm + m / (2 * s * s), G_NORMALISER_SIGN),
            same_as(0.5 * np.log(2 * np.pi * s) + m / (2 * s), G_SIGMA_AS_VARIANCE),
            same_as(np.log(s) + m / (2 * s * s), G_NO_2PI),
            same_as(norm + d.size * m / (2 * s * s), SUM_SQUARES)] + sum_not_mean(d.size)


def laplace_nll(pred, target, b):
    d = _res(pred, target)
    b = float(b)
    m = float(np.mean(np.abs(d)))
    with np.errstate(all="ignore"):
        return [
            same_as(np.log(b) + m / b, L_LOG_B), same_as(np.log(2 * b) + m, L_NO_SCALE),
            same_as(np.log(2 * b) + m / (2 * b), L_TWO_B), same_as(m / b, L_NO_NORMALISER),
            same_as(-np.log(2 * b) + m / b, L_NORMALISER_SIGN),
            same_as(np.log(2 * b) + float(np.mean(d * d)) / b, L_SQUARED),
            same_as(np.log(2 * b) + d.size * m / b, SUM_SQUARES.replace("squared", "absolute"))
        ] + sum_not_mean(d.size)


def _sig(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=np.float64)))


def sigmoid_mse_grad(z, y, n=None):
    """n: the number of elements of the call (when z and y are a subset of its entries)."""
    z = np.asarray(z, dtype=np.float64)
    s, y = _sig(z), np.asarray(y, dtype=np.float64)
    deriv = s * _sig(-z)
    n = n or np.broadcast(z, y).size
    found = [ratio_hint(0.5, TWO), ratio_hint(-1.0, GRAD_SIGN), same_as(2 * (s - y), CHAIN),
             same_as(s - y, CHAIN), same_as(2 * (z - y) * deriv, Z_NOT_SIGMOID),
             same_as(2 * (s - y) * z * (1 - z), Z_NOT_SIGMOID), nonfinite_hint(NONFINITE)]
    if n > 1:
        found.append(ratio_hint(1.0 / n, AVERAGED))
    return found


def sigmoid_bce_grad(z, y, n=None):
    """n: the number of elements of the call (when z and y are a subset of its entries)."""
    z = np.asarray(z, dtype=np.float64)
    s, y = _sig(z), np.asarray(y, dtype=np.float64)
    n = n or np.broadcast(z, y).size
    found = [ratio_hint(-1.0, GRAD_SIGN), same_as((s - y) * s * _sig(-z), EXTRA_DERIVATIVE),
             same_as(2 * (s - y) * s * _sig(-z), MSE_GRAD), same_as(z - y, Z_NOT_SIGMOID),
             nonfinite_hint(NONFINITE)]
    if n > 1:
        found.append(ratio_hint(1.0 / n, AVERAGED))
    return found
