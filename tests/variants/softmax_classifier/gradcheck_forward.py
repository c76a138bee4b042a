# kind: buggy
# replaces: smc-gradcheck-impl
# catches: test_numgrad_poly, test_numgrad_step
# hint: forward differences
def numerical_gradient(f, x, h=1e-5):
    """Forward differences."""
    grad = np.zeros(x.shape)
    fx = f(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        grad[idx] = (f(x) - fx) / h
        x[idx] = old
    return grad


def rel_error(a, b):
    """Correct."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))

