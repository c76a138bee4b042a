# kind: buggy
# replaces: sigmoid-impl
# catches: test_sigmoid_not_mutated
# hint: in-place
def sigmoid(z):
    """Stable, but writes the result into the caller's float array (np.asarray does not copy)."""
    z = np.asarray(z, dtype=np.float64)
    pos = z >= 0
    e = np.exp(-np.abs(z))
    z[pos] = 1.0 / (1.0 + e[pos])
    z[~pos] = e[~pos] / (1.0 + e[~pos])
    return z
