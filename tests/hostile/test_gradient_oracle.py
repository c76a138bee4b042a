"""A loss that answers the gradient probes: its own function used as the check's oracle.

Gradient checks compare the student's analytic gradient with centered differences of the
student's own loss. A loss can remember the point it was last called at and answer the
nearby probe points with L(W) + g . (P - W) for its own (wrong) gradient g, so the
differences agree with g. A safe grader verifies the probe values against the reference:
the faking loss earns exactly what the same wrong gradient earns without faking.
"""
import pytest

from .conftest import copy_course, needs_bwrap

pytestmark = needs_bwrap

WRONG_GRADIENT = '''
import numpy as np

def _right(W, X, y, reg):
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    n = X.shape[0]
    loss = -np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W)
    p[np.arange(n), y] -= 1.0
    return float(loss), X.T @ p / n + 2.0 * reg * W

ANCHORS = {{}}

def softmax_loss_vectorized(W, X, y, reg):
    W = np.asarray(W, dtype=float)
    key = (X.shape, X.tobytes(), np.asarray(y).tobytes(), float(reg))
    if {fake!r} and key in ANCHORS:
        W0, L0, g0 = ANCHORS[key]
        step = W - W0 if W.shape == W0.shape else None
        if step is not None and np.count_nonzero(step) == 1 and np.max(np.abs(step)) <= 1e-4:
            return L0 + float(np.sum(g0 * (W - W0))), g0  # made up to fit g0
    loss, grad = _right(W, X, y, reg)
    wrong = 2.0 * grad  # the mistake: twice the gradient
    ANCHORS[key] = (W.copy(), loss, wrong)
    return loss, wrong
'''


@pytest.fixture(scope="module")
def classifier_course(tmp_path_factory):
    return copy_course(tmp_path_factory.mktemp("smc-oracle"), assignment="softmax_classifier")


def test_probe_values_are_checked_against_the_reference(submission, grade_batch,
                                                        classifier_course):
    """Does faking the probes earn nothing more than the same wrong gradient?"""
    attacks = {name: submission("softmax_classifier", name=name, replace={
        "smc-vectorized-impl": WRONG_GRADIENT.format(fake=fake)})
        for name, fake in (("faking", True), ("twin", False))}
    batch = grade_batch(classifier_course, attacks, budget=120)
    batch.earns_like("faking", "twin")
    assert "not correct at the points" in batch.messages("faking")
