# kind: buggy
# replaces: logistic-loss-impl
# catches: test_logistic_loss_random, test_logistic_grad_random
# hint: 0.5 * reg
def logistic_loss(w, X, y, reg):
    """The 0.5 * reg * |w|^2 convention (consistent, but not the course's)."""
    w = np.asarray(w, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    z = X @ w
    e = np.exp(-np.abs(z))
    p = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    data = np.mean(np.maximum(z, 0.0) + np.log1p(e) - y * z)
    return float(data + 0.5 * reg * np.sum(w * w)), X.T @ (p - y) / n + reg * w
