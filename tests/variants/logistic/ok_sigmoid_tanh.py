# kind: correct
# replaces: sigmoid-impl
def sigmoid(z):
    """(1 + tanh(z / 2)) / 2: tanh never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))
