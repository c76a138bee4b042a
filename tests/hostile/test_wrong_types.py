"""Lists, NaN, inf and wrong shapes where the specification asks for arrays and floats.

A safe grader accepts a numpy array of the right shape where an array is asked for, and a
float, numpy scalar or 0-d array where a float is asked for; everything else fails the checks
that look at the value. Such a function earns no check that an honest wrong function (here
the unnormalised softmax, or a cross-entropy that returns 0) does not earn too: in particular
the right values as a list, or a loss as a one-element list or array, earn nothing.
"""
from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

SOFTMAX = '''
import numpy as np

def _right(scores):
    s = np.asarray(scores, dtype=float)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)

def softmax(scores):
    return {value}
'''
SOFTMAX_VARIANTS = {
    "list": "_right(scores).tolist()",
    "nan": "np.full(np.shape(scores), np.nan)",
    "inf": "np.full(np.shape(scores), np.inf)",
    "extra_axis": "_right(scores)[None]",
    "column": "_right(scores).reshape(-1, 1)",
    "float": "float(_right(scores).sum())",
}
CROSS_ENTROPY = '''
import numpy as np

def _right(scores, y):
    s = np.atleast_2d(np.asarray(scores, dtype=float))
    m = s.max(axis=-1, keepdims=True)
    lse = (m + np.log(np.exp(s - m).sum(axis=-1, keepdims=True)))[:, 0]
    return float(np.mean(lse - s[np.arange(len(s)), np.atleast_1d(y)]))

def cross_entropy(scores, y):
    return {value}
'''
CE_VARIANTS = {
    "ce_list": "[_right(scores, y)]",
    "ce_array1": "np.array([_right(scores, y)])",
    "ce_nan": "float('nan')",
    "ce_inf": "float('inf')",
    "ce_str": "str(_right(scores, y))",
    "ce_none": "None",
}
CE_WRONG = "def cross_entropy(scores, y):\n    return 0.0\n"


def test_wrong_types_earn_no_more_than_an_honest_wrong_function(submission, grade_batch,
                                                                  hostile_course):
    """Do lists, nan, inf and wrong shapes earn no check an honest wrong function misses?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": SOFTMAX.format(value=value)}) for name, value in SOFTMAX_VARIANTS.items()}
    attacks.update({name: submission("softmax", name=name, replace={
        "cross-entropy-impl": CROSS_ENTROPY.format(value=value)})
        for name, value in CE_VARIANTS.items()})
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": WRONG})
    attacks["ce_twin"] = submission("softmax", name="ce_twin",
                                    replace={"cross-entropy-impl": CE_WRONG})
    batch = grade_batch(hostile_course, attacks, budget=120, jobs=2)
    for names, twin, fn in ((SOFTMAX_VARIANTS, "twin", "softmax"),
                            (CE_VARIANTS, "ce_twin", "cross_entropy")):
        for name in names:
            assert batch.passed(name, fn) <= batch.passed(twin, fn), (name, batch.passed(name, fn))
            others = {k: v for k, v in batch.points(name).items() if k != fn}
            assert others == {k: v for k, v in batch.points(twin).items() if k != fn}
    for name in ("list", "ce_list", "ce_array1"):  # the right values, in the wrong type
        assert batch.points(name) == batch.points("twin" if name == "list" else "ce_twin")
