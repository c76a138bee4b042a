# kind: buggy
# replaces: logistic-loss-impl
# catches: test_logistic_loss_random
# hint: regularization term reg * sum(w * w) is missing
def logistic_loss(w, X, y, reg):
    """The loss forgets reg * sum(w * w); the gradient has 2 * reg * w."""
    w = np.asarray(w, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    z = X @ w
    e = np.exp(-np.abs(z))
    p = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    data = np.mean(np.maximum(z, 0.0) + np.log1p(e) - y * z)
    return float(data), X.T @ (p - y) / n + 2.0 * reg * w
