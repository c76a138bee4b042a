# kind: buggy
# replaces: bce-with-logits-impl
# catches: test_bce_with_logits_random
# hint: did you sum over the examples
def bce_with_logits(z, y):
    """The sum over the examples instead of the mean."""
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return float(np.sum(np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z))) - y * z))
