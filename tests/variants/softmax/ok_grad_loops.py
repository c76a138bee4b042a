# kind: correct
# replaces: cross-entropy-grad-impl
import math


def cross_entropy_grad(scores, y):
    """Entry by entry."""
    s = np.asarray(scores, dtype=np.float64)
    rows = s.reshape(-1, s.shape[-1])
    labels = np.reshape(y, -1)
    n = rows.shape[0]
    out = np.zeros_like(rows)
    for i in range(n):
        m = max(rows[i])
        z = sum(math.exp(v - m) for v in rows[i])
        for j in range(rows.shape[1]):
            out[i, j] = (math.exp(rows[i, j] - m) / z - (j == labels[i])) / n
    return out.reshape(s.shape)
