"""A memory bomb.

A safe grader caps the worker's address space: allocating 100 GB at once, growing a list
until memory runs out, or doing so at import time raises MemoryError (or ends the worker) in
the sandbox, never in the grader, whose memory stays bounded. The softmax earns exactly what
a missing softmax earns.
"""
import resource

from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

BOMB = '''
import numpy as np

def _bomb():
    {body}

{at_import}

def softmax(scores):
    _bomb()
    return scores
'''
VARIANTS = {
    "one_block": ("bytearray(10**11)", ""),
    "numpy": ("np.ones((10**5, 10**5))", ""),
    "growing": ("hoard = []\n    while True:\n        hoard.append(bytearray(2**24))", ""),
    "at_import": ("hoard = []\n    while True:\n        hoard.append(np.ones(2**21))", "_bomb()"),
}


def test_memory_bombs_stay_in_the_sandbox(submission, grade_batch, short_course):
    """Does exhausting the worker's memory cost only the softmax points?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": BOMB.format(body=body, at_import=at_import)})
        for name, (body, at_import) in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    batch = grade_batch(short_course, attacks, budget=90, jobs=2)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grew_mb < 200, f"the grader's own memory grew by {grew_mb:.0f} MB"
