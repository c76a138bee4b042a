# kind: correct
# replaces: smc-gradcheck-impl
def numerical_gradient(f, x, h=1e-5):
    """Walks a flat view of x (x is float64, so reshape(-1) is a view), saving old values."""
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for k in range(flat.size):
        saved = flat[k]
        flat[k] = saved + h
        plus = f(x)
        flat[k] = saved - h
        minus = f(x)
        flat[k] = saved
        grad[k] = (plus - minus) / (2 * h)
    return grad.reshape(x.shape)


def rel_error(a, b):
    """Element-wise with np.where, returns a 0-d array."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    denom = np.where(np.abs(a) + np.abs(b) > 1e-8, np.abs(a) + np.abs(b), 1e-8)
    return np.array(np.max(np.abs(a - b) / denom))
