"""Silencing numpy: np.errstate(all="ignore") or np.seterr inside the function.

Stability checks call the function with numpy set to raise on overflow, invalid and divide,
and require no floating-point error. A softmax that computes the naive way with the errors
silenced (a context manager, a decorator, or np.seterr set and restored) and falls back to
the stable formula when the result is not finite returns the right values, and only
settings left changed after the call used to be caught. A safe grader pins numpy's error
state during the probes: each variant earns exactly what the same code without silencing
earns.
"""
from .conftest import needs_bwrap

pytestmark = needs_bwrap

BODY = '''
    e = np.exp(s)
    p = e / e.sum(axis=-1, keepdims=True)
'''
FALLBACK = '''
    if np.all(np.isfinite(p)):
        return p
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
'''
HEAD = '''
import numpy as np

{decorator}def softmax(scores):
    s = np.asarray(scores, dtype=float)
'''
VARIANTS = {
    "context": HEAD.format(decorator="") + "    with np.errstate(all='ignore'):"
    + BODY.replace("\n    ", "\n        ") + FALLBACK,
    "decorator": HEAD.format(decorator="@np.errstate(all='ignore')\n") + BODY + FALLBACK,
    "seterr": HEAD.format(decorator="") + "    old = np.seterr(all='ignore')" + BODY
    + "    np.seterr(**old)" + FALLBACK,
    "twin": HEAD.format(decorator="") + BODY + FALLBACK,
}


def test_silenced_errors_are_still_seen(submission, grade_batch, hostile_course):
    """Does each way of silencing numpy earn what the unsilenced code earns?"""
    attacks = {name: submission("softmax", name=name, replace={"softmax-impl": source})
               for name, source in VARIANTS.items()}
    batch = grade_batch(hostile_course, attacks, budget=90)
    for name in ("context", "decorator", "seterr"):
        batch.earns_like(name, "twin")
        assert "not numerically stable" in batch.messages(name), name
    assert batch.passed("twin", "softmax")  # the twin is right where nothing overflows
