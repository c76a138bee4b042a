"""sys.exit(0) and os._exit(0), at import time or in the middle of a call.

A safe grader treats an exit as the submission's failure, never as the end of grading: at
import time the cell is recorded as failed (SystemExit) or as having ended the process
(os._exit) and skipped when the worker restarts; in a call, the check fails and a fresh worker
serves the checks that follow. The softmax earns exactly what a missing softmax earns, and
every other function keeps its points.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

SOLVED = '''
import numpy as np

def softmax(scores):
    {body}
    s = np.asarray(scores, dtype=float)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
'''
VARIANTS = {
    "sys_exit_at_import": "import sys\nsys.exit(0)\n" + SOLVED.format(body="pass"),
    "os_exit_at_import": "import os\nos._exit(0)\n" + SOLVED.format(body="pass"),
    "sys_exit_in_call": SOLVED.format(body="import sys; sys.exit(0)"),
    "os_exit_in_call": SOLVED.format(body="import os; os._exit(0)"),
    "exit_builtin_in_call": SOLVED.format(body="exit(0)"),
}


def test_exits_cost_only_the_function(submission, grade_batch, short_course):
    """Do exits at import or mid-call cost the softmax points and nothing else?"""
    attacks = {name: submission("softmax", name=name, replace={"softmax-impl": source})
               for name, source in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(short_course, attacks, budget=90, jobs=2)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
    assert "SystemExit" in batch.messages("sys_exit_at_import")
    assert "ended the Python process" in batch.messages("os_exit_at_import")
    assert "ended the Python process" in batch.messages("os_exit_in_call")
