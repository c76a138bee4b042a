# kind: correct
# replaces: smc-naive-impl
def softmax_loss_naive(W, X, y, reg):
    """Explicit loops over classes for the shift, the sum and the probabilities."""
    N, C = X.shape[0], W.shape[1]
    total = 0.0
    grad_scores = np.zeros((N, C))
    for i in range(N):
        s = [float(X[i] @ W[:, j]) for j in range(C)]
        top = max(s)
        z = sum(np.exp(v - top) for v in s)
        total += np.log(z) + top - s[y[i]]
        for j in range(C):
            grad_scores[i, j] = np.exp(s[j] - top) / z
        grad_scores[i, y[i]] -= 1.0
    return float(total / N + reg * np.sum(W * W)), X.T @ grad_scores / N + 2 * reg * W
