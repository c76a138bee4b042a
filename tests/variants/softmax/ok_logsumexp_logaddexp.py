# kind: correct
# replaces: logsumexp-impl
def logsumexp(scores):
    """np.logaddexp.reduce over the last axis; a 1-D input gives an np.float64."""
    return np.logaddexp.reduce(np.asarray(scores, dtype=np.float64), axis=-1)
