# kind: buggy
# replaces: bce-with-logits-impl
# catches: test_bce_with_logits_soft
# hint: y may be soft
def bce_with_logits(z, y):
    """Picks one term by the label: soft targets are treated as 0."""
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y)
    softplus = lambda t: np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))  # noqa: E731
    return float(np.mean(np.where(y == 1, softplus(-z), softplus(z))))
