# kind: buggy
# replaces: logistic-loss-impl
# catches: test_logistic_grad_random, test_logistic_grad_numerical
# hint: wrong sign
def logistic_loss(w, X, y, reg):
    """X.T @ (y - p): the gradient of the log-likelihood, not of the loss."""
    w = np.asarray(w, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    z = X @ w
    e = np.exp(-np.abs(z))
    p = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    data = np.mean(np.maximum(z, 0.0) + np.log1p(e) - y * z)
    return float(data + reg * np.sum(w * w)), X.T @ (y - p) / n + 2.0 * reg * w
