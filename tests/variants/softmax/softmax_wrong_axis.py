# kind: buggy
# replaces: softmax-impl
# catches: test_softmax_random
# hint: wrong axis
def softmax(scores):
    """Normalises each column instead of each row."""
    s = np.asarray(scores, dtype=np.float64)
    e = np.exp(s - np.max(s, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
