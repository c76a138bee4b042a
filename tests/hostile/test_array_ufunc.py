"""ndarray subclasses and objects with __array_ufunc__ / __array_function__ tricks.

A safe grader never lets a returned object take part in its comparisons: an ndarray subclass
that answers every ufunc or np.allclose with True, a masked array whose every entry is masked,
np.matrix, and an object that makes arithmetic defer to it (__array_ufunc__ = None) are all
wrong types, so the softmax that returns one earns exactly what a missing softmax earns.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

CLASSES = '''
import numpy as np

class Liar(np.ndarray):
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        shape = np.broadcast_shapes(*(np.shape(i) for i in inputs))
        return np.ones(shape, dtype=bool)
    def __array_function__(self, func, types, args, kwargs):
        return True
    def __eq__(self, other): return True
    __hash__ = None

class Deferrer:
    __array_ufunc__ = None
    __array_priority__ = 1e9
    def __sub__(self, other): return np.zeros(10)
    __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __sub__
    def __abs__(self): return np.zeros(10)
    def __le__(self, other): return np.ones(10, dtype=bool)
    __lt__ = __ge__ = __gt__ = __eq__ = __le__
    __hash__ = object.__hash__

def softmax(scores):
    shape = np.shape(scores)
    return {value}
'''
VARIANTS = {
    "liar_subclass": "np.full(shape, 0.5).view(Liar)",
    "deferrer": "Deferrer()",
    "masked_array": "np.ma.masked_all(shape)",
    "matrix": "np.matrix(np.full(shape, 1.0 / shape[-1]))",
}


def test_array_protocol_tricks_earn_nothing(submission, grade_batch, hostile_course):
    """Do ndarray subclasses and __array_ufunc__ tricks earn what a missing softmax earns?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": CLASSES.format(value=value)}) for name, value in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(hostile_course, attacks, budget=60)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
        assert batch.points(name)["softmax"] == 0
