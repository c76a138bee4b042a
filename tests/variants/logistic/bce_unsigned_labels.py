# kind: buggy
# replaces: bce-impl
# catches: test_bce_edges
# hint: wraps around
def bce(p, y):
    """Negates y as given: for uint8 labels -1 becomes 255."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    return float(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)))
