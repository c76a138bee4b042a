"""A segfault through ctypes (and its relatives, abort and faulthandler's crash).

A safe grader survives the death of its worker by a signal: in a call, the check fails saying
the function ended the Python process and a fresh worker serves the next checks; at import
time, the cell is skipped on restart. The softmax earns exactly what a missing softmax earns.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

CRASHER = '''
import ctypes, faulthandler, os

def _crash():
    {body}

{at_import}

def softmax(scores):
    _crash()
    return scores
'''
VARIANTS = {
    "ctypes_in_call": ("ctypes.string_at(0)", ""),
    "ctypes_at_import": ("ctypes.string_at(0)", "_crash()"),
    "abort": ("os.abort()", ""),
    "faulthandler": ("faulthandler._sigsegv()", ""),
}


def test_segfaults_cost_only_the_function(submission, grade_batch, short_course):
    """Does a segfault in softmax, or while importing it, cost only the softmax points?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": CRASHER.format(body=body, at_import=at_import)})
        for name, (body, at_import) in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(short_course, attacks, budget=60, jobs=2)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
    assert "SIGSEGV" in batch.messages("ctypes_in_call")
