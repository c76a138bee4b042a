# kind: correct
# replaces: bce-impl
from scipy.special import xlog1py, xlogy


def bce(p, y):
    """SciPy's xlogy / xlog1py; returns an np.float64."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return -np.mean(xlogy(y, p) + xlog1py(1.0 - y, -p))
