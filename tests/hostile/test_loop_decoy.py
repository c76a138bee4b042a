"""Talking the no-loops check round: a loop-free decoy, or a loop-free wrapper.

The vectorized loss must contain no Python-level loop. A submission can define a loop-free
`softmax_loss_vectorized` and then rebind the name to a looping function, or define it as a
loop-free wrapper around a looping helper (here the naive loss). A safe grader checks the
function that actually runs and the notebook functions it calls: both attacks earn exactly
what an honest vectorized loss with a loop in its body earns.
"""
import pytest

from .conftest import copy_course, needs_bwrap

pytestmark = needs_bwrap

LOOPY = '''
def {name}(W, X, y, reg):
    total = 0.0
    for i in range(X.shape[0]):  # an honest loop in its own body
        total += 0.0
    return softmax_loss_naive(W, X, y, reg)
'''
DECOY = LOOPY.format(name="_looping") + '''
def softmax_loss_vectorized(W, X, y, reg):
    return 0.0, W * 0.0

softmax_loss_vectorized = _looping
'''
WRAPPER = '''
def softmax_loss_vectorized(W, X, y, reg):
    return softmax_loss_naive(W, X, y, reg)
'''


@pytest.fixture(scope="module")
def classifier_course(tmp_path_factory):
    return copy_course(tmp_path_factory.mktemp("smc-loops"), assignment="softmax_classifier")


def test_the_function_that_runs_is_checked_for_loops(submission, grade_batch,
                                                     classifier_course):
    """Do a rebound decoy and a wrapper earn what an honest looping version earns?"""
    cells = {"decoy": DECOY, "wrapper": WRAPPER,
             "twin": LOOPY.format(name="softmax_loss_vectorized")}
    attacks = {name: submission("softmax_classifier", name=name,
                                replace={"smc-vectorized-impl": source})
               for name, source in cells.items()}
    batch = grade_batch(classifier_course, attacks, budget=120)
    batch.earns_like("decoy", "twin")
    batch.earns_like("wrapper", "twin")
    assert "must be vectorized" in batch.messages("wrapper")
