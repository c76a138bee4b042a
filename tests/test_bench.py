"""bench/: the benchmark runs in its smallest configuration and prints every figure.

The benchmark is not a timed test: nothing here asserts a duration. It proves that the script
works end to end, and that the hidden test cells it gives nbgrader (bench/nbgrader_checks.py)
grade a notebook's namespace as our grader would.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, needs_bwrap, solution_sources

sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "common"))  # the setup cell imports publiccheck
import nbgrader_checks  # noqa: E402


@needs_bwrap
def test_benchmark_prints_its_figures(tmp_path):
    """Does bench.py run on two submissions and print the floor, latency, cost and memory?"""
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "bench.py"), "--n", "2",
                           "--repeat", "1", "--skip-nbgrader", "--keep", str(tmp_path / "work")],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for figure in ("floor: one sandboxed python", "one submission, command start to results",
                   "cost of one more submission", "throughput", "peak memory"):
        assert figure in proc.stdout, proc.stdout
    assert len(list((tmp_path / "work" / "submissions").glob("*.ipynb"))) == 2


def _namespace(course, replace: dict[str, str]) -> dict:
    a = course.assignment("softmax")
    sources = {**solution_sources(a), **replace}
    ns: dict = {}
    for cell in json.loads(a.release_notebook.read_text())["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid == "setup" or gid in sources:
            exec(sources.get(gid, "".join(cell["source"])), ns)  # noqa: S102 - our own solution
    return ns


def test_nbgrader_cells_run_our_hidden_tests(course):
    """Do the benchmark's nbgrader test cells pass the solution and fail a wrong softmax?"""
    yaml = str(ROOT / "course.yaml")
    solved = _namespace(course, {})
    for fn in course.assignment("softmax").functions:
        nbgrader_checks.check(yaml, "softmax", fn, solved, seed=3)
    wrong = _namespace(course, {"softmax-impl": "import numpy as np\ndef softmax(s):\n"
                                                "    return np.exp(s)\n"})
    nbgrader_checks.check(yaml, "softmax", "logsumexp", wrong, seed=3)
    with pytest.raises(AssertionError, match="softmax"):
        nbgrader_checks.check(yaml, "softmax", "softmax", wrong, seed=3)


def test_the_benchmark_finds_alembic_without_an_activated_venv():
    """Is the interpreter's scripts folder put first on PATH (nbgrader runs `alembic`)?"""
    import bench
    from pathlib import Path

    here = str(Path(sys.executable).parent)
    env = bench.scripts_on_path({"PATH": "/usr/bin:/bin"})
    assert env["PATH"].split(":")[0] == here and (Path(here) / "python").exists()
    assert bench.scripts_on_path(env) == env
