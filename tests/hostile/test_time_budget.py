"""No end to a submission's time: cells and calls that each stay just under their own limit.

Two hundred cells that each sleep just under the per-cell floor, or a correct softmax that
takes just under the call limit on every call, once held a batch for minutes. A safe grader
gives each submission one wall-clock budget (limits.submission_timeout) for its cells, calls
and replies: when it runs out the remaining checks fail saying so, points already earned
stay, and the batch moves on. The sleeping cells earn what the untouched stub earns; the slow
correct softmax keeps the points it earned in time, and less than the control.
"""
import pytest

from .conftest import copy_course, needs_bwrap

pytestmark = needs_bwrap

BUDGET = 8.0
LIMITS = {"call_timeout": 1.0, "notebook_timeout": 4.0, "submission_timeout": BUDGET}
SLOW_SOFTMAX = '''
import time
import numpy as np

def softmax(scores):
    time.sleep(0.8)
    s = np.asarray(scores, dtype=float)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
'''


@pytest.fixture(scope="module")
def budget_course(tmp_path_factory):
    return copy_course(tmp_path_factory.mktemp("budget-course"), LIMITS)


def test_one_budget_per_submission(submission, grade_batch, budget_course):
    """Do slow cells and slow calls stop at the submission's budget, keeping earned points?"""
    attacks = {
        "slow_cells": submission("softmax", name="slow_cells",
                                 append=["import time\ntime.sleep(0.45)\n"] * 200),
        "slow_calls": submission("softmax", name="slow_calls",
                                 replace={"softmax-impl": SLOW_SOFTMAX}),
        "stub": budget_course.assignment.release_notebook,
    }
    batch = grade_batch(budget_course, attacks, budget=4 * BUDGET + 30)
    batch.earns_like("slow_cells", "stub")
    for name in ("slow_cells", "slow_calls"):
        assert "time budget" in batch.messages(name), name
        assert batch.reports[name].execution_time < BUDGET + 6, name
    slow = batch.reports["slow_calls"]
    assert 0 < slow.score < batch.reports["control"].score
    assert any(c.status == "passed" and c.function == "softmax" for c in slow.checks)
