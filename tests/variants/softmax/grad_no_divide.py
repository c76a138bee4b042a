# kind: buggy
# replaces: cross-entropy-grad-impl
# catches: test_grad_random, test_grad_numerical
# hint: too large by a factor of the number of examples: did you forget to divide
def cross_entropy_grad(scores, y):
    """softmax - onehot, not divided by N."""
    s = np.asarray(scores, dtype=np.float64)
    rows = np.atleast_2d(s)
    labels = np.atleast_1d(np.asarray(y))
    e = np.exp(rows - np.max(rows, axis=-1, keepdims=True))
    d = e / np.sum(e, axis=-1, keepdims=True)
    d[np.arange(rows.shape[0]), labels] -= 1.0
    return d.reshape(s.shape)
