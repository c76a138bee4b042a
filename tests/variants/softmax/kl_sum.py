# kind: buggy
# replaces: kl-divergence-impl
# catches: test_kl_random
# hint: did you sum over the examples
def kl_divergence(p, q):
    """Sums over the rows too instead of averaging them."""
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    pos = p > 0
    terms = np.where(pos, p * np.log(np.where(pos, p, 1.0) / np.where(pos, q, 1.0)), 0.0)
    return float(np.sum(terms))
