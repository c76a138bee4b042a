# kind: buggy
# replaces: cross-entropy-impl
# catches: test_cross_entropy_1d
def cross_entropy(scores, y):
    """Treats a single label as such only when it is a Python int, not a numpy integer."""
    s = np.asarray(scores, dtype=np.float64)
    if isinstance(y, int):
        s, y = s[np.newaxis, :], [y]
    labels = np.asarray(y)
    shifted = s - np.max(s, axis=-1, keepdims=True)
    log_norm = np.log(np.sum(np.exp(shifted), axis=-1))
    return float(np.mean(log_norm - shifted[np.arange(s.shape[0]), labels]))
