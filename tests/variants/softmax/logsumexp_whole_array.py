# kind: buggy
# replaces: logsumexp-impl
# catches: test_logsumexp_random
# hint: whole array
def logsumexp(scores):
    """Reduces over every element instead of the last axis."""
    s = np.asarray(scores, dtype=np.float64)
    m = np.max(s)
    return float(m + np.log(np.sum(np.exp(s - m))))
