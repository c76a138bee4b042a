# kind: correct
# replaces: logsumexp-impl
import math


def logsumexp(scores):
    """Row by row with math.log and math.exp."""
    s = np.asarray(scores, dtype=np.float64)
    rows = s.reshape(-1, s.shape[-1])
    out = np.array([max(r) + math.log(sum(math.exp(v - max(r)) for v in r)) for r in rows])
    return float(out[0]) if s.ndim == 1 else out
