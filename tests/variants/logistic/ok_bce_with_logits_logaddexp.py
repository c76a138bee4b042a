# kind: correct
# replaces: bce-with-logits-impl
def bce_with_logits(z, y):
    """y * softplus(-z) + (1 - y) * softplus(z) with np.logaddexp; an np.float64."""
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return np.mean(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z))
