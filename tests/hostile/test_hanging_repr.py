"""A __repr__ (or __str__, __format__, __name__) that hangs.

A safe grader never calls a method of a student object on the trusted side: it sees only
plain data, and describes a wrong type by its class name, computed in the worker. A returned
object whose __repr__ hangs therefore fails at once; an exception whose __str__ hangs, or
whose class name hangs, stalls only the worker, which the call's time limit ends. Either way
the softmax earns exactly what a missing softmax earns, and the batch ends on time.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

CLASSES = '''
def _hang(*args, **kwargs):
    while True:
        pass

class HangingRepr:
    __repr__ = __str__ = __format__ = _hang

class HangingFloat(float):
    __repr__ = __str__ = __format__ = _hang

class HangingError(Exception):
    __repr__ = __str__ = _hang

class Meta(type):
    @property
    def __name__(cls):
        _hang()

class NamelessError(Exception, metaclass=Meta):
    pass

def softmax(scores):
    {body}
'''
VARIANTS = {
    "returns_object": "return HangingRepr()",
    "returns_float": "return HangingFloat(0.1)",
    "raises_hanging_str": "raise HangingError()",
    "raises_hanging_name": "raise NamelessError()",
}


def test_hanging_repr_never_runs_on_the_trusted_side(submission, grade_batch, short_course):
    """Does a hanging __repr__ cost only the softmax points, within the time budget?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": CLASSES.format(body=body)}) for name, body in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(short_course, attacks, budget=90, jobs=2)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
    for name in ("returns_object", "returns_float"):
        assert "not plain data" in batch.messages(name)
        assert all(c.status != "timeout" for c in batch.reports[name].checks)
