# kind: buggy
# replaces: softmax-impl
# catches: test_softmax_not_mutated
# hint: in-place
def softmax(scores):
    """np.asarray does not copy a float64 array: the shift changes the caller's scores."""
    s = np.asarray(scores, dtype=np.float64)
    s -= np.max(s, axis=-1, keepdims=True)
    e = np.exp(s)
    return e / np.sum(e, axis=-1, keepdims=True)
