# kind: buggy
# replaces: bce-impl
# catches: test_bce_extreme
# hint: clipped
def bce(p, y):
    """Clips p at 1e-7 (a common library epsilon) before the log."""
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-7, 1.0 - 1e-7)
    y = np.asarray(y, dtype=np.float64)
    return float(np.mean(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))))
