"""Closing or writing to the worker's socket.

The worker talks to the grader over a socket that student code in the worker can reach. A
safe grader trusts nothing that arrives on it: every reply must carry the number of the
request it answers and have the fields and types the protocol promises. A forged reply
written before the real one, a reply for a request not yet sent, garbage bytes, a length
prefix announcing 2^40 bytes, and a closed or shut-down socket each end that worker (the call
fails as if it had crashed), and the next check gets a fresh one. A forged reply with the
right number is taken as that call's answer, which is only the submission's own claim about
its own function: it earns what an honest function returning the same value earns.
"""
from .conftest import MISSING, UNIFORM, needs_bwrap

pytestmark = needs_bwrap

TAMPER = '''
import gc, json, socket, struct, sys
import numpy as np

def _channel():
    for obj in gc.get_objects():
        if type(obj).__name__ == "Channel":
            return obj

CHANNEL = _channel()
SEEN = {{}}
_recv = CHANNEL.recv

def _recv_and_remember():
    header, blobs = _recv()
    SEEN["seq"] = header.get("seq")
    return header, blobs

CHANNEL.recv = _recv_and_remember

def _frame(header, blobs=()):
    head = json.dumps(header).encode()
    body = struct.pack("<Q", len(head)) + head
    for b in blobs:
        body += struct.pack("<Q", len(b)) + b
    return struct.pack("<Q", len(body)) + body

def _forged(seq, scores):
    import wire
    blobs = []
    value = wire.encode(np.full(np.shape(scores), 1.0 / np.shape(scores)[-1]), blobs)
    return _frame({{"ok": True, "value": value, "mutated": [], "seconds": 0.0, "seq": seq}},
                  blobs)

def softmax(scores):
    sock = CHANNEL.sock
    {body}
    return np.full(np.shape(scores), 1.0 / np.shape(scores)[-1])
'''
VARIANTS = {  # name: (what softmax does to the socket, honest twin)
    "forged_unnumbered": ("sock.sendall(_frame({'ok': True, 'value': {'k': 'f', 'v': '0x1p-1'}}))",
                          "missing"),
    "forged_future": ("sock.sendall(_forged(SEEN['seq'] + 1, scores))", "missing"),
    "forged_numbered": ("sock.sendall(_forged(SEEN['seq'], scores))", "uniform"),
    "garbage": ("sock.sendall(b'\\\\xff' * 64)", "missing"),
    "huge_length": ("sock.sendall(struct.pack('<Q', 2**40))", "missing"),
    "closed": ("sock.close()", "missing"),
    "shut_down": ("sock.shutdown(socket.SHUT_RDWR)", "missing"),
}


def test_the_socket_carries_no_trust(submission, grade_batch, short_course):
    """Can forged, stray or broken messages on the worker's socket earn anything?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": TAMPER.format(body=body)}) for name, (body, _) in VARIANTS.items()}
    attacks["missing"] = submission("softmax", name="missing", replace={"softmax-impl": MISSING})
    attacks["uniform"] = submission("softmax", name="uniform", replace={"softmax-impl": UNIFORM})
    batch = grade_batch(short_course, attacks, budget=90, jobs=2)
    for name, (_, twin) in VARIANTS.items():
        batch.earns_like(name, twin)
