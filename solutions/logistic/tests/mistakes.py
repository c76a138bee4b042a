"""Common mistakes of the logistic assignment (instructor only).

Each function takes the inputs of one check and returns catalog entries: the output a
cataloged mistake would give on those inputs, with a hint that names the mistake. A hint is
shown only when a failing output matches; it never contains an input or an expected value
(it may say N, the number of examples of that check).
"""
import numpy as np

from autograder.checks import nonfinite_hint, offset_hint, ratio_hint, same_as

SIGMOID_SIGN = "the sign is flipped: sigmoid(z) = 1 / (1 + exp(-z)) grows with z"
SIGMOID_TANH = "tanh(z) is not the sigmoid: sigmoid(z) = (1 + tanh(z / 2)) / 2"
SIGMOID_DERIVATIVE = "this is the derivative sigmoid(z) * (1 - sigmoid(z)), not the sigmoid"
SIGMOID_OVERFLOW = ("exp(-z) overflows for large negative z (and np.where evaluates both "
                    "branches, so a guarded exp(-z) still overflows): compute exp(-|z|) "
                    "only, or use np.logaddexp")
SWAPPED = ("the labels are swapped: y multiplies log(p) and (1 - y) multiplies "
           "log(1 - p)")
MISSING_NEGATIVE_TERM = "the (1 - y) * log(1 - p) term is missing"
SIGN = "the loss has the wrong sign: cross-entropy is -log p, a positive number"
CLIPPED = ("p was clipped before the log: bce is exact for p in [1e-12, 1 - 1e-12], so do "
           "not clip (use np.log1p(-p) for log(1 - p))")
CLIPPED_LOGITS = ("sigmoid(z) was clipped before the log: at extreme logits that caps the loss; "
                  "compute the loss from the logits with softplus (np.logaddexp(0, z))")
UNSIGNED = ("-y on unsigned integer labels wraps around (-1 becomes 255): convert y to float "
            "before negating it")
LOG_BASE = "the log is not the natural log: use np.log"
LOGIT_SIGN = "the sign of the logits is flipped: p = sigmoid(z) = 1 / (1 + exp(-z))"
NO_YZ = "the - y * z term is missing: BCE(z, y) = softplus(z) - y * z"
HARD_LABELS = ("y may be soft (between 0 and 1): weight the two terms by y and 1 - y instead "
               "of choosing one by the label")
NAIVE_BCE = ("the naive BCE -log(sigmoid(z)) takes log(0) at extreme logits, and "
             "log(1 + exp(z)) overflows: use softplus, np.logaddexp(0, z) or "
             "max(z, 0) + log1p(exp(-|z|))")
REG_MISSING = "the regularization term reg * sum(w * w) is missing from the loss"
REG_HALF = ("the regularization uses 0.5 * reg * sum(w * w): this course's convention is "
            "reg * sum(w * w) (gradient 2 * reg * w)")
REG_NOT_SQUARED = "the regularization must be reg * sum(w * w) (squared weights)"
REG_BIAS = ("the bias (last weight) is not regularized: with the bias trick every entry of w "
            "is in reg * sum(w * w)")
GRAD_REG_MISSING = "the gradient of the regularization, 2 * reg * w, is missing"
GRAD_REG_FACTOR = ("the regularization gradient has the wrong factor: the derivative of "
                   "reg * sum(w * w) is 2 * reg * w")
LOSS_REG_MISSING = ("your gradient includes 2 * reg * w but your loss has no reg * sum(w * w) "
                    "term")
LOSS_REG_HALF = ("your loss has 0.5 * reg * sum(w * w) but your gradient 2 * reg * w: the course "
                 "uses reg * sum(w * w) in the loss")
GRAD_SIGN = ("the data gradient has the wrong sign: it is X.T @ (sigmoid(X @ w) - y) / N, "
             "not (y - sigmoid)")


def sum_not_mean(n, what="loss"):
    if n <= 1:
        return []
    return [ratio_hint(float(n), f"your {what} is too large by a factor of the number of "
                                 "examples: did you sum over the examples instead of taking the "
                                 "mean?")]


def _f(a):
    return np.asarray(a, dtype=np.float64)


def _sig(z):
    with np.errstate(all="ignore"):
        return np.exp(-np.logaddexp(0.0, -_f(z)))


def _sp(z):
    return np.logaddexp(0.0, _f(z))


def _bce(p, y):
    with np.errstate(all="ignore"):
        p, y = _f(p), _f(y)
        return float(np.mean(-(y * np.log(p) + (1.0 - y) * np.log1p(-p))))


def _bcel(z, y):
    y = _f(y)
    return float(np.mean(y * _sp(-z) + (1.0 - y) * _sp(z)))


def sigmoid(z):
    s = _sig(z)
    with np.errstate(all="ignore"):
        return [same_as(1.0 - s, SIGMOID_SIGN), same_as(np.tanh(_f(z)), SIGMOID_TANH),
                same_as(s * (1.0 - s), SIGMOID_DERIVATIVE)]


