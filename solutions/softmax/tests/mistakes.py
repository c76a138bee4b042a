"""Common mistakes of the softmax assignment (instructor only).

Each function takes the inputs of one check and returns catalog entries: the output a
cataloged mistake would give on those inputs, with a hint that names the mistake. A hint is
shown only when a failing output matches; it never contains an input or an expected value
(it may say N, the number of examples of that check).
"""
import numpy as np

from autograder.checks import nonfinite_hint, ratio_hint, same_as

SOFTMAX_AXIS = ("the softmax is normalised over the wrong axis: the classes are the last axis, "
                "so each row (axis=-1) must sum to 1")
WHOLE_ARRAY = ("the result is computed over the whole array instead of each row: reduce the "
               "last axis (axis=-1, keepdims=True where you broadcast)")
UNNORMALISED = "the exponentials are not divided by their sum over the classes"
LOG_SOFTMAX = "this is the log of the softmax (log-probabilities), not the probabilities"
FLIPPED = "the sign of the scores is flipped: softmax uses exp(+score)"
LSE_AXIS = "logsumexp reduced the wrong axis: the classes are the last axis (axis=-1)"
LSE_KEEPDIMS = "logsumexp kept the reduced axis (keepdims=True): return shape (N,)"
LSE_MEAN = ("this is the log of the mean of the exponentials (log C too small): sum them, "
            "do not average")
LSE_NO_LOG = "the log is missing: logsumexp is log(sum(exp(scores)))"
LSE_NO_MAX_BACK = "the maximum was subtracted but not added back: lse(s) = m + log(sum(exp(s - m)))"
LSE_SHIFT = ("without the max shift exp overflows or underflows: shift each row by its own "
             "maximum before exponentiating (the log-sum-exp trick)")
CLIPPED = ("the probabilities were clipped (at 1e-15 or similar) before the log: at large "
           "logits that caps the loss; compute log-softmax directly (score minus log-sum-exp)")
SIGN = "the loss has the wrong sign: cross-entropy is -log p, a positive number"
PER_EXAMPLE = "one loss per example was returned: the loss is their mean, a single float"
ALL_ENTRIES = ("the mean was taken over all N x C entries: sum over the classes, then average "
               "over the examples")
COLUMN_INDEX = ("p[:, y] picks an N x N block, not one entry per example: index with "
                "p[np.arange(N), y]")
NO_NORMALISER = ("the log-sum-exp term is missing: -log softmax(s)_y = -s_y + "
                 "log(sum(exp(s)))")
NO_ONEHOT = ("the 1 at the label is not subtracted: the gradient is (softmax - onehot(y)) / N")
KL_TERM = ("you subtracted the entropy: that is the KL divergence, not the cross-entropy")
KL_REVERSED = "the arguments are reversed: KL(p || q) = sum p log(p / q), p first"
KL_SIGN = "the ratio is upside down (log(q / p) instead of log(p / q)): the KL is never negative"
KL_NO_ENTROPY = ("this is the cross-entropy -sum p log q: the KL divergence also adds "
                 "sum p log p (it is CE - H(p))")
KL_ZERO = ("0 log 0 gave nan or a log(0) warning: terms where p = 0 contribute 0, so mask "
           "them (e.g. np.where(p > 0, ...)) before taking the log")


SUM_NOT_MEAN = {
    "loss": "your loss is too large by a factor of the number of examples: did you sum over the "
            "examples instead of taking the mean?",
    "divergence": "your divergence is too large by a factor of the number of examples: did you "
                  "sum over the examples instead of taking the mean?"}


def sum_not_mean(n: int, what: str = "loss") -> list:
    """A loss n times too large: the sum over the n examples instead of their mean."""
    if n <= 1:
        return []
    return [ratio_hint(float(n), SUM_NOT_MEAN[what])]


def _rows(scores) -> np.ndarray:
    return np.atleast_2d(np.asarray(scores, dtype=np.float64))


def _softmax(s: np.ndarray, axis=-1) -> np.ndarray:
    with np.errstate(all="ignore"):
        e = np.exp(s - np.max(s, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(s: np.ndarray, axis=-1) -> np.ndarray:
    with np.errstate(all="ignore"):
        m = np.max(s, axis=axis, keepdims=True)
        return s - m - np.log(np.sum(np.exp(s - m), axis=axis, keepdims=True))


def _lse(s: np.ndarray, axis=-1) -> np.ndarray:
    with np.errstate(all="ignore"):
        m = np.max(s, axis=axis, keepdims=True)
        return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(s - m), axis=axis))


def _picked(lp: np.ndarray, y: np.ndarray) -> np.ndarray:
    return lp[np.arange(len(y)), y]


def softmax(scores) -> list:
    s = np.asarray(scores, dtype=np.float64)
    with np.errstate(all="ignore"):
        found = [same_as(_softmax(s, axis=None), WHOLE_ARRAY),
                 same_as(np.exp(s - s.max(axis=-1, keepdims=True)), UNNORMALISED),
                 same_as(_log_softmax(s), LOG_SOFTMAX), same_as(_softmax(-s), FLIPPED)]
    if s.ndim == 2:
        found.insert(0, same_as(_softmax(s, axis=0), SOFTMAX_AXIS))
    return found


