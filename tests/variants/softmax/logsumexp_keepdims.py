# kind: buggy
# replaces: logsumexp-impl
# catches: test_logsumexp_random
# hint: keepdims
def logsumexp(scores):
    """Keeps the reduced axis: a batch gives shape (N, 1)."""
    s = np.asarray(scores, dtype=np.float64)
    m = np.max(s, axis=-1, keepdims=True)
    out = m + np.log(np.sum(np.exp(s - m), axis=-1, keepdims=True))
    return float(out[0]) if s.ndim == 1 else out
