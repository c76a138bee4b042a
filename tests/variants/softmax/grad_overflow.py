# kind: buggy
# replaces: cross-entropy-grad-impl
# catches: test_grad_stable
# hint: overflow
def cross_entropy_grad(scores, y):
    """A softmax without the max shift."""
    s = np.asarray(scores, dtype=np.float64)
    rows = np.atleast_2d(s)
    labels = np.atleast_1d(np.asarray(y))
    e = np.exp(rows)
    d = e / np.sum(e, axis=-1, keepdims=True)
    d[np.arange(rows.shape[0]), labels] -= 1.0
    return (d / rows.shape[0]).reshape(s.shape)
