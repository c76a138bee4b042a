"""Mutating the input arrays in place so that later comparisons agree.

A grader that computes the expected value from the same array object after the student's
call can be fooled: zero the input, return uniform probabilities, and the reference of the
zeroed input agrees. A safe grader sends the worker copies, so the inputs it computes expected
values from are never touched; a softmax that mutates its inputs (now, or later through kept
references) passes no check that the same uniform softmax without the mutation fails, and the
only checks it loses besides are the ones that forbid modifying inputs.
"""
from .conftest import UNIFORM, needs_bwrap

pytestmark = needs_bwrap

MUTATOR = '''
import numpy as np

_kept = []

def softmax(scores):
    _kept.append(scores)
    for earlier in _kept:  # also rewrite the inputs of earlier calls
        if isinstance(earlier, np.ndarray) and earlier.flags.writeable:
            earlier[...] = 0
    shape = np.shape(scores)
    return np.full(shape, 1.0 / shape[-1])
'''


def test_mutating_inputs_fools_no_comparison(submission, grade_batch, hostile_course):
    """Can zeroing the input arrays make a uniform softmax look right?"""
    attack = submission("softmax", name="attack", replace={"softmax-impl": MUTATOR})
    twin = submission("softmax", name="twin", replace={"softmax-impl": UNIFORM})
    batch = grade_batch(hostile_course, {"attack": attack, "twin": twin}, budget=60)
    assert batch.passed("attack", "softmax") <= batch.passed("twin", "softmax")
    said = {c.id: c.message for c in batch.reports["attack"].checks}
    lost = batch.passed("twin", "softmax") - batch.passed("attack", "softmax")
    assert all("modified its input in place" in said[i] for i in lost), lost
    assert any("modified its input in place" in m for m in said.values())
    others = {k: v for k, v in batch.points("attack").items() if k != "softmax"}
    assert others == {k: v for k, v in batch.points("twin").items() if k != "softmax"}
