# kind: buggy
# replaces: smc-gradcheck-impl
# catches: test_rel_error_zeros
# hint: floor the denominator
def numerical_gradient(f, x, h=1e-5):
    """Correct."""
    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def rel_error(a, b):
    """No floor on the denominator: 0 / 0 for equal zeros."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))
