"""`autograder validate`: the checklist passes on the course and fails, item by item, on a
broken copy of it; the leak check finds what students must not receive."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from autograder import bundle, validate
from autograder.cli import main
from autograder.course import Course
from conftest import ROOT, solution_sources


def run_cli(course_file: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--course", str(course_file), *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def softmax_course(course: Course, tmp_path: Path) -> Path:
    """A copy of the course with softmax only, to break without touching the real one."""
    a = course.assignment("softmax")
    (tmp_path / "course.yaml").write_bytes(bundle.single_assignment_course(course, a))
    for folder in ("solutions/softmax", "assignments/softmax", "common", "docs"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "course.yaml"


def test_the_course_passes_its_checklist(softmax_course):
    """Does `validate` tick every item of a correct course and exit 0?"""
    code, out, _ = run_cli(softmax_course, "validate")
    assert code == 0, out
    lines = [line for line in out.splitlines() if line.startswith("  [")]
    assert lines == [
        "  [ok]   course.yaml is valid -- 1 assignments, late policy 10% per day after 15 min, "
        "at most 50%",
        "  [ok]   softmax: course.yaml and the hidden tests give the same points -- "
        "6 functions, 14 points",
        "  [ok]   softmax: the solution scores full marks -- 14 / 14",
        "  [ok]   softmax: the untouched student notebook scores 0 -- 0 / 14, every check "
        "failed cleanly",
        "  [ok]   softmax: assignments/softmax/ is generated from solutions/softmax/ -- "
        "autograder-ko.mo, glossary.md, lossdata.py, publiccheck.py, softmax.ipynb, "
        "softmax.ko.ipynb",
        "  [ok]   softmax: the release material contains no hidden or solution content -- "
        "autograder-ko.mo, glossary.md, lossdata.py, publiccheck.py, softmax.ipynb, "
        "softmax.ko.ipynb, as generated and as in assignments/softmax/",
        "  [ok]   softmax: every markdown cell has a current Korean translation -- 18 cells and "
        "42 check messages, softmax.ko.yaml and softmax.ko.po"]
    assert out.splitlines()[-1] == "7 of 7 checks passed"


def test_a_hand_edited_release_with_a_solution_fails_its_items(softmax_course):
    """Does a solution pasted into assignments/ fail the stub, sync and leak items?"""
    release = softmax_course.parent / "assignments" / "softmax" / "softmax.ipynb"
    nb = json.loads(release.read_text())
    solved = solution_sources(_softmax(softmax_course))
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "softmax-impl":
            cell["source"] = solved["softmax-impl"]
    release.write_text(json.dumps(nb, indent=1))
    code, out, _ = run_cli(softmax_course, "validate", "softmax")
    assert code == 3 and out.splitlines()[-1] == "4 of 7 checks passed; 3 failed"
    failed = [line for line in out.splitlines() if line.startswith("  [FAIL]")]
    assert "untouched student notebook scores 0 -- " in failed[0] and " passed" in failed[0]
    assert "softmax.ipynb: differs from the generated version; run `autograder generate " \
           "softmax`" in failed[1]
    assert "assignments/softmax/softmax.ipynb contains" in failed[2]


def test_a_wrong_solution_and_an_invalid_course_fail_their_items(softmax_course):
    """Does a solution that loses points fail its item, and a bad course.yaml the first item?"""
    solution = softmax_course.parent / "solutions" / "softmax" / "softmax.ipynb"
    solution.write_text(solution.read_text().replace(  # softmax returns 0.0 first thing
        "### BEGIN SOLUTION\\n", "### BEGIN SOLUTION\\n    return 0.0\\n", 1))
    code, out, _ = run_cli(softmax_course, "validate")
    assert code == 3 and "[FAIL] softmax: the solution scores full marks --" in out
    softmax_course.write_text("name: x\nassignments: nope\n")
    code, out, _ = run_cli(softmax_course, "validate")
    assert code == 3 and "[FAIL] course.yaml is valid --" in out and "assignments" in out
    assert out.splitlines()[-1] == "0 of 1 checks passed; 1 failed"


def test_points_that_disagree_are_refused_one_line_per_function(softmax_course):
    """With course.yaml's points unlike the hidden tests', does validate fail that item and do
    grade, gradescope and check refuse, naming both numbers per function, no traceback?"""
    text = softmax_course.read_text()
    softmax_course.write_text(text.replace("softmax: 2", "softmax: 3").replace(
        "kl_divergence: 2\n", "kl_divergence: 2\n    extra_fn: 1\n"))
    code, out, _ = run_cli(softmax_course, "validate", "softmax")
    assert code == 3 and "[FAIL] softmax: course.yaml and the hidden tests give the same " \
        "points -- softmax: course.yaml gives 3 point(s), the hidden tests 2" in out
    assert "extra_fn: course.yaml gives 1 point(s); no hidden test checks it (0)" in out
    notebook = softmax_course.parent / "assignments" / "softmax" / "softmax.ipynb"
    for argv in (["grade", "softmax", str(notebook), "--out", str(softmax_course.parent / "o")],
                 ["gradescope", "softmax", "--out", str(softmax_course.parent / "d")],
                 ["check", str(notebook)]):
        code, out, err = run_cli(softmax_course, *argv)
        assert code == 1 and "Traceback" not in err, (argv, err)
        lines = err.strip().splitlines()
        assert "disagree" in lines[0] and lines[1:] == [
            "  softmax: course.yaml gives 3 point(s), the hidden tests 2",
            "  extra_fn: course.yaml gives 1 point(s); no hidden test checks it (0)"], argv


def _softmax(course_file: Path):
    from autograder import course as course_mod

    return course_mod.load(course_file).assignment("softmax")


def test_leak_check_finds_instructor_material(course):
    """Are the solution notebook, a hidden test file, a marker and one solution line caught?"""
    a = course.assignment("softmax")
    clean = validate.release_material(a)
    assert validate.leaks(a, clean) == []
    line = next(line.strip() for line in (a.tests_dir / "reference.py").read_text().splitlines()
                if len(line.strip()) > 40 and not line.strip().startswith(("#", '"""')))
    found = validate.leaks(a, {
        "copy.ipynb": a.solution_notebook.read_bytes(),
        "helpers/reference.py": b"x = 1\n",
        "notes.md": b"### BEGIN HIDDEN TESTS\n",
        "extra.py": f"    {line}\n".encode(),
    })
    assert any(p.startswith("copy.ipynb is the instructor-only file solutions/softmax/")
               for p in found)
    assert "helpers/reference.py is named like a hidden test or reference implementation" in found
    assert "notes.md contains an nbgrader solution or hidden-test marker" in found
    assert any(p.startswith("extra.py contains 1 line(s)") for p in found)


def test_public_lines_of_the_solution_notebook_are_not_secrets(course):
    """Are signatures and public-check lines, which students get on purpose, not counted?"""
    a = course.assignment("softmax")
    secret = validate.secret_lines(a)
    assert "def cross_entropy(scores, y):" not in secret
    release_lines = validate.shipped_lines(a.notebook, a.release_notebook.read_text())
    assert not secret & release_lines
    assert any("np.max" in s or "logsumexp" in s for s in secret)