def bce(p, y):
    p, raw_y = _f(p), np.asarray(y)
    y = _f(raw_y)
    n = p.size
    found = sum_not_mean(n) + [
        ratio_hint(-1.0, SIGN), same_as(_bce(1.0 - p, y), SWAPPED),
        same_as(float(np.mean(-y * np.log(p))), MISSING_NEGATIVE_TERM),
        ratio_hint(1.0 / np.log(10.0), LOG_BASE), ratio_hint(1.0 / np.log(2.0), LOG_BASE)]
    found += [same_as(_bce(np.clip(p, eps, 1.0 - eps), y), CLIPPED)
              for eps in (1e-7, 1e-8, 1e-9, 1e-10, 1e-12, 1e-15)]
    if raw_y.dtype.kind == "u":
        with np.errstate(all="ignore"):
            wrapped = (-raw_y).astype(np.float64)
            found.append(same_as(float(np.mean(wrapped * np.log(p) - (1 - y) * np.log1p(-p))),
                                 UNSIGNED))
    return found


def bce_with_logits(z, y):
    z, raw_y = _f(z), np.asarray(y)
    y = _f(raw_y)
    s = _sig(z)
    found = sum_not_mean(z.size) + [
        ratio_hint(-1.0, SIGN), same_as(_bcel(-z, y), LOGIT_SIGN),
        same_as(_bcel(z, 1.0 - y), SWAPPED), same_as(float(np.mean(_sp(z))), NO_YZ),
        same_as(float(np.mean(np.where(y == 1, _sp(-z), _sp(z)))), HARD_LABELS),
        same_as(float(np.mean(np.where(y >= 0.5, _sp(-z), _sp(z)))), HARD_LABELS),
        nonfinite_hint(NAIVE_BCE)]
    found += [same_as(_bce(np.clip(s, eps, 1.0 - eps), y), CLIPPED_LOGITS)
              for eps in (1e-7, 1e-12, 1e-15, 1e-16)]
    if raw_y.dtype.kind == "u":
        with np.errstate(all="ignore"):
            wrapped = (-raw_y).astype(np.float64)
            found.append(same_as(float(np.mean(_sp(z) + wrapped * z)), UNSIGNED))
    return found


def logistic_loss_value(w, X, y, reg):
    """Mistakes in the loss of logistic_loss."""
    w, X, y = _f(w), _f(X), _f(y)
    n = X.shape[0]
    data = _bcel(X @ w, y)
    found = [offset_hint(-reg * float(w @ w), REG_MISSING),
             offset_hint(-0.5 * reg * float(w @ w), REG_HALF),
             same_as(data + reg * float(np.sqrt(w @ w)), REG_NOT_SQUARED),
             same_as(data + reg * float(np.abs(w).sum()), REG_NOT_SQUARED),
             offset_hint(-reg * float(w[-1] ** 2), REG_BIAS),
             same_as(-data + reg * float(w @ w), SIGN)]
    if n > 1:
        found.append(same_as(n * data + reg * float(w @ w),
                             "the data term is too large by a factor of the number of "
                             "examples: did you sum over the examples instead of taking the "
                             "mean?"))
    return found


def logistic_loss_grad(w, X, y, reg):
    """Mistakes in the gradient of logistic_loss (compared with the reference gradient)."""
    w, X, y = _f(w), _f(X), _f(y)
    n = X.shape[0]
    data = X.T @ (_sig(X @ w) - y) / n
    bias_free = w.copy()
    bias_free[-1] = 0.0
    found = [offset_hint(-2.0 * reg * w, GRAD_REG_MISSING),
             offset_hint(-reg * w, GRAD_REG_FACTOR), offset_hint(2.0 * reg * w, GRAD_REG_FACTOR),
             same_as(-data + 2.0 * reg * w, GRAD_SIGN),
             same_as(data + 2.0 * reg * bias_free, REG_BIAS)]
    if n > 1:
        found.append(same_as(n * data + 2.0 * reg * w,
                             "the data gradient is too large by a factor of the number of "
                             "examples: did you forget to divide by N?"))
    return found


def _data_part(transform, reg, w, hint):
    """The analytic gradient transforms the data part of a right gradient (sign, factor N)."""
    def match(actual, expected):
        data = expected - 2.0 * reg * w
        wrong = transform(data) + 2.0 * reg * w
        if actual.shape == wrong.shape and np.allclose(actual, wrong, rtol=1e-6, atol=1e-9) \
                and not np.allclose(wrong, expected, rtol=1e-6, atol=1e-9):
            return hint
        return None
    return match


def own_gradient(w, reg, n):
    """Mistakes of an analytic gradient against the numerical gradient of the student's loss.

    w: the weights at the checked coordinates, in the order the check lists them;
    n: the number of examples.
    """
    w = _f(w)
    found = [offset_hint(-2.0 * reg * w, GRAD_REG_MISSING),
             offset_hint(-reg * w, GRAD_REG_FACTOR),
             offset_hint(2.0 * reg * w, LOSS_REG_MISSING),
             offset_hint(reg * w, LOSS_REG_HALF),
             _data_part(lambda d: -d, reg, w, GRAD_SIGN)]
    if n > 1:
        found.append(_data_part(lambda d: n * d, reg, w,
                                "the data gradient is too large by a factor of the number of "
                                "examples: did you forget to divide by N?"))
    return found
