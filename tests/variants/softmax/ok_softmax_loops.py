# kind: correct
# replaces: softmax-impl
import math


def softmax(scores):
    """One row at a time with Python's math module (loops are allowed here)."""
    s = np.array(scores, dtype=np.float64)
    rows = s.reshape(-1, s.shape[-1])
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        m = max(row)
        exps = [math.exp(v - m) for v in row]
        total = sum(exps)
        for j, e in enumerate(exps):
            out[i, j] = e / total
    return out.reshape(s.shape)
