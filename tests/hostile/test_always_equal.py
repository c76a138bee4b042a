"""Objects whose __eq__ is always true.

A safe grader compares only plain data that it decoded itself. An object that claims to equal
anything, a float or tuple subclass that does the same, or an object array of such things is a
wrong type: the softmax that returns one earns exactly what a missing softmax earns.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

CLASSES = '''
import numpy as np

class AlwaysEqual:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return False
    def __gt__(self, other): return False
    def __le__(self, other): return True
    def __ge__(self, other): return True
    def __bool__(self): return True
    def __float__(self): return 0.1
    def __len__(self): return 10
    def __getitem__(self, i): return AlwaysEqual()
    def __array__(self, *a, **k): return np.full(10, 0.1)
    __hash__ = object.__hash__

class EqualFloat(float):
    def __eq__(self, other): return True
    __hash__ = float.__hash__

class EqualTuple(tuple):
    def __eq__(self, other): return True
    __hash__ = tuple.__hash__

def softmax(scores):
    return {value}
'''
VARIANTS = {
    "object": "AlwaysEqual()",
    "float_subclass": "EqualFloat(0.1)",
    "tuple_subclass": "EqualTuple([0.1] * 10)",
    "object_array": "np.array([AlwaysEqual()] * np.size(scores), dtype=object)",
}


def test_always_equal_objects_earn_nothing(submission, grade_batch, hostile_course):
    """Does an object that equals everything earn exactly what a missing softmax earns?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": CLASSES.format(value=value)}) for name, value in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(hostile_course, attacks, budget=60)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
        assert batch.points(name)["softmax"] == 0
        assert "not plain data" in batch.messages(name)
