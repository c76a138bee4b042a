"""Replaying hidden inputs: a function that remembers what hidden checks gave it.

A student function can record every input it is called with and quote them in the exception
text of a later visible check, whose message a student reads. A safe grader runs visible
checks on a worker that has never served a hidden check (visible checks first, and a fresh
worker for any visible check after a hidden call), so a marker value that only a hidden check
passes never reaches a student-visible output, even though the hidden check comes first in
the test files. The attack earns exactly what a missing softmax earns.
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
    raise ValueError("inputs seen so far: " + " | ".join(SEEN))
'''


@pytest.fixture(scope="module")
def marked_course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("marked-course"))
    (course.assignment.tests_dir / "test_aa_marker.py").write_text(HIDDEN_FIRST)
    return course


def test_hidden_inputs_never_reach_visible_messages(submission, grade_batch, marked_course):
    """Does a value passed only in a hidden check stay out of every student-visible output?"""
    attacks = {"recorder": submission("softmax", name="recorder",
                                      replace={"softmax-impl": RECORDER}),
               "twin": submission("softmax", name="twin", replace={"softmax-impl": MISSING})}
    batch = grade_batch(marked_course, attacks, budget=60)
    batch.earns_like("recorder", "twin")
    assert "inputs seen so far" in batch.visible  # the attack's text does reach students
    assert MARKER not in batch.visible
    detail = " ".join(c.detail for c in batch.reports["recorder"].checks)
    assert MARKER in detail  # the instructor still sees everything
