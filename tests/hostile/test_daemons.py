"""Background threads and setsid daemons that outlive the call.

A safe grader kills the whole sandbox when a submission is done, whatever it started: a
thread that keeps running after softmax returns, a double-forked setsid daemon started in a
call or at import time (holding the worker's socket and sleeping for an hour). The softmax's
results are what the wrong softmax returns, so it earns what that earns, and no process of
the sandbox uids is left once the batch is over.
"""
from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

DAEMONS = '''
import os, threading, time

def _linger():
    while True:
        time.sleep(0.05)

def _daemon():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(3600)
        os._exit(0)

_daemon()
_inner = softmax

def softmax(scores):
    threading.Thread(target=_linger, daemon=False).start()
    _daemon()
    return _inner(scores)
'''


def test_daemons_do_not_survive_the_submission(submission, grade_batch, short_course):
    """Do threads and setsid daemons started by a submission die with its sandbox?"""
    attack = submission("softmax", name="attack", replace={"softmax-impl": WRONG + DAEMONS})
    twin = submission("softmax", name="twin", replace={"softmax-impl": WRONG})
    batch = grade_batch(short_course, {"attack": attack, "twin": twin}, budget=90)
    batch.earns_like("attack", "twin")
