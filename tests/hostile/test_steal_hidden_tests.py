"""Importing or reading the reference solution or the hidden test files.

A safe grader never lets the worker see hidden material: the sandbox shows it the Python
installation, the worker's two files and the assignment's shipped files, nothing else. A
submission that tries `import reference`, opens the hidden files by their real paths (given to
it here), and searches the whole file system for reference.py, test_*.py or a solution
notebook would use whatever it found as its softmax; it finds nothing, earns exactly what the
honest wrong softmax it falls back to earns, and what it saw (reported in its error messages)
holds no canary.
"""
from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

THIEF = '''
import importlib, os, sys

PATHS = {paths!r}
loot = []

def _take(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            loot.append(f"{{path}}: {{f.read(300)}}")
        return path
    except OSError:
        return None

for name in ("reference", "test_softmax", "tests.reference", "solutions.softmax.tests.reference",
             "autograder", "autograder.runner"):
    try:
        module = importlib.import_module(name)
        loot.append(f"imported {{name}} from {{getattr(module, '__file__', '?')}}")
    except Exception as exc:
        pass
for path in PATHS:
    _take(path)
for top in ("/", "/root", "/home", "/work", "/srv", "/autograder", "/course", "/grader", "/tmp"):
    for folder, dirs, files in os.walk(top):
        if folder.startswith(("/proc", "/sys", "/dev", "/usr/share", "/usr/include")):
            dirs[:] = []
            continue
        for f in files:
            if f in ("reference.py", "test_softmax.py", "mistakes.py", "course.yaml") \\
                    or f.endswith(".ipynb"):
                _take(os.path.join(folder, f))
    if len(loot) > 50:
        break

_wrong = softmax
_stolen = None
for item in loot:
    if "def softmax" in item:
        _stolen = item

def softmax(scores):
    if _stolen is not None:
        raise RuntimeError(_stolen)
    return _wrong(scores)

raise RuntimeError("found: " + " | ".join(loot)[:2000])
'''


def test_hidden_tests_and_reference_are_out_of_reach(submission, grade_batch, hostile_course):
    """Can a submission import or read the reference, the hidden tests or the solution?"""
    tests = hostile_course.assignment.tests_dir
    paths = [str(tests / "reference.py"), str(tests / "test_softmax.py"),
             str(hostile_course.assignment.solution_notebook),
             str(hostile_course.root / "course.yaml")]
    attack = submission("softmax", name="attack", replace={
        "softmax-impl": WRONG + THIEF.format(paths=paths)})
    twin = submission("softmax", name="twin", replace={"softmax-impl": WRONG})
    batch = grade_batch(hostile_course, {"attack": attack, "twin": twin}, budget=90)
    batch.earns_like("attack", "twin")
    assert "found: " in batch.messages("attack")
    assert "def softmax" not in batch.messages("attack")
