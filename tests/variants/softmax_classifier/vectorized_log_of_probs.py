# kind: buggy
# replaces: smc-vectorized-impl
# catches: test_vectorized_stable
# hint: underflowed to 0
def softmax_loss_vectorized(W, X, y, reg):
    """Shifted softmax, then log of the probability: log(0) once it underflows."""
    N = X.shape[0]
    rows = np.arange(N)
    s = X @ W
    e = np.exp(s - s.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[rows, y])) + reg * np.sum(W * W)
    g = p.copy()
    g[rows, y] -= 1
    return float(loss), X.T @ g / N + 2 * reg * W
