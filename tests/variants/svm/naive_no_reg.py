# kind: buggy
# replaces: svm-naive-impl
# catches: test_naive_random, test_naive_gradient
# hint: regularization term
def svm_loss_naive(W, X, y, reg):
    """Leaves out the regularization (loss and gradient)."""
    num_train, num_classes = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros(W.shape)
    for i in range(num_train):
        scores = X[i] @ W
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - scores[y[i]] + 1
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    return float(loss / num_train), dW / num_train
