# kind: buggy
# replaces: smc-vectorized-impl
# catches: test_vectorized_gradient, test_vectorized_known
# hint: 1 at the label
def softmax_loss_vectorized(W, X, y, reg):
    """Gradient X.T @ P / N: forgets to subtract the one-hot labels."""
    N = X.shape[0]
    rows = np.arange(N)
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    loss = -np.mean(logp[rows, y]) + reg * np.sum(W * W)
    return float(loss), X.T @ np.exp(logp) / N + 2 * reg * W
