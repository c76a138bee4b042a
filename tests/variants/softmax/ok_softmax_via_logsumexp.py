# kind: correct
# replaces: softmax-impl
def softmax(scores):
    """exp(s - logsumexp(s)), with the log-sum-exp from np.logaddexp.reduce."""
    s = np.asarray(scores, dtype=np.float64)
    return np.exp(s - np.logaddexp.reduce(s, axis=-1, keepdims=True))
