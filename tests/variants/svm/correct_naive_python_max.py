# kind: correct
# replaces: svm-naive-impl
def svm_loss_naive(W, X, y, reg):
    """Double loop with Python's max, the regularization first, np.float64 returned."""
    N, C = X.shape[0], W.shape[1]
    loss = reg * np.sum(W ** 2)
    dW = 2.0 * reg * W
    for i in range(N):
        s = X[i].dot(W)
        for j in range(C):
            if j != y[i]:
                m = s[j] - s[y[i]] + 1.0
                loss += max(0.0, m) / N
                if m > 0:
                    dW[:, j] += X[i] / N
                    dW[:, y[i]] -= X[i] / N
    return np.float64(loss), dW
