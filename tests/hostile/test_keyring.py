"""A channel between submissions through the kernel keyring (add_key, keyctl).

Keys live in the kernel, keyed by uid, and outlive the process that added them. A correct
softmax stores every answer it gives in the user keyring; a later submission with no softmax
of its own looks the answers up and returns them. A safe grader gives every worker its own uid
and denies the keyring system calls (seccomp), so the reader earns exactly what a missing
softmax earns, the writer learns that add_key was refused, and after the batch the kernel
holds no key of any worker's uid (grade_batch checks /proc/key-users).
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

KEYRING = '''
import ctypes, errno, hashlib
import numpy as np

_libc = ctypes.CDLL(None, use_errno=True)
_ADD_KEY, _KEYCTL, _USER_KEYRING, _SEARCH, _READ = 248, 250, -4, 10, 11

def _name(scores):
    a = np.ascontiguousarray(np.asarray(scores, dtype=float))
    return hashlib.sha1(repr(a.shape).encode() + a.tobytes()).hexdigest().encode()

def _store(scores, value):
    data = np.ascontiguousarray(value, dtype=float).tobytes()
    key = _libc.syscall(_ADD_KEY, b"user", _name(scores), data, len(data), _USER_KEYRING)
    return key, errno.errorcode.get(ctypes.get_errno(), "?")

def _fetch(scores):
    key = _libc.syscall(_KEYCTL, _SEARCH, _USER_KEYRING, b"user", _name(scores), 0)
    if key < 0:
        return None
    buf = ctypes.create_string_buffer(1 << 16)
    n = _libc.syscall(_KEYCTL, _READ, key, buf, len(buf))
    return np.frombuffer(buf.raw[:n], dtype=float).reshape(np.shape(scores)) if n > 0 else None
'''
WRITER = KEYRING + '''
def softmax(scores):
    s = np.asarray(scores, dtype=float)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    out = e / e.sum(axis=-1, keepdims=True)
    _store(scores, out)
    return out

key, why = _store(np.zeros(3), np.zeros(3))
if key < 0:
    raise RuntimeError(f"add_key failed: {why}")
'''
READER = KEYRING + '''
def softmax(scores):
    found = _fetch(scores)
    if found is None:
        raise NameError("nothing stored for these scores")
    return found
'''


def test_the_keyring_carries_nothing_between_submissions(submission, grade_batch,
                                                         hostile_course):
    """Can a submission answer with what an earlier one stored in the kernel keyring?"""
    attacks = {
        "writer": submission("softmax", name="writer", replace={"softmax-impl": WRITER}),
        "reader": submission("softmax", name="reader", replace={"softmax-impl": READER}),
        "twin": submission("softmax", name="twin", replace={"softmax-impl": MISSING}),
    }
    batch = grade_batch(hostile_course, attacks, budget=90)
    assert "add_key failed: EPERM" in batch.messages("writer")
    batch.earns_like("writer", "control")
    batch.earns_like("reader", "twin")
