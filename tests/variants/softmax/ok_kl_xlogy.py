# kind: correct
# replaces: kl-divergence-impl
from scipy.special import xlogy


def kl_divergence(p, q):
    """xlogy(p, p) - xlogy(p, q): xlogy(0, .) is 0 by definition."""
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    return float(np.mean(np.sum(xlogy(p, p) - xlogy(p, q), axis=-1)))
