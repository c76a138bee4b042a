# kind: buggy
# replaces: svm-vectorized-impl
# catches: test_vectorized_not_mutated
# hint: in-place
def svm_loss_vectorized(W, X, y, reg):
    """Right values, but shrinks W in place after using it (W *= 1 - 2 * reg)."""
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    margins = scores - scores[rows, y][:, None] + 1.0
    margins[rows, y] = 0.0
    loss = np.sum(np.maximum(0.0, margins)) / n + reg * np.sum(W * W)
    g = (margins > 0).astype(float)
    g[rows, y] = -g.sum(axis=1)
    dW = X.T @ g / n + 2 * reg * W
    W *= 1.0 - 2 * reg  # a "weight decay" step in the wrong place
    return float(loss), dW
