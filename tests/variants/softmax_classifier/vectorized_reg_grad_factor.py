# kind: buggy
# replaces: smc-vectorized-impl
# catches: test_vectorized_gradient, test_vectorized_numerical_small
# hint: 2 * reg * w
def softmax_loss_vectorized(W, X, y, reg):
    """Right loss; the penalty's gradient is reg * W."""
    N = X.shape[0]
    rows = np.arange(N)
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    loss = -np.mean(logp[rows, y]) + reg * np.sum(W * W)
    g = np.exp(logp)
    g[rows, y] -= 1
    return float(loss), X.T @ g / N + reg * W
