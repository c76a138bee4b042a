# kind: correct
# replaces: sigmoid-impl
def sigmoid(z):
    """Boolean masks on a copy; only exp of non-positive numbers is ever taken."""
    z = np.array(z, dtype=np.float64)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out
