"""Writing results.json anywhere writable.

A safe grader writes its outputs from its own process, to a folder the worker cannot see. A
submission that writes a perfect results.json to every place it can think of (Gradescope's
/autograder/results, its working folder, /tmp, $HOME, the folders the sandbox shows it, and
the real output and course folders of the grader, whose paths it is given here) changes no
file of the grader, and earns exactly what the same wrong softmax earns.
"""
import json

from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

WRITER = '''
import json, os
PERFECT = json.dumps({{"score": 14, "max_score": 14, "tests": []}})
TARGETS = {targets!r}

def _write_everywhere():
    written = []
    for folder in TARGETS + ["/autograder/results", os.getcwd(), "/tmp", os.path.expanduser("~"),
                             "/course", "/grader", "/", "/usr"]:
        for name in ("results.json", "grades.csv"):
            try:
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, name), "w") as f:
                    f.write(PERFECT)
                written.append(folder)
            except OSError:
                pass
    return written

_write_everywhere()
_wrong = softmax

def softmax(scores):
    _write_everywhere()
    return _wrong(scores)
'''


def test_results_written_by_a_submission_go_nowhere(submission, grade_batch, hostile_course,
                                                      tmp_path):
    """Can a submission plant a perfect results.json where the grader or Gradescope reads?"""
    out = tmp_path / "out"
    targets = [str(out), str(out / "attack"), str(hostile_course.root), str(tmp_path)]
    attack = submission("softmax", name="attack", replace={
        "softmax-impl": WRONG + WRITER.format(targets=targets)})
    twin = submission("softmax", name="twin", replace={"softmax-impl": WRONG})
    batch = grade_batch(hostile_course, {"attack": attack, "twin": twin}, budget=60)
    batch.earns_like("attack", "twin")
    assert json.loads((out / "attack" / "results.json").read_text())["score"] < 14
    assert not (tmp_path / "results.json").exists() and not (out / "results.json").exists()
    assert not (hostile_course.root / "results.json").exists()
