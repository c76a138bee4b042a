# kind: buggy
# replaces: smc-naive-impl
# catches: test_naive_stable, test_naive_known
# hint: overflowed
def softmax_loss_naive(W, X, y, reg):
    """Exponentiates the raw scores: right for small scores, overflows at 1e3."""
    N, C = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros(W.shape)
    for i in range(N):
        e = np.exp(X[i] @ W)
        p = e / np.sum(e)
        loss += -np.log(p[y[i]])
        for j in range(C):
            dW[:, j] += (p[j] - (j == y[i])) * X[i]
    return float(loss / N + reg * np.sum(W * W)), dW / N + 2 * reg * W
