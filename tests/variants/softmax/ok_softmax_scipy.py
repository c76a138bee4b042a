# kind: correct
# replaces: softmax-impl
from scipy.special import softmax as _scipy_softmax


def softmax(scores):
    """SciPy's softmax over the last axis."""
    return _scipy_softmax(np.asarray(scores, dtype=np.float64), axis=-1)
