"""Printing fake "all tests passed" messages or fake JSON results.

A safe grader never reads a score from what a submission prints: results come from its own
checks. A submission that prints a fake success banner and a fake Gradescope results.json on
stdout, stderr, the real file descriptors 1 and 2, and a fake wire frame, earns exactly what
the same wrong softmax earns, and the fake text never appears in the student's results.
"""
import json

from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

FAKE = '''
import json, os, sys
FAKE = json.dumps({{"score": 14, "max_score": 14, "output": "{banner}",
                   "tests": [{{"name": "softmax", "score": 2, "max_score": 2}}]}})
BANNER = "{banner}"

def _shout():
    for text in (BANNER, FAKE):
        print(text)
        print(text, file=sys.stderr)
        sys.__stdout__.write(text + "\\n")
        os.write(1, (text + "\\n").encode())
        os.write(2, (text[:200] + "\\n").encode())
    print('\\x00\\x00\\x00\\x10{{"ok": true}}')

_shout()
_wrong = softmax

def softmax(scores):
    _shout()
    return _wrong(scores)
'''
BANNER = "ALL TESTS PASSED 14/14 fake-banner-7f3a"


def test_printed_results_are_ignored(submission, grade_batch, hostile_course, tmp_path):
    """Does printing a fake success message or fake results.json change anything?"""
    attack = submission("softmax", name="attack", replace={
        "softmax-impl": WRONG + FAKE.format(banner=BANNER)})
    twin = submission("softmax", name="twin", replace={"softmax-impl": WRONG})
    batch = grade_batch(hostile_course, {"attack": attack, "twin": twin}, budget=60)
    batch.earns_like("attack", "twin")
    results = json.loads((tmp_path / "out" / "attack" / "results.json").read_text())
    assert results["score"] == batch.reports["twin"].score < 14
    assert BANNER not in batch.visible
