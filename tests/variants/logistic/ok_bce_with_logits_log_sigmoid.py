# kind: correct
# replaces: bce-with-logits-impl
def bce_with_logits(z, y):
    """log sigmoid(z) = -(max(-z, 0) + log1p(exp(-|z|))), computed once for both terms."""
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    tail = np.log1p(np.exp(-np.abs(z)))
    log_p = -(np.maximum(-z, 0.0) + tail)
    log_not_p = -(np.maximum(z, 0.0) + tail)
    return float(-np.mean(y * log_p + (1.0 - y) * log_not_p))
