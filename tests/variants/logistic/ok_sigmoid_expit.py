# kind: correct
# replaces: sigmoid-impl
from scipy.special import expit


def sigmoid(z):
    """SciPy's expit."""
    return expit(np.asarray(z, dtype=np.float64))
