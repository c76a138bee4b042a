# kind: buggy
# replaces: kl-divergence-impl
# catches: test_kl_random
# hint: reversed
def kl_divergence(p, q):
    """Computes KL(q || p) instead of KL(p || q)."""
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    pos = q > 0
    terms = np.where(pos, q * np.log(np.where(pos, q, 1.0) / np.where(pos, p, 1.0)), 0.0)
    return float(np.mean(np.sum(terms, axis=-1)))
