# kind: correct
# replaces: cross-entropy-impl
def cross_entropy(scores, y):
    """A boolean one-hot mask instead of fancy indexing; returns an np.float64."""
    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    labels = np.reshape(y, (-1, 1))
    mask = np.arange(s.shape[1]) == labels
    m = s.max(axis=1, keepdims=True)
    log_probs = s - m - np.log(np.exp(s - m).sum(axis=1, keepdims=True))
    return -np.sum(log_probs[mask]) / s.shape[0]
