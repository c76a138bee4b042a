# kind: buggy
# replaces: cross-entropy-impl
# catches: test_cross_entropy_random
# hint: did you sum over the examples instead of taking the mean
def cross_entropy(scores, y):
    """The sum of the per-example losses instead of their mean."""
    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    labels = np.atleast_1d(np.asarray(y))
    shifted = s - np.max(s, axis=-1, keepdims=True)
    log_norm = np.log(np.sum(np.exp(shifted), axis=-1))
    return float(np.sum(log_norm - shifted[np.arange(s.shape[0]), labels]))
