# kind: buggy
# replaces: smc-vectorized-impl
# catches: test_vectorized_random, test_vectorized_known
# hint: normalised over the examples
def softmax_loss_vectorized(W, X, y, reg):
    """Normalises over axis 0 (the examples) instead of the classes."""
    N = X.shape[0]
    rows = np.arange(N)
    s = X @ W
    s = s - s.max(axis=0, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=0, keepdims=True))
    loss = -np.mean(logp[rows, y]) + reg * np.sum(W * W)
    g = np.exp(logp)
    g[rows, y] -= 1
    return float(loss), X.T @ g / N + 2 * reg * W
