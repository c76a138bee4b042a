# kind: buggy
# replaces: bce-with-logits-impl
# catches: test_bce_with_logits_stable
# hint: clipped
def bce_with_logits(z, y):
    """A stable sigmoid clipped at 1e-15 before the log: no warning, but a capped loss."""
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    e = np.exp(-np.abs(z))
    p = np.clip(np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), 1e-15, 1.0 - 1e-15)
    return float(np.mean(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))))
