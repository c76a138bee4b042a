# kind: buggy
# replaces: smc-gradcheck-impl
# catches: test_numgrad_restores_x
# hint: in place
def numerical_gradient(f, x, h=1e-5):
    """Perturbs copies of x (x itself is never touched, against the spec's in-place
    convention), np.nditer over the entries."""
    grad = np.empty_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        idx = it.multi_index
        up = x.copy()
        up[idx] += h
        down = x.copy()
        down[idx] -= h
        grad[idx] = (f(up) - f(down)) / (2.0 * h)
        it.iternext()
    return grad


def rel_error(a, b):
    """Returns a numpy float64."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return (np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))).max()
