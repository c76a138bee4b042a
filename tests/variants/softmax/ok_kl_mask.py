# kind: correct
# replaces: kl-divergence-impl
def kl_divergence(p, q):
    """Boolean-mask assignment: only entries with p > 0 get a term (scipy-free)."""
    p = np.atleast_2d(np.asarray(p, dtype=np.float64))
    q = np.atleast_2d(np.asarray(q, dtype=np.float64))
    terms = np.zeros_like(p)
    mask = p > 0
    terms[mask] = p[mask] * (np.log(p[mask]) - np.log(q[mask]))
    return terms.sum(axis=1).mean()
