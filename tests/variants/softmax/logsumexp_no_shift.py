# kind: buggy
# replaces: logsumexp-impl
# catches: test_logsumexp_stable
# hint: max shift
def logsumexp(scores):
    """log(sum(exp(s))) computed directly."""
    out = np.log(np.sum(np.exp(np.asarray(scores, dtype=np.float64)), axis=-1))
    return float(out) if out.ndim == 0 else out
