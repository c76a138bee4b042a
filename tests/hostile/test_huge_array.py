"""Objects whose __array__ claims 10^12 elements, and arrays that really have that many.

A safe grader bounds what it accepts before it allocates anything: an object whose __array__
or __array_interface__ claims 10^12 elements, a zero-stride view with 10^12 elements, a
broadcast view, and a list of arrays larger than a message may be are refused in the worker or
at the wire, and the softmax that returns one earns exactly what a missing softmax earns.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

CLASSES = '''
import numpy as np

class Claims:
    def __len__(self): return 10**12
    def __array__(self, *a, **k): return np.broadcast_to(np.float64(0.1), (10**12,))
    @property
    def __array_interface__(self):
        return {{"shape": (10**6, 10**6), "typestr": "<f8", "data": (0, True), "version": 3}}

def softmax(scores):
    return {value}
'''
VARIANTS = {
    "claims": "Claims()",
    "zero_strides": "np.lib.stride_tricks.as_strided(np.zeros(1), shape=(10**6, 10**6), "
                    "strides=(0, 0))",
    "broadcast": "np.broadcast_to(0.1, (10**12,))",
    "too_large_message": "[np.zeros(4_000_000) + i for i in range(3)]",
}


def test_huge_arrays_are_refused(submission, grade_batch, hostile_course):
    """Are claimed or real 10^12-element arrays refused without allocating them?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": CLASSES.format(value=value)}) for name, value in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(hostile_course, attacks, budget=90)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
        assert batch.points(name)["softmax"] == 0
