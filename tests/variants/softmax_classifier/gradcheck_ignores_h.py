# kind: buggy
# replaces: smc-gradcheck-impl
# catches: test_numgrad_step
# hint: step h you were given
def numerical_gradient(f, x, h=1e-5):
    """Always uses the step 1e-5, whatever h it is given."""
    step = 1e-5
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + step
        f_plus = f(x)
        x[idx] = old - step
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * step)
    return grad


def rel_error(a, b):
    """Correct."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))

