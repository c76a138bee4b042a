# kind: buggy
# replaces: cross-entropy-grad-impl
# catches: test_grad_random
# hint: the 1 at the label
def cross_entropy_grad(scores, y):
    """softmax / N: the -1 at the label is missing."""
    s = np.asarray(scores, dtype=np.float64)
    rows = np.atleast_2d(s)
    e = np.exp(rows - np.max(rows, axis=-1, keepdims=True))
    d = e / np.sum(e, axis=-1, keepdims=True)
    return (d / rows.shape[0]).reshape(s.shape)
