# kind: buggy
# replaces: logistic-loss-impl
# catches: test_logistic_loss_stable
# hint: naive bce
def logistic_loss(w, X, y, reg):
    """The naive BCE of sigmoid(X @ w): overflow and log(0) at large logits."""
    w = np.asarray(w, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    loss = np.mean(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))) + reg * np.sum(w * w)
    return float(loss), X.T @ (p - y) / X.shape[0] + 2.0 * reg * w
