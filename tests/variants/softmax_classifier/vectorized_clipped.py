# kind: buggy
# replaces: smc-vectorized-impl
# catches: test_vectorized_stable, test_vectorized_known
# hint: clipped
def softmax_loss_vectorized(W, X, y, reg):
    """Shifted softmax, then the log of probabilities clipped at 1e-15."""
    N = X.shape[0]
    rows = np.arange(N)
    s = X @ W
    e = np.exp(s - s.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(np.clip(p[rows, y], 1e-15, 1.0))) + reg * np.sum(W * W)
    g = p.copy()
    g[rows, y] -= 1
    return float(loss), X.T @ g / N + 2 * reg * W
