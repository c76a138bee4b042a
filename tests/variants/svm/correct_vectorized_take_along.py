# kind: correct
# replaces: svm-vectorized-impl
def svm_loss_vectorized(W, X, y, reg):
    """np.take_along_axis and np.put_along_axis, a 0-d array as the loss."""
    N = X.shape[0]
    scores = X.dot(W)
    idx = np.asarray(y, dtype=np.int64)[:, None]
    correct = np.take_along_axis(scores, idx, axis=1)
    margins = np.maximum(scores - correct + 1, 0)
    np.put_along_axis(margins, idx, 0.0, axis=1)
    loss = margins.sum() / N + reg * (W * W).sum()
    mask = np.sign(margins)
    np.put_along_axis(mask, idx, -mask.sum(axis=1, keepdims=True), axis=1)
    dW = (X.T.dot(mask) / N) + reg * 2 * W
    return np.asarray(loss), dW
