# kind: buggy
# replaces: soft-cross-entropy-impl
# catches: test_soft_cross_entropy_stable
# hint: log space
def soft_cross_entropy(scores, targets):
    """A stable softmax, then its log: probabilities that underflow to 0 give log(0)."""
    s = np.asarray(scores, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    e = np.exp(s - np.max(s, axis=-1, keepdims=True))
    p = e / np.sum(e, axis=-1, keepdims=True)
    return float(np.mean(-np.sum(t * np.log(p), axis=-1)))
