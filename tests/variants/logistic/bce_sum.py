# kind: buggy
# replaces: bce-impl
# catches: test_bce_random
# hint: did you sum over the examples
def bce(p, y):
    """The sum over the examples instead of the mean."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return float(np.sum(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))))
