# kind: buggy
# replaces: smc-naive-impl
# catches: test_naive_gradient, test_naive_numerical_small, test_naive_numerical_digits
# hint: wrong sign
def softmax_loss_naive(W, X, y, reg):
    """Uses onehot - p instead of p - onehot in the gradient."""
    N, C = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros(W.shape)
    for i in range(N):
        s = X[i] @ W
        s = s - np.max(s)
        lse = np.log(np.sum(np.exp(s)))
        loss += lse - s[y[i]]
        p = np.exp(s - lse)
        for j in range(C):
            dW[:, j] += ((j == y[i]) - p[j]) * X[i]
    return float(loss / N + reg * np.sum(W * W)), dW / N + 2 * reg * W
