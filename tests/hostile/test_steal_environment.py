"""Reading the grader's environment: os.environ, /proc/1/environ, the parent's command line.

A safe grader starts the sandbox with an empty environment (bubblewrap's own process too, as
/proc/1/environ shows it to the worker) and a private process namespace. A submission that
collects os.environ, the environment and command line of every process it can see and of its
parent, and reports them in every channel a student can read (cell errors, exception
messages of visible checks, the description of a returned object) leaks no canary of the
grader's environment, and earns exactly what a missing softmax earns.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

THIEF = '''
import os, sys

def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read(4000).replace(b"\\0", b" ").decode(errors="replace")
    except OSError as exc:
        return type(exc).__name__

def _loot():
    found = [" ".join(f"{{k}}={{v}}" for k, v in os.environ.items())]
    for pid in ["self", "1", str(os.getppid())] + [p for p in os.listdir("/proc") if p.isdigit()]:
        found += [_read(f"/proc/{{pid}}/environ"), _read(f"/proc/{{pid}}/cmdline")]
    found.append(_read("/proc/self/mountinfo"))
    text = " | ".join(found)
    keys = [w for w in text.replace("|", " ").split() if any(
        s in w.lower() for s in ("canary", "token", "secret", "key", "pass"))]
    return " ".join(keys) + " || " + text

LOOT = _loot()

class Loot:
    pass

Loot.__qualname__ = LOOT[:150]

def softmax(scores):
    if {returning!r}:
        return Loot()
    raise RuntimeError(LOOT)

raise RuntimeError(LOOT)
'''


def test_the_graders_environment_is_out_of_reach(submission, grade_batch, hostile_course,
                                                 env_canary):
    """Does anything of the grader's environment reach a student-visible output?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": THIEF.format(returning=returning)})
        for name, returning in (("raising", False), ("returning", True))}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(hostile_course, attacks, budget=60)
    for name in ("raising", "returning"):
        batch.earns_like(name, "twin")
        assert "||" in batch.messages(name)  # the loot did reach the student's own messages
        assert env_canary not in batch.messages(name)
