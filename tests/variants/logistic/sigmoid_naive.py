# kind: buggy
# replaces: sigmoid-impl
# catches: test_sigmoid_stable
# hint: overflows
def sigmoid(z):
    """The textbook formula: exp(-z) overflows for z = -1000."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))
