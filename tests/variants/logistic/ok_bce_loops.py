# kind: correct
# replaces: bce-impl
import math


def bce(p, y):
    """A loop with math.log (loops are allowed here)."""
    ps = np.atleast_1d(np.asarray(p, dtype=np.float64)).ravel()
    ys = np.atleast_1d(np.asarray(y, dtype=np.float64)).ravel()
    total = 0.0
    for pi, yi in zip(ps, ys):
        total -= yi * math.log(pi) + (1.0 - yi) * math.log(1.0 - pi)
    return total / len(ps)
