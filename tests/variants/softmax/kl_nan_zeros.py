# kind: buggy
# replaces: kl-divergence-impl
# catches: test_kl_zeros, test_kl_onehot
# hint: 0 log 0
def kl_divergence(p, q):
    """p * log(p / q) everywhere: 0 * log 0 gives nan (and a divide warning)."""
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    return float(np.mean(np.sum(p * np.log(p / q), axis=-1)))
