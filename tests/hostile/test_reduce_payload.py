"""__reduce__ payloads that act when unpickled.

A safe grader never unpickles what a worker sends. A softmax returns objects whose __reduce__
would run a command or write a file in the process that unpickles them, an object array that
holds one, and, by patching the worker's encoder, a pickled .npy blob sent as if it were an
array. The marker file the payloads would create never appears, and the softmax earns exactly
what a missing softmax earns.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

PAYLOAD = '''
import io, os, pickle, sys
import numpy as np

MARKER = {marker!r}

class Payload:
    def __reduce__(self):
        return (exec, (f"open({{MARKER!r}}, 'w').write('unpickled')",))

class Shell:
    def __reduce__(self):
        return (os.system, (f"touch {{MARKER}}",))

def _pickled_npy(value, blobs):
    buf = io.BytesIO()
    np.save(buf, np.array([Payload(), Shell()], dtype=object), allow_pickle=True)
    blobs.append(buf.getvalue())
    return {{"k": "a", "i": len(blobs) - 1, "scalar": False}}

ARMED = []
wire = sys.modules.get("wire")
if wire is not None and {patch_wire!r}:  # pickle the next array the worker encodes
    _encode_array = wire._encode_array
    def _patched(value, blobs, scalar):
        if ARMED:
            ARMED.clear()
            return _pickled_npy(value, blobs)
        return _encode_array(value, blobs, scalar)
    wire._encode_array = _patched

def softmax(scores):
    ARMED.append(True)
    return {value}
'''
VARIANTS = {
    "object": ("Payload()", False),
    "shell": ("Shell()", False),
    "object_array": ("np.array([Payload(), Shell()], dtype=object)", False),
    "pickled_npy": ("np.full(np.shape(scores), 0.1)", True),
}


def test_reduce_payloads_are_never_unpickled(submission, grade_batch, hostile_course, tmp_path):
    """Does anything a worker sends get unpickled by the grader?"""
    marker = tmp_path / "unpickled-marker"
    attacks = {name: submission("softmax", name=name, replace={"softmax-impl": PAYLOAD.format(
        marker=str(marker), value=value, patch_wire=patch)})
        for name, (value, patch) in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(hostile_course, attacks, budget=60)
    assert not marker.exists()
    for name in VARIANTS:
        batch.earns_like(name, "twin")
        assert batch.points(name)["softmax"] == 0
