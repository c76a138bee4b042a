# kind: buggy
# replaces: svm-naive-impl
# catches: test_naive_kink, test_naive_known
# hint: exactly 0
def svm_loss_naive(W, X, y, reg):
    """Counts a margin of exactly 0 in the gradient (>= instead of >)."""
    num_train, num_classes = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros(W.shape)
    for i in range(num_train):
        scores = X[i] @ W
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - scores[y[i]] + 1
            if margin >= 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    loss = loss / num_train + reg * np.sum(W * W)
    return float(loss), dW / num_train + 2 * reg * W
