# kind: correct
# replaces: cross-entropy-impl
import math


def cross_entropy(scores, y):
    """A loop over the examples."""
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim == 1:
        s, y = s[None, :], [y]
    total = 0.0
    for row, label in zip(s, y):
        m = max(row)
        total += m + math.log(sum(math.exp(v - m) for v in row)) - row[int(label)]
    return total / len(s)
