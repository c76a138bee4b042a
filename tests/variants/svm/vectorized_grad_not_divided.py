# kind: buggy
# replaces: svm-vectorized-impl
# catches: test_vectorized_gradient, test_vectorized_numerical_small
# hint: too large by a factor of the number of examples
def svm_loss_vectorized(W, X, y, reg):
    """Averages the loss but not the gradient."""
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    margins = scores - scores[rows, y][:, None] + 1.0
    margins[rows, y] = 0.0
    loss = np.sum(np.maximum(0.0, margins)) / n + reg * np.sum(W * W)
    g = (margins > 0).astype(float)
    g[rows, y] = -g.sum(axis=1)
    return float(loss), X.T @ g + 2 * reg * W
