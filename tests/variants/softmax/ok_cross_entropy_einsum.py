# kind: correct
# replaces: cross-entropy-impl
def cross_entropy(scores, y):
    """One-hot rows from np.eye and an einsum; the log-sum-exp by np.logaddexp.reduce."""
    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    onehot = np.eye(s.shape[1])[np.atleast_1d(y)]
    lse = np.logaddexp.reduce(s, axis=1)
    return float(np.mean(lse - np.einsum("ij,ij->i", onehot, s)))
