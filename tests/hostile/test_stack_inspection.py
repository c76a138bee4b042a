"""Inspecting the call stack (and the heap) for expected values.

A safe grader never sends expected values, hidden inputs it does not pass, or reference code
to the process that runs the submission. A softmax that walks every frame and every object in
its worker, looking for an array of probabilities of the right shape (or for any reference
module, test module or expected value) to return, finds nothing and earns exactly what the
honest wrong softmax it falls back to earns. What it saw is printed into its error messages
too, so a leak would also show up in the student-visible output.
"""
from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

SNOOP = '''
import gc, sys
import numpy as np

_wrong = softmax
_seen = sorted({name for name in sys.modules if "ref" in name or "test" in name or "grad" in name})

def _candidates(shape):
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()) + list(frame.f_globals.values()):
            yield value
        frame = frame.f_back
    yield from gc.get_objects()

def softmax(scores):
    shape = np.shape(scores)
    for value in _candidates(shape):
        if type(value) is np.ndarray and value.shape == shape and value is not scores \\
                and value.dtype.kind == "f" and np.all(value >= 0) \\
                and np.allclose(value.sum(axis=-1), 1.0):
            return value.copy()
    return _wrong(scores)

raise RuntimeError(f"modules in the worker: {_seen}")
'''


def test_the_stack_holds_no_expected_values(submission, grade_batch, hostile_course):
    """Does searching the worker's stack and heap for expected values earn anything?"""
    attack = submission("softmax", name="attack", replace={"softmax-impl": WRONG + SNOOP})
    twin = submission("softmax", name="twin", replace={"softmax-impl": WRONG})
    batch = grade_batch(hostile_course, {"attack": attack, "twin": twin}, budget=60)
    batch.earns_like("attack", "twin")
    assert "modules in the worker" in batch.messages("attack")
