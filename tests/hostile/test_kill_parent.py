"""Killing or stopping the parent process.

A safe grader is out of the worker's reach: inside the sandbox the worker's parent is the
sandbox's own init (root, in a private process namespace), the grader's processes are not
visible, and the worker runs as another uid. SIGKILL, SIGTERM or SIGSTOP sent to the parent,
to pid 1, to every process (kill -1) or to the worker's own process group, and a worker that
stops itself, end or stall only the worker. The grader survives, and the softmax earns exactly
what a missing softmax earns.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

KILLER = '''
import os, signal

def softmax(scores):
    for target, sig in {targets}:
        try:
            os.kill(target, sig) if target is not None else os.killpg(0, sig)
        except OSError:
            pass
    raise RuntimeError("still alive")
'''
VARIANTS = {
    "parent_kill": "[(os.getppid(), signal.SIGKILL)]",
    "parent_stop": "[(os.getppid(), signal.SIGSTOP), (1, signal.SIGSTOP)]",
    "parent_term": "[(os.getppid(), signal.SIGTERM), (1, signal.SIGTERM)]",
    "everyone": "[(-1, signal.SIGKILL), (-1, signal.SIGSTOP)]",
    "own_group": "[(None, signal.SIGKILL)]",
    "stop_self": "[(os.getpid(), signal.SIGSTOP)]",
}


def test_the_parent_is_out_of_reach(submission, grade_batch, short_course):
    """Can a submission kill or stop the grader?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": KILLER.format(targets=targets)}) for name, targets in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(short_course, attacks, budget=90, jobs=2)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
