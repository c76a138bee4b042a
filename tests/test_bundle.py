"""The student bundle holds what students need and nothing of the instructor's; Gradescope's
autograder.zip grades a submission laid out like /autograder into a valid results.json."""
from __future__ import annotations

import ast
import io
import json
import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder import bundle, course as course_mod, validate
from autograder.cli import main
from autograder.errors import AutograderError
from conftest import ROOT

EXAMPLES = ROOT / "examples" / "softmax"


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--course", str(ROOT / "course.yaml"), *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def unzip_bytes(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


# --- the student bundle --------------------------------------------------------------------


@pytest.fixture(scope="module")
def student_zip(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    dist = tmp_path_factory.mktemp("dist")
    code, out, _ = run_cli("release", "softmax", "--out", str(dist))
    assert code == 0 and f"wrote {dist / 'softmax'}/ and {dist / 'softmax.zip'}" in out
    return dist, unzip(dist / "softmax.zip")


def test_student_zip_holds_the_notebook_and_the_data_helper_only(student_zip):
    """Is the zip exactly the notebook, lossdata.py, publiccheck.py with its Korean catalog and
    the checker's wheel, the same as the folder beside it?"""
    dist, files = student_zip
    assert sorted(files) == ["softmax/autograder-0.1.0-py3-none-any.whl",
                             "softmax/autograder-ko.mo", "softmax/lossdata.py",
                             "softmax/publiccheck.py", "softmax/softmax.ipynb"]
    assert files["softmax/lossdata.py"] == (ROOT / "common" / "lossdata.py").read_bytes()
    assert {f"softmax/{p.name}": p.read_bytes() for p in (dist / "softmax").iterdir()} == files


def test_student_zip_has_no_hidden_test_solution_or_reference(course, student_zip):
    """Does no hidden test, solution cell, instructor file or reference implementation ship?"""
    a = course.assignment("softmax")
    _, files = student_zip
    instructor = {p.read_bytes() for p in a.solution_dir.rglob("*") if p.is_file()}
    assert not instructor & set(files.values())
    wheel = unzip_bytes(files["softmax/autograder-0.1.0-py3-none-any.whl"])
    assert all(n.startswith(("autograder/", "autograder-0.1.0.dist-info/")) for n in wheel)
    assert not instructor & set(wheel.values())
    assert b"nbgrader" not in wheel["autograder-0.1.0.dist-info/METADATA"]
    text = "\n".join(data.decode() for name, data in files.items()
                     if name.endswith((".py", ".ipynb")))
    text += files["softmax/autograder-ko.mo"].decode("utf-8", "replace")
    assert not re.search(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS)", text)
    tests = ast.parse((a.tests_dir / "test_softmax.py").read_text())
    names = [n.name for n in ast.walk(tests) if isinstance(n, ast.FunctionDef)
             and n.name.startswith("test_")]
    assert names and not [n for n in names if n in text]
    shipped = validate.shipped_lines(a.notebook, files["softmax/softmax.ipynb"].decode())
    reference = (a.tests_dir / "reference.py").read_text()
    bodies = {line.strip() for node in ast.walk(ast.parse(reference))
              if isinstance(node, ast.FunctionDef)
              for line in ast.get_source_segment(reference, node).splitlines()[1:]}
    assert not {b for b in bodies if len(b) > 30 and not b.startswith(('"', "#"))} & shipped
    nb = json.loads(files["softmax/softmax.ipynb"])
    for cell in nb["cells"]:
        nbg = cell["metadata"].get("nbgrader", {})
        if nbg.get("solution") and cell["cell_type"] == "code":
            assert "raise NotImplementedError()" in "".join(cell["source"])
        if nbg.get("solution") and cell["cell_type"] == "markdown":
            assert "".join(cell["source"]).strip() == "YOUR ANSWER HERE"
        assert not cell.get("outputs")
    assert validate.leaks(a, {k: v for k, v in files.items() if not k.endswith(".whl")}) == []
    package = {k: v for k, v in wheel.items() if k.endswith(".py")}
    assert package == {k: v for k, v in bundle.package_files().items() if k.endswith(".py")}
    catalog = wheel["autograder/locale/ko/LC_MESSAGES/autograder.mo"].decode("utf-8", "replace")
    assert "svm_loss" not in catalog and "`{function}` is not implemented yet" in catalog
    assert not [n for n in wheel if not n.endswith((".py", ".mo")) and "dist-info" not in n]


def test_student_zip_is_reproducible(course, tmp_path):
    """Does building the bundle twice give the same bytes (fixed times, sorted entries)?"""
    a = course.assignment("softmax")
    first = bundle.release_bundle(a, tmp_path / "one").zip_path.read_bytes()
    assert bundle.release_bundle(a, tmp_path / "two").zip_path.read_bytes() == first


def test_a_leaking_bundle_is_refused(course, tmp_path, monkeypatch):
    """Is the release refused, and nothing zipped, when the material contains a hidden test?"""
    a = course.assignment("softmax")
    leaking = {a.notebook: a.release_notebook.read_bytes(),
               "test_softmax.py": (a.tests_dir / "test_softmax.py").read_bytes()}
    monkeypatch.setattr(bundle.release, "release_files", lambda _: leaking)
    with pytest.raises(AutograderError, match="refusing to release softmax: test_softmax.py"):
        bundle.release_bundle(a, tmp_path)
    assert not (tmp_path / "softmax.zip").exists()


# --- Gradescope ----------------------------------------------------------------------------

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "simple_format", "html", "md", "ansi"}
NUMBER = (int, float)
TOP_LEVEL = {"score": NUMBER, "execution_time": NUMBER, "output": str, "output_format": FORMATS,
             "test_output_format": FORMATS, "test_name_format": FORMATS,
             "visibility": VISIBILITIES, "stdout_visibility": VISIBILITIES, "extra_data": dict,
             "tests": list, "leaderboard": list}
