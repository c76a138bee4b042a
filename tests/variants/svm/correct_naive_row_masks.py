# kind: correct
# replaces: svm-naive-impl
def svm_loss_naive(W, X, y, reg):
    """One loop over the examples, masks over the classes inside it."""
    N, C = X.shape[0], W.shape[1]
    total = 0.0
    grad_scores = np.zeros((N, C))
    for i in range(N):
        s = X[i] @ W
        m = s - s[y[i]] + 1.0
        wrong = np.arange(C) != y[i]
        violated = wrong & (m > 0)
        total += np.sum(m[violated])
        grad_scores[i, violated] = 1.0
        grad_scores[i, y[i]] = -np.count_nonzero(violated)
    loss = total / N + reg * np.sum(W * W)
    return float(loss), X.T @ grad_scores / N + 2 * reg * W
