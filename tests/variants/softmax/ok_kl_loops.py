# kind: correct
# replaces: kl-divergence-impl
import math


def kl_divergence(p, q):
    """Loops over rows and entries, skipping p = 0."""
    p = np.atleast_2d(np.asarray(p, dtype=np.float64))
    q = np.atleast_2d(np.asarray(q, dtype=np.float64))
    rows = []
    for pr, qr in zip(p, q):
        rows.append(sum(a * math.log(a / b) for a, b in zip(pr, qr) if a > 0))
    return float(sum(rows) / len(rows))
