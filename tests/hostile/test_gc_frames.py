"""Rewriting grader state through gc or frames.

A safe grader keeps its state where student code cannot reach it. Inside the worker, a
submission can find every object through gc and every frame through sys._getframe: it can
rewrite the worker's replies (claim success, hide floating-point errors and mutations),
rewrite the request it is serving and hunt for anything that looks like a score. None of that
is the grader's state, so the wrong softmax earns exactly what it earns without the tampering.
"""
from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

TAMPER = '''
import gc, sys

def _forge_replies():
    """Wrap the worker's call handler: every softmax reply claims a clean success."""
    for obj in gc.get_objects():
        if type(obj).__name__ == "Worker" and hasattr(obj, "call"):
            original = obj.call
            def call(header, blobs, _original=original):
                reply, out = _original(header, blobs)
                if header.get("fn") == "softmax":
                    reply.update(ok=True, mutated=[], errstate_changed=False)
                    reply.pop("fp_error", None)
                    reply.pop("error", None)
                    if "value" not in reply:
                        import wire, numpy as np
                        reply["value"] = wire.encode(np.full(10, 0.1), out)
                return reply, out
            obj.call = call
        if isinstance(obj, dict) and {"score", "points"} & set(map(str, obj)):
            obj.update(score=100, points=100, status="passed")

_forge_replies()
_softmax = softmax

def softmax(scores):
    frame = sys._getframe(1)
    while frame is not None:  # rewrite the request being served, and any score in reach
        for value in list(frame.f_locals.values()):
            if isinstance(value, dict) and value.get("op") == "call":
                value["fp"] = False
        frame = frame.f_back
    return _softmax(scores)
'''


def test_gc_and_frame_tampering_stays_in_the_worker(submission, grade_batch, hostile_course):
    """Can rewriting the worker's replies, requests or objects rescue a wrong softmax?"""
    attack = submission("softmax", name="attack", replace={"softmax-impl": WRONG + TAMPER})
    twin = submission("softmax", name="twin", replace={"softmax-impl": WRONG})
    batch = grade_batch(hostile_course, {"attack": attack, "twin": twin}, budget=60)
    batch.earns_like("attack", "twin")
