"""Notebook loading: parse only, neutralise magics, explain broken files."""
from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from autograder import notebooks
from autograder.notebooks import BrokenNotebook, load, neutralise, parse
from conftest import ROOT


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


# --- files that are not what they seem ------------------------------------------------------

def test_symbolic_links_are_refused_even_to_a_notebook(tmp_path):
    """Is a submission that is a symlink (here to a valid notebook) refused, not followed?"""
    real = tmp_path / "real.ipynb"
    real.write_text(nb(code("x = 1\n")))
    load(real)  # the target itself is fine
    (tmp_path / "sub").mkdir()
    link = tmp_path / "sub" / "s.ipynb"
    link.symlink_to(real)
    with pytest.raises(BrokenNotebook, match="symbolic link"):
        load(link)


def test_paths_that_resolve_outside_the_graded_folder_are_refused(tmp_path):
    """Is a notebook reached through a folder symlink that leaves the root refused?"""
    outside = tmp_path / "solutions"
    outside.mkdir()
    (outside / "s.ipynb").write_text(nb(code("x = 1\n")))
    root = tmp_path / "submitted"
    (root / "alice").mkdir(parents=True)
    (root / "alice" / "softmax").symlink_to(outside)
    path = root / "alice" / "softmax" / "s.ipynb"
    with pytest.raises(BrokenNotebook, match="outside the folder"):
        load(path, root)
    assert load(outside / "s.ipynb", tmp_path).cells  # inside its root: read as usual


def test_fifos_and_devices_are_refused_without_blocking(tmp_path):
    """Are a FIFO (which would block a reader) and a character device refused?"""
    fifo = tmp_path / "fifo.ipynb"
    os.mkfifo(fifo)
    with pytest.raises(BrokenNotebook, match="not a regular file"):
        load(fifo)
    with pytest.raises(BrokenNotebook, match="not a regular file"):
        load(Path("/dev/zero"))


# --- inputs the trusted side must not choke on -------------------------------------------------

def test_a_cell_over_the_size_cap_is_not_run_nor_parsed(monkeypatch):
    """Is a huge cell refused with a message (the others kept), and never parsed here?"""
    huge = "data = [" + "1, " * (notebooks.MAX_CELL_SOURCE // 3 + 10) + "]\n"
    parsed = []
    monkeypatch.setattr(notebooks, "_parse", lambda s: parsed.append(len(s)) or None)
    sub = parse(nb(code("a = 1\n"), code(huge), code("b = 2\n")), Path("s.ipynb"))
    assert [c.refused != "" for c in sub.cells] == [False, True, False]
    assert "not run" in sub.cells[1].refused and sub.cells[1].source == ""
    assert max(parsed, default=0) < notebooks.MAX_CELL_SOURCE


def test_code_over_the_notebook_cap_is_not_run():
    """Once all cells together pass MAX_CODE_SOURCE, are the later large cells refused?"""
    big = "x = '" + "a" * (notebooks.MAX_CELL_SOURCE - 20) + "'\n"
    count = notebooks.MAX_CODE_SOURCE // len(big) + 2
    sub = parse(nb(*[code(big) for _ in range(count)], code("small = 1\n")), Path("s.ipynb"))
    refused = [bool(c.refused) for c in sub.cells]
    assert refused[: count - 2] == [False] * (count - 2) and all(refused[count - 1: count])
    assert refused[-1] is False


def test_too_many_json_values_are_refused_before_parsing():
    """Is a notebook of millions of tiny JSON values refused before json.loads builds them?"""
    text = '{"nbformat": 4, "cells": [], "pad": [' + "[]," * notebooks.MAX_JSON_ITEMS + "[]]}"
    with pytest.raises(BrokenNotebook, match="JSON values"):
        parse(text, Path("s.ipynb"))


def test_the_parsed_tree_cache_is_bounded(monkeypatch):
    """Does the tree cache keep at most CACHE_CHARS of source, and never a large source?"""
    cache = notebooks._TreeCache(chars=1000, largest=300)
    for i in range(50):
        cache.get(f"x{i} = {'1' * 100}\n")
    assert cache.size <= 1000 and len(cache.trees) < 50
    cache.get("y = " + "2" * 400)
    assert all(len(s) <= 300 for s in cache.trees)
    assert cache.get("x49 = " + "1" * 100 + "\n") is cache.get("x49 = " + "1" * 100 + "\n")


MALFORMED_CELLS = {
    "metadata_list": {"metadata": ["not", "an", "object"]},
    "metadata_string": {"metadata": "nbgrader"},
    "nbgrader_list": {"metadata": {"nbgrader": [1, 2]}},
    "grade_id_list": {"metadata": {"nbgrader": {"grade_id": ["softmax-impl"]}}},
    "tags_string": {"metadata": {"tags": "demo"}},
    "source_number": {"source": 42},
    "cell_type_list": {"cell_type": ["code"]},
    "id_number": {"id": 7},
}
"""Changes to one cell of an otherwise perfect submission that outputs cannot take."""


@pytest.mark.parametrize("case", sorted(MALFORMED_CELLS))
def test_malformed_cells_are_refused_with_a_message(case):
    """Is each malformed cell refused, naming the cell and what is wrong?"""
    cell = {**code("x = 1\n"), **MALFORMED_CELLS[case]}
    with pytest.raises(BrokenNotebook, match=r"cell 2 is malformed"):
        parse(nb(code("a = 1\n"), cell), Path("s.ipynb"))


def test_every_output_takes_every_malformed_notebook(course, tmp_path):
    """Do grade (with nbgrader's database), merge and report all finish on a class whose
    notebooks are malformed in every way the loader refuses, next to a good one?"""
    from autograder.cli import main

    assignment = course.assignment("softmax")
    solution = json.loads(assignment.solution_notebook.read_text(encoding="utf-8"))
    subs = tmp_path / "subs"
    subs.mkdir()
    for case, change in MALFORMED_CELLS.items():
        broken = json.loads(json.dumps(solution))
        target = next(c for c in broken["cells"] if c["cell_type"] == "code")
        target.update(change)
        (subs / f"{case}.ipynb").write_text(json.dumps(broken), encoding="utf-8")
    (subs / "not_a_cell.ipynb").write_text(json.dumps({**solution, "cells": [
        *solution["cells"], "a string"]}), encoding="utf-8")
    shutil.copy(assignment.release_notebook, subs / "stub.ipynb")

    def cli(*argv: str) -> int:
        return main(["--course", str(ROOT / "course.yaml"), *argv], stdout=io.StringIO(),
                    stderr=io.StringIO())

    graded = tmp_path / "graded"
    assert cli("grade", "softmax", str(subs), "--seed", "3", "--quiet", "--nbgrader-db",
               "--out", str(graded)) == 0
    assert cli("merge", str(graded), "--out", str(tmp_path / "merged")) == 0
    assert cli("report", str(graded), "--out", str(tmp_path / "report")) == 0
    for case in [*MALFORMED_CELLS, "not_a_cell"]:
        result = json.loads((tmp_path / "report" / case / "results.json").read_text())
        assert result["score"] == 0 and "malformed" in json.dumps(result) \
            or "not a JSON object" in json.dumps(result), case
    assert (tmp_path / "merged" / "nbgrader" / "gradebook.db").is_file()
