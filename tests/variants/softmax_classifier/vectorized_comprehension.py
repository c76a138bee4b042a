# kind: buggy
# replaces: smc-vectorized-impl
# catches: test_vectorized_no_loops
# hint: loop
def softmax_loss_vectorized(W, X, y, reg):
    """Right values, but picks the correct-class scores with a list comprehension."""
    N = X.shape[0]
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    picked = np.array([logp[i, y[i]] for i in range(N)])
    loss = -np.mean(picked) + reg * np.sum(W * W)
    g = np.exp(logp)
    g[np.arange(N), y] -= 1
    return float(loss), X.T @ g / N + 2 * reg * W