def logsumexp(scores) -> list:
    s = np.asarray(scores, dtype=np.float64)
    lse = _lse(s)
    with np.errstate(all="ignore"):
        found = [same_as(lse[..., None], LSE_KEEPDIMS),
                 same_as(_lse(s.reshape(-1)), WHOLE_ARRAY),
                 same_as(lse - np.log(s.shape[-1]), LSE_MEAN),
                 same_as(np.exp(lse), LSE_NO_LOG),
                 same_as(lse - np.max(s, axis=-1), LSE_NO_MAX_BACK)]
    if s.ndim == 2:
        found.insert(0, same_as(_lse(s, axis=0), LSE_AXIS))
    return found


def cross_entropy(scores, y) -> list:
    s, labels = _rows(scores), np.atleast_1d(np.asarray(y)).astype(np.int64)
    n, c = s.shape
    lp = _log_softmax(s)
    with np.errstate(all="ignore"):
        clipped = -np.log(np.clip(np.exp(_picked(lp, labels)), 1e-15, 1.0)).mean()
        found = sum_not_mean(n) + [
            ratio_hint(-1.0, SIGN), same_as(clipped, CLIPPED),
            same_as(-_picked(lp, labels), PER_EXAMPLE),
            ratio_hint(1.0 / c, ALL_ENTRIES), same_as(-lp[:, labels].mean(), COLUMN_INDEX),
            same_as(-_picked(s, labels).mean(), NO_NORMALISER)]
        if n > 1:
            found.append(same_as(-_picked(_log_softmax(s, axis=0), labels).mean(),
                                 SOFTMAX_AXIS))
    return found


def soft_cross_entropy(scores, targets) -> list:
    s, t = _rows(scores), _rows(targets)
    n, c = s.shape
    lp = _log_softmax(s)
    with np.errstate(all="ignore"):
        ce_rows = -(t * lp).sum(axis=-1)
        entropy = -(np.where(t > 0, t * np.log(np.where(t > 0, t, 1.0)), 0.0)).sum(axis=-1)
        clipped = -(t * np.log(np.clip(np.exp(lp), 1e-15, 1.0))).sum(axis=-1).mean()
        found = sum_not_mean(n) + [
            ratio_hint(-1.0, SIGN), same_as(clipped, CLIPPED), same_as(ce_rows, PER_EXAMPLE),
            ratio_hint(1.0 / c, ALL_ENTRIES), same_as((ce_rows - entropy).mean(), KL_TERM)]
        if n > 1:
            found.append(same_as(-(t * _log_softmax(s, axis=0)).sum(axis=-1).mean(),
                                 SOFTMAX_AXIS))
    return found


def _kl_rows(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        pos = p > 0
        return np.where(pos, p * np.log(np.where(pos, p, 1.0) / np.where(pos, q, 1.0)),
                        0.0).sum(axis=-1)


def kl_divergence(p, q) -> list:
    p, q = _rows(p), _rows(q)
    n, c = p.shape
    rows = _kl_rows(p, q)
    with np.errstate(all="ignore"):
        cross = -(np.where(p > 0, p * np.log(q), 0.0)).sum(axis=-1)
        return sum_not_mean(n, "divergence") + [
            nonfinite_hint(KL_ZERO), ratio_hint(-1.0, KL_SIGN),
            same_as(_kl_rows(q, p).mean(), KL_REVERSED), same_as(cross.mean(), KL_NO_ENTROPY),
            same_as(rows, PER_EXAMPLE), ratio_hint(1.0 / c, ALL_ENTRIES)]


def cross_entropy_grad(scores, y) -> list:
    s = np.asarray(scores, dtype=np.float64)
    rows, labels = _rows(s), np.atleast_1d(np.asarray(y)).astype(np.int64)
    n, c = rows.shape
    p = _softmax(rows)
    shaped = lambda g: g.reshape(s.shape)  # noqa: E731 - 1-D input gives a 1-D gradient
    column = p.copy()
    column[:, labels] -= 1.0
    found = [ratio_hint(-1.0, "the gradient has the wrong sign: it is softmax - onehot(y), "
                              "not onehot(y) - softmax"),
             same_as(shaped(p / n), NO_ONEHOT), same_as(shaped(column / n), COLUMN_INDEX)]
    if n > 1:
        found.append(ratio_hint(float(n), "the gradient is too large by a factor of the number "
                                          "of examples: did you forget to divide by N (the loss "
                                          "is a mean)?"))
        if n != c:
            found.append(ratio_hint(n / c, "the gradient is divided by the number of classes "
                                           "instead of the number of examples"))
        grad0 = _softmax(rows, axis=0)
        grad0[np.arange(n), labels] -= 1.0
        found.append(same_as(shaped(grad0 / n), SOFTMAX_AXIS))
    return found
