"""Notebook loading: parse only, neutralise magics, explain broken files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.notebooks import BrokenNotebook, load, neutralise, parse


def nb(*cells: dict, major: int = 4) -> str:
    return json.dumps({"nbformat": major, "nbformat_minor": 5, "metadata": {}, "cells": list(cells)})


def code(src, **meta) -> dict:
    return {"cell_type": "code", "id": "x", "metadata": meta, "source": src, "outputs": [],
            "execution_count": None}


def test_code_cells_in_order_with_ids_and_grade_ids():
    """Are code cells read in order with cell ids, grade_ids and tags; markdown skipped?"""
    sub = parse(nb(code("a = 1\n", nbgrader={"grade_id": "one"}, tags=["demo"]),
                   {"cell_type": "markdown", "metadata": {}, "source": "text"},
                   code(["b = ", "2\n"])), Path("s.ipynb"))
    assert [(c.index, c.grade_id, c.source, c.tags) for c in sub.cells] == [
        (0, "one", "a = 1\n", ("demo",)), (2, "", "b = 2\n", ())]
    assert sub.cells[0].label == "cell 1 (one)" and sub.name == "s"


def test_magics_and_shell_escapes_are_neutralised_and_reported():
    """Do %, !, x = !cmd and `obj?` lines become pass, keeping indentation, and get reported?"""
    source = "import os\n%timeit os.getcwd()\nif True:\n    !rm -rf /\nfiles = !ls\nos.path?\n"
    out, removed = neutralise(source)
    compile(out, "cell", "exec")
    assert "rm -rf" not in out and "%timeit" not in out
    assert "    pass" in out and "files = None" in out
    assert removed == ("%timeit os.getcwd()", "!rm -rf /", "files = !ls", "os.path?")


def test_cell_magic_removes_the_whole_cell():
    """Is a %%bash or %%writefile cell never run at all?"""
    out, removed = neutralise("%%bash\nrm -rf /\n")
    assert "rm" not in out and removed == ("%%bash",)


def test_valid_python_is_left_alone():
    """Is a docstring line that starts with % left untouched in valid code?"""
    source = 'def f():\n    """\n    %d percent\n    """\n    return 1\n'
    assert neutralise(source) == (source, ())


def test_nbformat_3_is_upgraded():
    """Is an nbformat 3 notebook upgraded and read?"""
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "x = 1\n", "language": "python", "outputs": [],
         "metadata": {}}]}]}
    sub = parse(json.dumps(v3), Path("old.ipynb"))
    assert [c.source for c in sub.cells] == ["x = 1\n"]


@pytest.mark.parametrize("text, fragment", [
    ("{", "not valid JSON"), ("[]", "not a Jupyter notebook"),
    (nb(major=5), "nbformat version 5 is not supported"),
    (nb({"cell_type": "markdown", "metadata": {}, "source": "hi"}), "no code cells"),
    (json.dumps({"nbformat": 4, "cells": "nope"}), "no list of cells"),
])
def test_broken_notebooks_raise_a_student_message(text, fragment):
    """Does every kind of broken file raise BrokenNotebook with a clear message?"""
    with pytest.raises(BrokenNotebook, match=fragment):
        parse(text, Path("b.ipynb"))


def test_binary_file_is_not_a_notebook(tmp_path):
    """Does a binary file get 'not UTF-8' rather than a decoding traceback?"""
    path = tmp_path / "x.ipynb"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(BrokenNotebook, match="not UTF-8"):
        load(path)


def test_answers_and_assignment_hint_are_kept():
    """Are written-answer cells and the assignment id from the metadata available?"""
    text = json.dumps({"nbformat": 4, "nbformat_minor": 5,
                       "metadata": {"autograder": {"assignment": "softmax"}},
                       "cells": [code("x = 1\n"), {"cell_type": "markdown", "source": "my answer",
                                  "metadata": {"nbgrader": {"grade_id": "q1", "solution": True,
                                                            "grade": True}}}]})
    sub = parse(text, Path("a.ipynb"))
    assert sub.assignment_hint == "softmax" and sub.answers == (("q1", "my answer"),)
