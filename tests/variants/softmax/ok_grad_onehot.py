# kind: correct
# replaces: cross-entropy-grad-impl
def cross_entropy_grad(scores, y):
    """(softmax - np.eye(C)[y]) / N, the softmax from np.logaddexp.reduce."""
    s = np.asarray(scores, dtype=np.float64)
    rows = np.atleast_2d(s)
    probs = np.exp(rows - np.logaddexp.reduce(rows, axis=1, keepdims=True))
    onehot = np.eye(rows.shape[1])[np.atleast_1d(y)]
    return np.reshape((probs - onehot) / rows.shape[0], s.shape)
