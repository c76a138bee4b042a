# kind: buggy
# replaces: bce-impl
# catches: test_bce_random
# hint: swapped
def bce(p, y):
    """y multiplies log(1 - p) and 1 - y multiplies log(p)."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return float(np.mean(-((1.0 - y) * np.log(p) + y * np.log(1.0 - p))))
