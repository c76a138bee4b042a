# kind: buggy
# replaces: cross-entropy-impl
# catches: test_cross_entropy_stable
# hint: clipped
def cross_entropy(scores, y):
    """Stable softmax, then the log of probabilities clipped at 1e-15."""
    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    labels = np.atleast_1d(np.asarray(y))
    e = np.exp(s - np.max(s, axis=-1, keepdims=True))
    p = e / np.sum(e, axis=-1, keepdims=True)
    picked = np.clip(p[np.arange(s.shape[0]), labels], 1e-15, 1.0)
    return float(np.mean(-np.log(picked)))
