"""Every notebook runs top to bottom in a real Jupyter kernel (nbclient).

Solutions run without an error and draw their figures; student notebooks fail only with the
stubs' NotImplementedError and the checks and demos that depend on a stub.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import course as course_mod
from conftest import ROOT

IDS = [a.id for a in course_mod.load(ROOT / "course.yaml").assignments]
ALLOWED_STUDENT_ERRORS = {"NotImplementedError", "AssertionError", "PublicCheckFailed"}


def execute(notebook: Path, tmp_path: Path, monkeypatch, allow_errors: bool, files=()):
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(notebook, work / notebook.name)
    for f in files:
        shutil.copy(ROOT / f, work / Path(f).name)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(work / notebook.name, as_version=4)
    start = time.monotonic()
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(work)}}).execute()
    return nb, time.monotonic() - start


def outputs(nb, kind: str) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if o.get("output_type") == kind]


@pytest.mark.parametrize("ident", IDS)
def test_solution_runs_and_draws_its_figures(course, ident, tmp_path, monkeypatch):
    """Does the solution notebook run without error and produce at least one figure?"""
    a = course.assignment(ident)
    nb, seconds = execute(a.solution_notebook, tmp_path, monkeypatch, allow_errors=False,
                          files=a.files)
    figures = [o for kind in ("display_data", "execute_result") for o in outputs(nb, kind)
               if "image/png" in o.get("data", {})]
    assert figures, "no figure was drawn"
    print(f"{ident}: {seconds:.1f} s, {len(figures)} figures")


@pytest.mark.parametrize("ident", IDS)
def test_student_notebook_fails_only_at_the_stubs(course, ident, tmp_path, monkeypatch):
    """Are the student notebook's only errors NotImplementedError and the checks after them?"""
    a = course.assignment(ident)
    nb, _ = execute(a.release_notebook, tmp_path, monkeypatch, allow_errors=True, files=a.files)
    errors = [o["ename"] for o in outputs(nb, "error")]
    assert "NotImplementedError" in errors
    assert set(errors) <= ALLOWED_STUDENT_ERRORS, errors
