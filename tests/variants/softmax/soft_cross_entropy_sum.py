# kind: buggy
# replaces: soft-cross-entropy-impl
# catches: test_soft_cross_entropy_random
# hint: did you sum over the examples
def soft_cross_entropy(scores, targets):
    """Sums the row losses instead of averaging them."""
    s = np.asarray(scores, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    shifted = s - np.max(s, axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return float(-np.sum(t * log_probs))
