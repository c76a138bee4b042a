# kind: buggy
# replaces: bce-with-logits-impl
# catches: test_bce_with_logits_stable
# hint: naive bce
def bce_with_logits(z, y):
    """bce(sigmoid(z), y) with a stable sigmoid: log(0) at extreme logits."""
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    e = np.exp(-np.abs(z))
    p = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(np.mean(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))))
