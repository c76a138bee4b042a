# kind: buggy
# replaces: smc-naive-impl
# catches: test_naive_random, test_naive_gradient
# hint: without the 0.5
def softmax_loss_naive(W, X, y, reg):
    """Uses the 0.5 * reg * sum(W * W) convention of other courses."""
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
    return float(loss / N + 0.5 * reg * np.sum(W * W)), dW / N + reg * W
