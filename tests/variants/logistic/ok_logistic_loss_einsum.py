# kind: correct
# replaces: logistic-loss-impl
def logistic_loss(w, X, y, reg):
    """einsum for the products, np.logaddexp for softplus; returns an np.float64 loss."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    z = np.einsum("nd,d->n", X, w)
    loss = np.mean(np.logaddexp(0.0, z) - y * z) + reg * np.einsum("d,d->", w, w)
    p = np.exp(-np.logaddexp(0.0, -z))
    return loss, np.einsum("nd,n->d", X, p - y) / X.shape[0] + 2.0 * reg * w
