# kind: correct
# replaces: smc-naive-impl
def softmax_loss_naive(W, X, y, reg):
    """np.logaddexp.reduce for the normaliser, a double loop for the gradient, np.float64."""
    N, D = X.shape
    C = W.shape[1]
    loss = np.float64(0.0)
    dW = np.zeros((D, C))
    for i in range(N):
        s = X[i].dot(W)
        lse = np.logaddexp.reduce(s)
        loss += (lse - s[y[i]]) / N
        for j in range(C):
            p_j = np.exp(s[j] - lse)
            for d in range(D):
                dW[d, j] += (p_j - (1.0 if j == y[i] else 0.0)) * X[i, d] / N
    return loss + reg * np.sum(W ** 2), dW + 2 * reg * W
