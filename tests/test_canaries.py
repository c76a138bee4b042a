"""Student-safe by construction: nothing a student may receive holds a hidden input, an
instructor-only message, a detail not yet allowed, or the seed.

A copy of the svm assignment gets one more hidden test file whose inputs and messages carry
canaries; `autograder grade` grades a wrong and a stubbed submission before the due date, and
every file a student may receive is scanned: the per-student folders, and exactly what the
grading workflow uploads as its feedback artifact (its globs are read from grade.yml). The
instructor's copies must still hold everything, so the scan can fail.
"""
from __future__ import annotations

import glob
import json
import shutil
from pathlib import Path

import pytest
import yaml

from autograder import bundle
from autograder.cli import main
from conftest import ROOT, edit_notebook, solution_sources

SEED = 918273645
HIDDEN_INPUT = 0.7310585786
"""A value only a hidden test's input holds."""
CANARIES = {
    "instructor detail": "CANARY-DETAIL-4411",
    "detail-level message of a hidden check": "CANARY-FULL-5522",
    "message of a check lowered to its name": "CANARY-NAME-ONLY-6633",
    "after_published check": "CANARY-PUBLISHED-7744",
}
CANARY_TESTS = f'''
import numpy as np
import pytest

from autograder.checks import CheckFailed


@pytest.mark.function("svm_loss_vectorized")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_vectorized_canary(student):
    """svm_loss_vectorized: a canary check"""
    W = np.full((3, 2), {HIDDEN_INPUT})
    out = student.svm_loss_vectorized(W, np.eye(3), np.array([0, 1, 0]), 0.25)
    full = "{CANARIES['detail-level message of a hidden check']}"
    raise CheckFailed("the canary check failed", full=f"{{full}} on W = {{W.ravel()}}",
                      detail="{CANARIES['instructor detail']} {{out!r}}")


@pytest.mark.function("svm_loss_vectorized")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
@pytest.mark.disclosure("name")
def test_vectorized_canary_named(student):
    """svm_loss_vectorized: a check shown by name only"""
    raise CheckFailed("{CANARIES['message of a check lowered to its name']}")


@pytest.mark.function("svm_loss_vectorized")
@pytest.mark.points(0.25)
@pytest.mark.visibility("after_published")
def test_vectorized_canary_published(student):
    """{CANARIES['after_published check']}"""
    raise CheckFailed("{CANARIES['after_published check']}")
'''


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    """(output folder of `grade` before the due date, the course copy)."""
    root = tmp_path_factory.mktemp("canary")
    svm = course.assignment("svm")
    raw = yaml.safe_load(bundle.single_assignment_course(course, svm))
    raw["assignments"][0]["due"] = "2099-01-01T00:00:00+00:00"
    raw["assignments"][0]["functions"]["svm_loss_vectorized"] += 1.0  # the canary checks' points
    (root / "course.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    shutil.copytree(ROOT / "solutions" / "svm", root / "solutions" / "svm",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "assignments" / "svm", root / "assignments" / "svm")
    shutil.copytree(ROOT / "common", root / "common", ignore=shutil.ignore_patterns("__py*"))
    (root / "solutions" / "svm" / "tests" / "test_canary.py").write_text(CANARY_TESTS)
    subs = root / "submitted"
    wrong = solution_sources(svm)
    wrong["svm-vectorized-impl"] = wrong["svm-vectorized-impl"].replace(
        "/ num_train + reg", "+ reg")
    edit_notebook(svm.release_notebook, subs / "alice.ipynb", wrong)
    edit_notebook(svm.release_notebook, subs / "bob.ipynb")
    out = root / "results"
    code = main(["--course", str(root / "course.yaml"), "grade", "svm", str(subs), "--out",
                 str(out), "--seed", str(SEED)])
    assert code == 0
    return out


def feedback_artifact(out: Path) -> list[Path]:
    """The files grade.yml uploads as the per-student feedback artifact."""
    doc = yaml.safe_load((ROOT / ".github" / "workflows" / "grade.yml").read_text())
    steps = [s for job in doc["jobs"].values() for s in job.get("steps", [])]
    upload = next(s for s in steps if str(s.get("with", {}).get("name", "")).startswith(
        "feedback-"))
    patterns = [p.strip() for p in upload["with"]["path"].splitlines() if p.strip()]
    return sorted({Path(f) for p in patterns
                   for f in glob.glob(str(out.parent / p))})


def student_files(out: Path) -> list[Path]:
    folders = [out / "alice", out / "bob"]
    return sorted({*feedback_artifact(out), *(f for d in folders for f in d.rglob("*")
                                              if f.is_file())})


def test_students_receive_no_canary_hidden_input_or_seed(graded):
    """Does no file a student may receive hold an instructor-only message, a detail not yet
    allowed, a hidden input or the seed?"""
    files = student_files(graded)
    assert len(files) >= 6 and {f.name for f in files} >= {"results.json", "feedback.md",
                                                           "feedback.html"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        for what, canary in CANARIES.items():
            assert canary not in text, f"{what} in {path}"
        assert str(SEED) not in text, f"the seed in {path}"
        assert f"{HIDDEN_INPUT}"[:8] not in text, f"a hidden input in {path}"
        assert "6 examples" not in text and "times too large" not in text


def test_the_artifact_is_the_student_folders(graded):
    """Does the workflow upload only per-student files (no instructor/ or _records/)?"""
    for path in feedback_artifact(graded):
        assert path.parent.name in ("alice", "bob"), path


def test_the_scan_can_fail_instructor_outputs_hold_the_canaries(graded):
    """Do the instructor's copies hold every canary and the seed (so the scan above can fail)?"""
    text = "".join(p.read_text(encoding="utf-8") for p in (graded / "instructor").rglob("*")
                   if p.is_file())
    for canary in CANARIES.values():
        assert canary in text
    records = "".join(p.read_text(encoding="utf-8") for p in (graded / "_records").rglob("*")
                      if p.is_file())
    assert str(SEED) in records


def test_students_still_see_their_hint_and_the_name_only_check(graded):
    """Is the student's feedback useful: the hidden check's hint, the named check's name?"""
    text = (graded / "alice" / "feedback.md").read_text(encoding="utf-8").replace("\\", "")
    assert "did you sum over the examples instead of taking the mean" in text
    assert "a check shown by name only (hidden check)" in text
    doc = json.loads((graded / "alice" / "results.json").read_text(encoding="utf-8"))
    assert any("canary check failed" in t["output"] for t in doc["tests"])
