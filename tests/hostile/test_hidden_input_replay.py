"""Replaying hidden inputs: a function that remembers what hidden checks gave it.

A student function can record every input it is called with and put them in a later message:
the exception text of a visible check, the name of an exception class, or the name of the
class of an object it returns (all of which messages quote). A safe grader quotes none of
the student's text once the worker has served a hidden check (a fresh worker may again), so
a marker value that only a hidden check passes never reaches a student-visible output, even
though that hidden check is collected before every visible one. Each attack earns exactly
what a missing softmax earns.
"""
import pytest

from .conftest import MISSING, copy_course, needs_bwrap

pytestmark = needs_bwrap

MARKER = "271828"
HIDDEN_FIRST = f'''
import numpy as np
import pytest


@pytest.mark.visibility("hidden")
@pytest.mark.function("softmax")
@pytest.mark.points(0)
def test_aa_hidden_marker(student):
    """A hidden call with a marker value, collected before every visible check."""
    student.softmax(np.array([[{MARKER}.0, 0.0]]))
'''
RECORDER = '''
SEEN = []

def softmax(scores):
    SEEN.append(repr(scores))
    text = "inputs seen so far: " + " | ".join(SEEN)
    {action}
'''
ACTIONS = {
    "message": "raise ValueError(text)",
    "exception_name": "raise type(text[:200].replace(' ', '_'), (Exception,), {})()",
    "class_name": "return type(text[:200].replace(' ', '_'), (), {})()",
}


@pytest.fixture(scope="module")
def marked_course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("marked-course"))
    (course.assignment.tests_dir / "test_aa_marker.py").write_text(HIDDEN_FIRST)
    return course


def test_hidden_inputs_never_reach_visible_messages(submission, grade_batch, marked_course):
    """Does a value passed only in a hidden check stay out of every student-visible output?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": RECORDER.format(action=action)}) for name, action in ACTIONS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(marked_course, attacks, budget=60)
    for name in ACTIONS:
        batch.earns_like(name, "twin")
    assert MARKER not in batch.visible
    assert "softmax raised ValueError" in batch.messages("message")  # what is safe is said
    assert "softmax raised an exception" in batch.messages("exception_name")
    assert "not plain data" in batch.messages("class_name")
    detail = " ".join(c.detail for c in batch.reports["message"].checks)
    assert MARKER in detail  # the instructor still sees everything
