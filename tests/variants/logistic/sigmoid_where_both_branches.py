# kind: buggy
# replaces: sigmoid-impl
# catches: test_sigmoid_stable
# hint: both branches
def sigmoid(z):
    """Looks stable, but np.where computes both branches for every z."""
    z = np.asarray(z, dtype=np.float64)
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))