TEST_CASE = {"score": NUMBER, "max_score": NUMBER, "status": {"passed", "failed"},
             "name": str, "name_format": FORMATS, "number": str, "output": str,
             "output_format": FORMATS, "tags": list, "visibility": VISIBILITIES,
             "extra_data": dict}
"""Gradescope's autograder specification (results.json): keys and their allowed values."""
OUR_EXTRA = frozenset({"max_score"})
"""Our results.json also states the points available at the top level, which the
specification does not list (Gradescope takes them from the assignment's settings)."""


def spec_problems(doc: object, extra: frozenset[str] = frozenset()) -> list[str]:
    """Where a results.json document departs from Gradescope's specification (`extra`:
    top-level keys outside it that are tolerated)."""
    if not isinstance(doc, dict):
        return ["not a JSON object"]
    problems = _fields({k: v for k, v in doc.items() if k not in extra}, TOP_LEVEL, "results")
    tests = doc.get("tests", [])
    for i, test in enumerate(tests if isinstance(tests, list) else []):
        problems += _fields(test, TEST_CASE, f"tests[{i}]") if isinstance(test, dict) \
            else [f"tests[{i}] is not an object"]
        if isinstance(test, dict) and not all(isinstance(t, str) for t in test.get("tags", [])):
            problems.append(f"tests[{i}].tags must be strings")
    if "score" not in doc and not all(isinstance(t, dict) and "score" in t for t in tests):
        problems.append("a score is required at the top level or on every test")
    return problems


def _fields(obj: dict, spec: dict, where: str) -> list[str]:
    problems = [f"{where}.{k} is not in the specification" for k in obj if k not in spec]
    for key, allowed in spec.items():
        if key not in obj:
            continue
        value = obj[key]
        ok = value in allowed if isinstance(allowed, set) else (
            isinstance(value, allowed) and not isinstance(value, bool))
        if not ok:
            problems.append(f"{where}.{key} = {value!r} is not allowed")
    return problems


def test_the_spec_check_can_fail():
    """Does the results.json check catch bad values, unknown keys and a missing score?"""
    bad = {"tests": [{"status": "error", "visibility": "sometimes", "nme": "x"}],
           "output_format": "pdf"}
    problems = spec_problems(bad)
    assert "results.output_format = 'pdf' is not allowed" in problems
    assert "tests[0].status = 'error' is not allowed" in problems
    assert "tests[0].nme is not in the specification" in problems
    assert "a score is required at the top level or on every test" in problems


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("gradescope")
    code, out, _ = run_cli("gradescope", "softmax", "--out", str(dist), "--seed", "9")
    assert code == 0 and "seed 9" in out
    return dist / "softmax-gradescope" / "autograder.zip"


def test_autograder_zip_has_what_gradescope_and_the_grader_need(autograder_zip, tmp_path):
    """Are setup.sh and run_autograder at the root (executable), with the grader, one
    assignment's course.yaml, its hidden tests and the data helper, and no other assignment?"""
    with zipfile.ZipFile(autograder_zip) as zf:
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
        zf.extractall(tmp_path)
    assert stat.S_IMODE(modes["setup.sh"]) == stat.S_IMODE(modes["run_autograder"]) == 0o755
    for name in ("requirements.txt", "course.yaml", "autograder/cli.py", "autograder/worker.py",
                 "solutions/softmax/softmax.ipynb", "solutions/softmax/tests/test_softmax.py",
                 "solutions/softmax/tests/reference.py", "common/lossdata.py"):
        assert name in modes, name
    assert not [n for n in modes if n.startswith("solutions/") and "/softmax/" not in n]
    course = course_mod.load(tmp_path / "course.yaml")
    assert [a.id for a in course.assignments] == ["softmax"]
    subprocess.run(["bash", "-n", str(tmp_path / "setup.sh")], check=True)
    assert "numpy>=1.24" in (tmp_path / "requirements.txt").read_text().split()


