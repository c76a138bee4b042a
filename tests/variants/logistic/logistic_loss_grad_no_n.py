# kind: buggy
# replaces: logistic-loss-impl
# catches: test_logistic_grad_random, test_logistic_grad_numerical, test_logistic_grad_real_data
# hint: forget to divide by n
def logistic_loss(w, X, y, reg):
    """The data gradient is not divided by N."""
    w = np.asarray(w, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    z = X @ w
    e = np.exp(-np.abs(z))
    p = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    data = np.mean(np.maximum(z, 0.0) + np.log1p(e) - y * z)
    return float(data + reg * np.sum(w * w)), X.T @ (p - y) + 2.0 * reg * w
