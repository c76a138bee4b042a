# kind: buggy
# replaces: sigmoid-impl
# catches: test_sigmoid_random, test_sigmoid_known
# hint: sign is flipped
def sigmoid(z):
    """1 / (1 + exp(z)), stably: that is sigmoid(-z)."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z <= 0, 1.0 / (1.0 + e), e / (1.0 + e))
