"""Integrity flags: static checks of the sources, locked cells, and what the worker opened."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest

from autograder import integrity, notebooks
from autograder.notebooks import Cell
from conftest import ROOT, edit_notebook, function_points

WRONG_SOFTMAX = '''
import numpy as np

def softmax(scores):
    return np.exp(np.asarray(scores, dtype=float))
'''


def flags_of(source: str) -> list[str]:
    return integrity.source_flags([Cell(3, "", "", source)])


def test_checksum_is_nbgraders_own(course):
    """Does our checksum equal nbgrader.utils.compute_checksum on every nbgrader cell?"""
    import nbformat
    from nbgrader.utils import compute_checksum

    compared = 0
    for a in course.assignments:
        nb = nbformat.read(a.release_notebook, as_version=4)
        raw = json.loads(a.release_notebook.read_text(encoding="utf-8"))
        for cell, raw_cell in zip(nb.cells, raw["cells"]):
            if "nbgrader" in cell.metadata:
                assert integrity.checksum(raw_cell) == compute_checksum(cell)
                assert integrity.checksum(raw_cell) == cell.metadata.nbgrader["checksum"]
                compared += 1
    assert compared > 100


def test_course_notebooks_raise_no_flags(course):
    """Do the release and solution notebooks of every assignment come out clean?"""
    for a in course.assignments:
        for path in (a.release_notebook, a.solution_notebook):
            flags = integrity.static_flags(notebooks.load(path), a)
            assert flags == [], (path, flags)


@pytest.mark.parametrize("source, expected", [
    ("import numpy as np\nnp.allclose = lambda *a, **k: True", "rebinds numpy: np.allclose"),
    ("import numpy\nnumpy.testing.assert_allclose = print",
     "rebinds numpy: numpy.testing.assert_allclose"),
    ("import numpy.linalg as la\nla.norm = abs", "rebinds numpy: la.norm"),
    ("from numpy import testing\ntesting.assert_allclose = print",
     "rebinds numpy: testing.assert_allclose"),
    ("import numpy as np\nsetattr(np, 'isclose', None)", "rebinds numpy: setattr(np, ...)"),
    ("import numpy as np\nvars(np)['allclose'] = 1", "rebinds numpy: vars(np)['allclose']"),
    ("import numpy as np\nnp.__dict__.update(allclose=1)",
     "rebinds numpy: np.__dict__.update(...)"),
    ("import numpy as np\ndel np.isclose", "rebinds numpy: np.isclose"),
    ("import builtins\nbuiltins.abs = lambda x: 0", "rebinds builtins: builtins.abs"),
    ("import builtins as b\nsetattr(b, 'len', None)", "rebinds builtins: setattr(b, ...)"),
    ("__builtins__['len'] = None", "rebinds builtins: __builtins__['len']"),
    ("globals()['__builtins__'] = {}", "rebinds builtins: globals()['__builtins__']"),
    ("import sys\nsys.modules['numpy'] = None", "rebinds sys.modules: sys.modules['numpy']"),
    ("import sys\ndel sys.modules['numpy']", "rebinds sys.modules: sys.modules['numpy']"),
    ("from sys import modules\nmodules.pop('numpy')", "rebinds sys.modules: modules.pop(...)"),
    ("import sys\nsys.modules.update(numpy=None)",
     "rebinds sys.modules: sys.modules.update(...)"),
    ("import autograder.checks", "imports the grader: autograder.checks"),
    ("from autograder import checks", "imports the grader: autograder"),
    ("import wire", "imports the grader: wire"),
    ("__import__('autograder')", "imports the grader: autograder"),
    ("import importlib\nimportlib.import_module('worker')", "imports the grader: worker"),
    ("open('/etc/passwd').read()", "opens a path outside its folder: /etc/passwd"),
    ("from pathlib import Path\nPath('/home').iterdir()",
     "opens a path outside its folder: /home"),
    ("import numpy as np\nnp.load('../solutions/softmax/tests/reference.py')",
     "opens a path outside its folder: ../solutions/softmax/tests/reference.py"),
    ("pid = 1\ndata = open(f'/proc/{pid}/environ', 'rb')",
     "opens a path outside its folder: /proc/"),
    ("import os\nos.listdir('/grader')", "opens a path outside its folder: /grader"),
    ("import os\nos.path.join('/etc', 'passwd')", "opens a path outside its folder: /etc"),
    ("import os\nos.path.join('~/', 'secrets')", "opens a path outside its folder: ~/"),
    ("import os\nos.path.expanduser('~')", "opens a path outside its folder: ~"),
])
def test_tampering_is_flagged(source, expected):
    """Is each way of tampering with numpy, builtins, sys.modules, the grader or files flagged?"""
    assert f"{expected} (cell 4)" in flags_of(source)


@pytest.mark.parametrize("source", [
    "import numpy as np\nnp.random.seed(0)\nx = np.zeros(3)\nx[0] = 1\nnp.seterr(all='ignore')",
    "import numpy as np\nsum = 0\nmax = np.max\ndef abs(x):\n    return x",
    "with open('results.txt', 'w') as f:\n    f.write('/'.join(['a', 'b']))",
    "print('/ is division', 'a/b', '~ approx')\nopen('/dev/null', 'w')",
    "import sys\nprint(sys.version, len(sys.modules))",
    "import numpy as np\ny = np.array([1.0])\ny += 1\nnp.testing.assert_allclose(y, 2)",
    "import matplotlib.pyplot as plt\nplt.rcParams['figure.dpi'] = 80",
])
def test_ordinary_code_is_not_flagged(source):
    """Does ordinary student code (shadowing a builtin name, writing its own files) stay clean?"""
    assert flags_of(source) == []


LOOK_ALIKES = {
    "rebinds numpy": "import numpy as np\nnp_copy = {}\nnp_copy['allclose'] = 1\n"
                     "a = np.ones(2)\na.shape = (2, 1)\nnumpy_like = np\n"
                     "result = numpy_like.sum(a)",
    "rebinds builtins": "import builtins\nnames = dir(builtins)\nmy_builtins = {}\n"
                        "my_builtins['len'] = len\nprint = print",
    "rebinds sys.modules": "import sys\nloaded = dict(sys.modules)\nloaded['numpy'] = None\n"
                           "have_numpy = 'numpy' in sys.modules",
    "imports the grader": "import wireframe_utils\nworker = 3\nwire_length = 2\n"
                          "from . import autograder_notes",
    "opens a path outside its folder": "print('~')\nprint('/home is where the heart is')\n"
                                       "print('/etc/passwd')\nimport matplotlib.pyplot as plt\n"
                                       "plt.title('/proc/ratio')\nx = '~'.join(['a', 'b'])\n"
                                       "open('data/~backup.txt', 'w')",
}
"""For every kind of static flag, honest code that looks like it and must not raise it."""


def test_every_static_flag_kind_has_an_honest_look_alike():
    """Is there a look-alike for every kind that source_flags can raise?"""
    static = [k for k in integrity.KINDS if "locked cell" not in k and "run time" not in k]
    assert sorted(LOOK_ALIKES) == sorted(static)


@pytest.mark.parametrize("kind", sorted(LOOK_ALIKES))
def test_honest_look_alikes_raise_no_flag(kind):
    """Does honest code that resembles a flagged pattern stay unflagged?"""
    assert flags_of(LOOK_ALIKES[kind]) == []


def test_a_cell_that_does_not_parse_is_skipped():
    """Does a syntax error end the analysis of that cell only?"""
    cells = [Cell(0, "", "", "def broken(:\n"), Cell(1, "", "", "import autograder")]
    assert integrity.source_flags(cells) == ["imports the grader: autograder (cell 2)"]


def test_locked_cell_edits_are_flagged(course, tmp_path):
    """Are an edited setup cell and a deleted public check flagged, and solution edits not?"""
    a = course.assignment("softmax")
    path = edit_notebook(a.release_notebook, tmp_path / "s.ipynb",
                         {"setup": "import numpy as np\n", "softmax-impl": "def softmax(s):\n"
                          "    return s\n"})
    nb = json.loads(path.read_text())
    nb["cells"] = [c for c in nb["cells"]
                   if c["metadata"].get("nbgrader", {}).get("grade_id") != "softmax-check"]
    path.write_text(json.dumps(nb))
    flags = integrity.static_flags(notebooks.load(path), a)
    assert flags == ["edits a locked cell: setup", "deletes a locked cell: softmax-check"]


def test_locked_cells_saved_differently_are_not_flagged(course, tmp_path):
    """Does a notebook whose locked cells keep their text but are saved differently (source
    split into lines, other metadata and outputs added, cells moved) raise no locked-cell
    flag, while every solution cell is rewritten?"""
    a = course.assignment("softmax")
    path = edit_notebook(a.release_notebook, tmp_path / "s.ipynb",
                         {"softmax-impl": "def softmax(s):\n    return s\n"})
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        cell["source"] = "".join(cell["source"]).splitlines(keepends=True)
        cell["metadata"]["collapsed"] = True
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "~\n"}]
    nb["cells"].insert(3, {"cell_type": "code", "metadata": {}, "source": "print('~')\n",
                           "outputs": [], "execution_count": None, "id": "mine"})
    path.write_text(json.dumps(nb))
    assert integrity.static_flags(notebooks.load(path), a) == []


def test_unlocking_a_cell_in_its_metadata_does_not_hide_the_edit(course, tmp_path):
    """Does an edit still show when the student also unlocks the cell and fixes its checksum?"""
    a = course.assignment("softmax")
    path = edit_notebook(a.release_notebook, tmp_path / "s.ipynb",
                         {"intro": "# My own title"})
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        nbg = cell["metadata"].get("nbgrader", {})
        if nbg.get("grade_id") == "intro":
            nbg.update(locked=False, solution=True)
            nbg["checksum"] = integrity.checksum(cell)
    path.write_text(json.dumps(nb))
    assert integrity.static_flags(notebooks.load(path), a) == [
        "edits a locked cell: intro"]


def test_solution_notebook_gives_the_release_checksums(course):
    """Without the release notebook, do the solution's locked cells give the same checksums?"""
    for a in course.assignments:
        release = json.loads(a.release_notebook.read_text(encoding="utf-8"))
        solution = json.loads(a.solution_notebook.read_text(encoding="utf-8"))
        expected = integrity.locked_cells(release)
        assert len(expected) > 5
        assert integrity.locked_cells(solution, released=False) == expected


