"""Output floods.

A safe grader keeps only a bounded part of what a submission prints and never blocks on it:
printing hundreds of megabytes (through print, sys.__stdout__ or file descriptor 1) costs
nothing but time, printing forever ends at the call time limit, and writing to file
descriptor 2 until the pipe is full stalls only the worker. A bounded flood next to a wrong
softmax earns what that wrong softmax earns; an endless one earns what a missing softmax
earns.
"""
from .conftest import MISSING, WRONG, needs_bwrap

pytestmark = needs_bwrap

FLOOD = '''
import os, sys

def _flood():
    {body}

{at_import}
_inner = softmax

def softmax(scores):
    _flood()
    return _inner(scores)
'''
BOUNDED = ("line = 'x' * 2**20\n    for _ in range(20):\n        print(line)\n"
           "        sys.__stdout__.write(line)\n        os.write(1, line.encode())")
VARIANTS = {  # name: (body, at import, honest twin)
    "bounded": (BOUNDED, "_flood()", "wrong"),
    "endless_print": ("while True:\n        print('x' * 2**16)", "", "missing"),
    "stderr_fd": ("while True:\n        os.write(2, b'x' * 2**16)", "", "missing"),
}


def test_output_floods_are_bounded(submission, grade_batch, short_course):
    """Does flooding stdout or stderr cost at most the flooding function's points?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": WRONG + FLOOD.format(body=body, at_import=at_import)})
        for name, (body, at_import, _) in VARIANTS.items()}
    attacks["wrong"] = submission("softmax", name="wrong", replace={"softmax-impl": WRONG})
    attacks["missing"] = submission("softmax", name="missing", replace={"softmax-impl": MISSING})
    batch = grade_batch(short_course, attacks, budget=90, jobs=2)
    for name, (_, _, twin) in VARIANTS.items():
        batch.earns_like(name, twin)
