# kind: buggy
# replaces: softmax-impl
# catches: test_softmax_stable
# hint: its own maximum
def softmax(scores):
    """Shifts by one maximum of the whole array: a row far below it underflows to 0 / 0."""
    s = np.asarray(scores, dtype=np.float64)
    e = np.exp(s - np.max(s))
    return e / np.sum(e, axis=-1, keepdims=True)