def test_locked_cells_are_checked_without_the_release_folder(course, tmp_path):
    """Does a course copy without assignments/ (a Gradescope bundle) still flag locked edits?"""
    a = course.assignment("softmax")
    bundle = replace(a, root=tmp_path)
    shutil.copytree(a.solution_dir, bundle.solution_dir)
    assert not bundle.release_notebook.exists()
    path = edit_notebook(a.release_notebook, tmp_path / "s.ipynb", {"setup": "import os\n"})
    sub = notebooks.load(path)
    assert integrity.static_flags(sub, bundle) == ["edits a locked cell: setup"]
    dave = notebooks.load(ROOT / "examples" / "softmax" / "dave.ipynb")
    assert [integrity.kind(f) for f in integrity.static_flags(dave, bundle)] == [
        "rebinds numpy", "rebinds builtins"]


def test_combine_keeps_order_and_caps():
    """Are repeated flags merged and a long list cut with a count of the rest?"""
    many = [f"imports the grader: m{i}" for i in range(30)]
    combined = integrity.combine(["a: 1", "a: 1"], many)
    assert combined[0] == "a: 1" and len(combined) == integrity.MAX_FLAGS
    assert combined[-1] == f"and {31 - integrity.MAX_FLAGS + 1} more flags"


def test_grading_path_does_not_import_nbgrader():
    """Does importing the grading pipeline leave nbgrader (a ~3 s import) unloaded?"""
    code = ("import sys, autograder.grading, autograder.integrity; "
            "print('nbgrader' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_flags_never_change_the_score(submission, grade):
    """Do tampering, a grader import and a computed /etc/passwd read give flags, same points?"""
    tamper = ("import numpy as np, builtins\n"
              "np.allclose = lambda *a, **k: True\n"
              "builtins.abs = lambda x: 0\n"
              "try:\n"
              "    import autograder\n"
              "except ImportError:\n"
              "    pass\n"
              "try:\n"
              "    open(chr(47) + 'etc' + chr(47) + 'passwd').read()\n"
              "except OSError:\n"
              "    pass\n")
    clean = grade("softmax", submission("softmax", name="clean",
                                        replace={"softmax-impl": WRONG_SOFTMAX}))
    flagged = grade("softmax", submission("softmax", name="flagged",
                                          replace={"softmax-impl": WRONG_SOFTMAX},
                                          append=[tamper]))
    assert clean.flags == ()
    assert flagged.score == clean.score and function_points(flagged) == function_points(clean)
    kinds = [integrity.kind(f) for f in flagged.flags]
    assert kinds[:3] == ["rebinds numpy", "rebinds builtins", "imports the grader"]
    assert "opened outside its folder at run time: /etc/passwd" in flagged.flags


def test_worker_reads_inside_its_folders_are_not_flagged(submission, grade):
    """Do the data helper, numpy internals and files the notebook writes itself raise nothing?"""
    own = ("from lossdata import load_digits_split\n"
           "_d = load_digits_split()\n"
           "with open('scratch.txt', 'w') as _f:\n"
           "    _f.write('x')\n"
           "open('scratch.txt').read()\n"
           "import numpy.polynomial\n")
    report = grade("softmax", submission("softmax", append=[own]))
    assert report.flags == (), report.flags
    assert report.score == 14
