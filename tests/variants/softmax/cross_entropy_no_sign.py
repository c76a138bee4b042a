# kind: buggy
# replaces: cross-entropy-impl
# catches: test_cross_entropy_random, test_cross_entropy_known
# hint: wrong sign
def cross_entropy(scores, y):
    """Forgets the minus sign of -log p."""
    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    labels = np.atleast_1d(np.asarray(y))
    shifted = s - np.max(s, axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return float(np.mean(log_probs[np.arange(s.shape[0]), labels]))
