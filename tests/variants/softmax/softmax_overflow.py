# kind: buggy
# replaces: softmax-impl
# catches: test_softmax_stable
# hint: overflow
def softmax(scores):
    """Softmax without the max shift: exp overflows for large logits."""
    e = np.exp(np.asarray(scores, dtype=np.float64))
    return e / np.sum(e, axis=-1, keepdims=True)
