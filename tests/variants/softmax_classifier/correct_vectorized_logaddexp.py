# kind: correct
# replaces: smc-vectorized-impl
def softmax_loss_vectorized(W, X, y, reg):
    """np.logaddexp.reduce over the classes, np.take_along_axis, a 0-d array as the loss."""
    N = X.shape[0]
    s = X.dot(W)
    lse = np.logaddexp.reduce(s, axis=1, keepdims=True)
    idx = np.asarray(y, dtype=np.intp)[:, None]
    loss = np.mean(lse - np.take_along_axis(s, idx, axis=1)) + reg * (W ** 2).sum()
    p = np.exp(s - lse)
    np.put_along_axis(p, idx, np.take_along_axis(p, idx, axis=1) - 1.0, axis=1)
    return np.asarray(loss), X.T.dot(p) / N + reg * 2 * W
