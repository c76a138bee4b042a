# kind: buggy
# replaces: smc-gradcheck-impl
# catches: test_numgrad_restores_x
# hint: restored bit for bit
def numerical_gradient(f, x, h=1e-5):
    """Restores x by adding and subtracting h, which is not exact in floating point."""
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        f_plus = f(x)
        x[idx] -= 2 * h
        f_minus = f(x)
        x[idx] += h
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def rel_error(a, b):
    """Correct."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))

