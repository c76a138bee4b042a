# kind: buggy
# replaces: svm-vectorized-impl
# catches: test_vectorized_no_loops
# hint: loop
def svm_loss_vectorized(W, X, y, reg):
    """Correct values, but one Python loop over the examples."""
    n = X.shape[0]
    scores = X @ W
    margins = np.zeros(scores.shape)
    for i in range(n):
        margins[i] = scores[i] - scores[i, y[i]] + 1.0
        margins[i, y[i]] = 0.0
    loss = np.sum(np.maximum(0.0, margins)) / n + reg * np.sum(W * W)
    g = (margins > 0).astype(float)
    g[np.arange(n), y] = -g.sum(axis=1)
    return float(loss), X.T @ g / n + 2 * reg * W
