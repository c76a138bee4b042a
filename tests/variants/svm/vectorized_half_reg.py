# kind: buggy
# replaces: svm-vectorized-impl
# catches: test_vectorized_random
# hint: 0.5 * reg
def svm_loss_vectorized(W, X, y, reg):
    """Uses the 0.5 * reg * sum(W * W) convention of other courses."""
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    margins = scores - scores[rows, y][:, None] + 1.0
    margins[rows, y] = 0.0
    loss = np.sum(np.maximum(0.0, margins)) / n + 0.5 * reg * np.sum(W * W)
    g = (margins > 0).astype(float)
    g[rows, y] = -g.sum(axis=1)
    return float(loss), X.T @ g / n + reg * W