def gradescope_root(tmp_path: Path, autograder_zip: Path, files: dict[str, Path],
                    created_at: str) -> Path:
    """A folder laid out like /autograder: source/, run_autograder, submission/, metadata."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(autograder_zip) as zf:
        zf.extractall(root / "source")
    (root / "run_autograder").write_bytes((root / "source" / "run_autograder").read_bytes())
    (root / "submission").mkdir()
    for name, source in files.items():
        (root / "submission" / name).write_bytes(source.read_bytes())
    (root / "results").mkdir()
    (root / "submission_metadata.json").write_text(json.dumps({
        "id": 123, "created_at": created_at, "assignment": {"due_date": "2026-12-04T23:59:00"},
        "users": [{"email": "student@example.edu", "id": 1, "name": "A Student"}]}))
    return root


def run_autograder(root: Path) -> tuple[dict, str]:
    env = {**os.environ, bundle.ROOT_ENV: str(root), "AUTOGRADER_PYTHON": sys.executable}
    proc = subprocess.run(["bash", str(root / "run_autograder")], env=env, cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads((root / "results" / "results.json").read_text()), proc.stdout


def test_run_autograder_writes_a_valid_results_file(autograder_zip, tmp_path):
    """Does run_autograder, in a folder laid out like /autograder, grade the submission with
    the zip's own grader and write a results.json that meets Gradescope's specification?"""
    root = gradescope_root(tmp_path, autograder_zip, {"softmax.ipynb": EXAMPLES / "bob.ipynb"},
                           "2026-12-06T10:00:00.000000-08:00")
    doc, stdout = run_autograder(root)
    assert spec_problems(doc, OUR_EXTRA) == []
    assert f"grader {root / 'source' / 'autograder'};" in stdout
    assert doc["max_score"] == 14 and 0 < doc["score"] < 14 and len(doc["tests"]) > 10
    raw = sum(t["score"] for t in doc["tests"])
    assert doc["score"] == pytest.approx(raw * 0.8)  # 2 started days late: 20% off
    assert "seed" not in doc["output"] and '"seed"' not in json.dumps(doc)


def test_run_autograder_explains_a_submission_without_a_notebook(autograder_zip, tmp_path):
    """Does a submission with no notebook get a valid results.json that says why it is 0?"""
    root = gradescope_root(tmp_path, autograder_zip, {"answers.txt": ROOT / "README.md"},
                           "2026-12-01T10:00:00.000000-08:00")
    doc, _ = run_autograder(root)
    assert spec_problems(doc, OUR_EXTRA) == []
    assert doc["score"] == 0 and "the submission has no notebook (expected softmax.ipynb)" \
        in doc["output"]


def test_gradescope_due_dates_and_extensions_come_from_its_metadata(course, tier, tmp_path):
    """Is the late penalty measured from Gradescope's due date, a submitter's own (extended)
    due date first, and from course.yaml when the metadata has none?"""
    a = course.assignment("softmax")
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "softmax.ipynb").write_bytes((EXAMPLES / "alice.ipynb").read_bytes())
    created = "2026-12-10T12:00:00.000000+00:00"
    cases = [({"assignment": {"due_date": "2026-12-09T12:00:00.000000+00:00"}}, 0.1),
             ({"assignment": {"due_date": "2026-12-09T12:00:00+00:00"},
               "users": [{"email": "a@x.edu", "assignment": {
                   "due_date": "2026-12-11T00:00:00+00:00"}}]}, 0.0),
             ({}, 0.5)]  # course.yaml: 2026-12-04T23:59, more than 5 days late: capped
    for meta, penalty in cases:
        (root / "submission_metadata.json").write_text(json.dumps({"created_at": created,
                                                                   **meta}))
        report = bundle.run_gradescope(course, a, root, tier=tier, seed=1)
        doc = json.loads((root / "results" / "results.json").read_text())
        assert doc["extra_data"]["late_penalty"] == penalty, meta
        assert doc["score"] == pytest.approx(report.score * (1 - penalty))
    assert bundle.gradescope_due({"assignment": {"due_date": None}}) is None
