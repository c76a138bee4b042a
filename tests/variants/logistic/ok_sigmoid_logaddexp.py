# kind: correct
# replaces: sigmoid-impl
def sigmoid(z):
    """exp(-softplus(-z)) with np.logaddexp; a scalar gives an np.float64."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=np.float64)))
