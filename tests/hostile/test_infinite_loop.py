"""An infinite loop, in a call or at import time.

A safe grader bounds every call and every cell: a call that never returns fails its check
after the call time limit, and after a few such calls the function is not called again; a
cell that never finishes is stopped at the notebook time limit and skipped when the worker
restarts. The softmax earns exactly what a missing softmax earns, every other function keeps
its points, and the batch ends within a budget set by the limits (1 s a call, 10 s of cells).
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

LOOP_IN_CALL = "def softmax(scores):\n    while True:\n        pass\n"
LOOP_AT_IMPORT = "while True:\n    pass\n\ndef softmax(scores):\n    return scores\n"


def test_infinite_loops_are_bounded(submission, grade_batch, short_course):
    """Does a softmax that never returns, or a cell that never ends, cost only softmax?"""
    attacks = {"in_call": submission("softmax", name="in_call",
                                     replace={"softmax-impl": LOOP_IN_CALL}),
               "at_import": submission("softmax", name="at_import",
                                       replace={"softmax-impl": LOOP_AT_IMPORT}),
               "twin": submission("softmax", name="twin", replace={"softmax-impl": MISSING})}
    batch = grade_batch(short_course, attacks, budget=60, jobs=2)
    for name in ("in_call", "at_import"):
        batch.earns_like(name, "twin")
    timeouts = [c for c in batch.reports["in_call"].checks if c.status == "timeout"]
    assert timeouts and {c.message for c in timeouts} == {"softmax did not return within 1 s"}
    assert "did not finish within the notebook's time limit" in batch.messages("at_import")
