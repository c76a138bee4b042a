# kind: correct
# replaces: svm-vectorized-impl
def svm_loss_vectorized(W, X, y, reg):
    """einsum, a one-hot mask instead of fancy indexing, np.float64 returned."""
    N, C = X.shape[0], W.shape[1]
    onehot = np.eye(C, dtype=bool)[y]
    scores = np.einsum("nd,dc->nc", X, W)
    correct = np.sum(np.where(onehot, scores, 0.0), axis=1, keepdims=True)
    margins = np.where(onehot, 0.0, scores - correct + 1.0)
    loss = np.sum(np.clip(margins, 0.0, None)) / N + reg * np.einsum("dc,dc->", W, W)
    active = (margins > 0).astype(np.float64)
    dscores = active - onehot * active.sum(axis=1, keepdims=True)
    return np.float64(loss), np.einsum("nd,nc->dc", X, dscores) / N + 2 * reg * W
