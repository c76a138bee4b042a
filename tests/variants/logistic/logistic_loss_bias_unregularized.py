# kind: buggy
# replaces: logistic-loss-impl
# catches: test_logistic_loss_random, test_logistic_grad_random
# hint: bias
def logistic_loss(w, X, y, reg):
    """Leaves the bias (last weight) out of the penalty."""
    w = np.asarray(w, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    z = X @ w
    e = np.exp(-np.abs(z))
    p = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    data = np.mean(np.maximum(z, 0.0) + np.log1p(e) - y * z)
    r = w.copy()
    r[-1] = 0.0
    return float(data + reg * np.sum(r * r)), X.T @ (p - y) / n + 2.0 * reg * r
