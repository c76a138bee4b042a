"""Many small arrays: a reply within the wire's byte limit that is costly to decode.

Each array costs the grader a header check however small it is, so a reply of hundreds of
thousands of one-element arrays once cost the trusted process 40 s of CPU, after the call's
deadline. A safe grader bounds the number of arrays per message and counts decoding against
the call's deadline: a softmax returning such replies earns exactly what a missing softmax
earns, and the batch stays quick.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

FLOOD = '''
import numpy as np

def softmax(scores):
    tiny = [np.zeros(1) for _ in range({count})]
    return [tiny[i:i + 9000] for i in range(0, len(tiny), 9000)]
'''


def test_many_small_arrays_cost_the_grader_little(submission, grade_batch, hostile_course):
    """Does a reply of very many tiny arrays earn what a missing softmax earns, quickly?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": FLOOD.format(count=count)})
        for name, count in (("over_limit", 400_000), ("at_limit", 4000))}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(hostile_course, attacks, budget=90)
    batch.earns_like("over_limit", "twin")
    batch.earns_like("at_limit", "twin")
