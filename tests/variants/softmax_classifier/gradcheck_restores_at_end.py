# kind: buggy
# replaces: smc-gradcheck-impl
# catches: test_numgrad_coupled
# hint: restore each entry
def numerical_gradient(f, x, h=1e-5):
    """Leaves every entry at x - h until the very end, then copies x back."""
    saved = x.copy()
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        x[idx] = saved[idx] + h
        f_plus = f(x)
        x[idx] = saved[idx] - h
        f_minus = f(x)
        grad[idx] = (f_plus - f_minus) / (2 * h)
    x[...] = saved
    return grad


def rel_error(a, b):
    """Correct."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))

