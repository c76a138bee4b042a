# kind: buggy
# replaces: kl-divergence-impl
# catches: test_kl_random, test_kl_known
# hint: sum p log p
def kl_divergence(p, q):
    """Returns the cross-entropy -sum p log q: the entropy term is missing."""
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    terms = np.where(p > 0, -p * np.log(np.where(p > 0, q, 1.0)), 0.0)
    return float(np.mean(np.sum(terms, axis=-1)))
