# kind: correct
# replaces: soft-cross-entropy-impl
def soft_cross_entropy(scores, targets):
    """sum(t) * lse - t . s per row (the targets sum to 1), with np.logaddexp.reduce."""
    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    t = np.atleast_2d(np.asarray(targets, dtype=np.float64))
    lse = np.logaddexp.reduce(s, axis=-1)
    return np.mean(t.sum(axis=-1) * lse - np.einsum("ij,ij->i", t, s))
