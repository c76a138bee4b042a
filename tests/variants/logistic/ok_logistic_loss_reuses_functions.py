# kind: correct
# replaces: logistic-loss-impl
def logistic_loss(w, X, y, reg):
    """Built from the notebook's own sigmoid and bce_with_logits."""
    z = X @ w
    loss = bce_with_logits(z, y) + reg * np.sum(w ** 2)
    dw = X.T @ (sigmoid(z) - y) / len(y) + 2 * reg * w
    return loss, dw
