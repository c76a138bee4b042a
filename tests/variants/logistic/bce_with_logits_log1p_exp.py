# kind: buggy
# replaces: bce-with-logits-impl
# catches: test_bce_with_logits_stable
# hint: overflows
def bce_with_logits(z, y):
    """softplus as log1p(exp(z)): exp overflows for z = 1000."""
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return float(np.mean(np.log1p(np.exp(z)) - y * z))
