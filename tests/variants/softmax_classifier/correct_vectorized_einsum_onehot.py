# kind: correct
# replaces: smc-vectorized-impl
def softmax_loss_vectorized(W, X, y, reg):
    """einsum, a one-hot mask instead of fancy indexing, np.float64 returned."""
    N, C = X.shape[0], W.shape[1]
    onehot = (np.arange(C)[None, :] == np.asarray(y)[:, None])
    s = np.einsum("nd,dc->nc", X, W)
    s = s - np.max(s, axis=1, keepdims=True)
    logp = s - np.log(np.einsum("nc->n", np.exp(s)))[:, None]
    loss = -np.sum(logp * onehot) / N + reg * np.einsum("dc,dc->", W, W)
    dW = np.einsum("nd,nc->dc", X, np.exp(logp) - onehot) / N + 2 * reg * W
    return np.float64(loss), dW
