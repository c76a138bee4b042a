# kind: buggy
# replaces: cross-entropy-grad-impl
# catches: test_grad_not_mutated
# hint: in-place
def cross_entropy_grad(scores, y):
    """Shifts the caller's float64 scores in place (np.asarray does not copy)."""
    s = np.asarray(scores, dtype=np.float64)
    rows = s.reshape(-1, s.shape[-1])
    labels = np.atleast_1d(np.asarray(y))
    rows -= np.max(rows, axis=-1, keepdims=True)
    e = np.exp(rows)
    d = e / np.sum(e, axis=-1, keepdims=True)
    d[np.arange(rows.shape[0]), labels] -= 1.0
    return (d / rows.shape[0]).reshape(s.shape)
