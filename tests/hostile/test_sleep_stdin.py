"""Sleeping, or blocking on stdin or a signal.

A safe grader gives the worker no terminal (stdin is /dev/null, so reading it ends at once)
and bounds every call by wall time, not CPU time: a softmax that sleeps for days, waits for a
signal or select()s on stdin fails its checks after the call time limit. It earns exactly what
a missing softmax earns, and the batch ends within its budget.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

SLEEPER = '''
import os, select, signal, sys, threading, time

def softmax(scores):
    {body}
'''
VARIANTS = {
    "sleep": "time.sleep(10**6)",
    "stdin": "sys.stdin.read(); input(); os.read(0, 1); select.select([sys.stdin], [], [])\n"
             "    threading.Event().wait()",
    "pause": "signal.pause()",
}


def test_sleeping_and_blocking_are_bounded(submission, grade_batch, short_course):
    """Does a softmax that sleeps or waits on stdin cost its points and a bounded time?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": SLEEPER.format(body=body)}) for name, body in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(short_course, attacks, budget=60, jobs=2)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
        assert any(c.status == "timeout" for c in batch.reports[name].checks) or name == "stdin"
