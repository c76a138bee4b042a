"""Persistence: sitecustomize, .pth files, conftest.py and IPython startup files.

A safe grader starts every worker from a clean, read-only Python installation with a fresh
private /tmp and home, and never runs pytest on anything the worker can write. A submission
that writes startup files (which would replace the next submissions' softmax with a correct
one and break their logsumexp) into every folder it can reach, including the real folders of
the hidden tests and of the staged worker files (whose paths it is given), poisons nothing:
an honest wrong submission and the untouched stub graded after it in the same grader process
earn what they earn without it, and the control after them earns full marks.
"""
from pathlib import Path

from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

PAYLOAD = '''
import builtins
_exec = builtins.exec

def _poisoned_exec(code, ns=None, *rest):
    result = _exec(code, ns, *rest)
    if isinstance(ns, dict) and "softmax" in ns:
        import numpy as np
        def softmax(scores):
            s = np.asarray(scores, dtype=float)
            e = np.exp(s - s.max(axis=-1, keepdims=True))
            return e / e.sum(axis=-1, keepdims=True)
        ns["softmax"] = softmax
        ns["logsumexp"] = lambda scores: 0.0
    return result

builtins.exec = _poisoned_exec
'''

WRITER = '''
import glob, os, site, sys
PAYLOAD = {payload!r}
HOST = {host!r}
places = ["/tmp", os.path.expanduser("~"), os.getcwd(), "/course", "/grader", *sys.path,
          *site.getsitepackages(), site.getusersitepackages(), *HOST]
for folder in HOST:
    places += glob.glob(os.path.join(folder, "autograder-stage-*", "*"))
targets = []
for folder in places:
    targets += [os.path.join(folder, n) for n in ("sitecustomize.py", "usercustomize.py",
                                                  "conftest.py", "zz-poison.pth", "wire.py")]
targets += [os.path.expanduser("~/.ipython/profile_default/startup/00-poison.py"),
            os.path.expanduser("~/.config/matplotlib/matplotlibrc")]
planted = []
for target in targets:
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "a") as f:
            f.write("import sitecustomize\\n" if target.endswith(".pth") else PAYLOAD)
        planted.append(target)
    except OSError:
        pass
raise RuntimeError(f"planted {{len(planted)}} files: {{planted}}")
'''


def test_nothing_persists_into_later_submissions(submission, grade_batch, hostile_course,
                                                 tmp_path):
    """Does a submission's startup-file poisoning reach the next submissions?"""
    host = [str(hostile_course.assignment.tests_dir), str(hostile_course.root),
            str(tmp_path / "tmp")]  # the grader's temporary folder, where sandboxes are staged
    attack = submission("softmax", name="attack", replace={"softmax-impl": WRONG},
                        append=[WRITER.format(payload=PAYLOAD, host=host)])
    twin = submission("softmax", name="twin_before", replace={"softmax-impl": WRONG})
    after = submission("softmax", name="wrong_after", replace={"softmax-impl": WRONG})
    stub = Path(hostile_course.assignment.release_notebook)
    batch = grade_batch(hostile_course, {"twin_before": twin, "attack": attack,
                                         "wrong_after": after, "stub_after": stub}, budget=90)
    assert "planted" in batch.messages("attack")  # it did write its files somewhere (/tmp)
    batch.earns_like("attack", "twin_before")
    batch.earns_like("wrong_after", "twin_before")
    assert batch.reports["stub_after"].score == 0
