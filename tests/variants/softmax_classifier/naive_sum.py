# kind: buggy
# replaces: smc-naive-impl
# catches: test_naive_random, test_naive_gradient
# hint: instead of taking the mean
def softmax_loss_naive(W, X, y, reg):
    """Sums over the examples (loss and gradient)."""
    N, C = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros(W.shape)
    for i in range(N):
        s = X[i] @ W
        s = s - np.max(s)
        lse = np.log(np.sum(np.exp(s)))
        loss += lse - s[y[i]]
        p = np.exp(s - lse)
        for j in range(C):
            dW[:, j] += (p[j] - (j == y[i])) * X[i]
    return float(loss + reg * np.sum(W * W)), dW + 2 * reg * W
