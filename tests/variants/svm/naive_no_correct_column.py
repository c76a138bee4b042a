# kind: buggy
# replaces: svm-naive-impl
# catches: test_naive_gradient, test_naive_numerical_small, test_naive_numerical_digits
# hint: correct-class column
def svm_loss_naive(W, X, y, reg):
    """Adds x_i to column j but never subtracts it from column y_i."""
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
    loss = loss / num_train + reg * np.sum(W * W)
    return float(loss), dW / num_train + 2 * reg * W
