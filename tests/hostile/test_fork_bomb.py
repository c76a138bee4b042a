"""A fork bomb, and its cousins: a thread bomb and a subprocess bomb.

A safe grader runs the worker as a dedicated non-root uid with a process limit, in its own
process namespace: forking, starting threads or spawning programs in a loop hits the limit,
the call times out, and killing the sandbox takes every process with it. The softmax earns
exactly what a missing softmax earns, the control graded afterwards is unharmed, and no process
of the sandbox uids survives the batch.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

BOMB = '''
import os, subprocess, threading, time

def softmax(scores):
    {body}
'''
VARIANTS = {
    "fork": "while True:\n        try:\n            os.fork()\n        except OSError:\n"
            "            pass",
    "threads": "while True:\n        try:\n            threading.Thread(target=time.sleep, "
               "args=(60,)).start()\n        except RuntimeError:\n            pass",
    "spawn": "while True:\n        try:\n            subprocess.Popen(['sleep', '60'])\n"
             "        except OSError:\n            pass",
}


def test_fork_bombs_leave_nothing_behind(submission, grade_batch, short_course):
    """Does a fork, thread or spawn bomb cost only softmax, and leave no process?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": BOMB.format(body=body)}) for name, body in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(short_course, attacks, budget=90, jobs=2)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
