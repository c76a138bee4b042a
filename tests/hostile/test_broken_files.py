"""Broken files: truncated JSON, JSON that is not a notebook, nbformat v3, a notebook without
code cells, a cell that raises in the middle, and files built to hurt the parser.

A safe grader parses a submission without executing it and never crashes on it: an
unreadable file earns what the untouched stub earns (nothing) with a message saying what is
wrong, and the batch goes on; an nbformat 3 notebook is upgraded and graded like the same
notebook in nbformat 4; a cell that raises stops only that cell (its later definitions are
missing, as if never written); a deeply nested expression stops only its cell.
"""
import json

import nbformat

from .conftest import MISSING, WRONG, needs_bwrap

pytestmark = needs_bwrap

RAISES_MIDWAY = "x = 1\nraise ValueError('midway')\n" + WRONG
PARSER_BOMB = "y = " + "(" * 90 + "1" + ")" * 90 + "\nz = x" + "[0]" * 100_000 + "\n" + WRONG


def test_broken_files_are_graded_not_crashed(submission, grade_batch, hostile_course, tmp_path):
    """Do broken or hostile files earn what the untouched stub earns, with a clear message?"""
    control_text = submission("softmax", name="source").read_text()
    unreadable = {
        "truncated": control_text[: len(control_text) // 2],
        "not_a_notebook": json.dumps({"cells": "hello", "metadata": {}}),
        "a_list": json.dumps([1, 2, 3]),
        "no_code_cells": json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                     "cells": [{"cell_type": "markdown", "metadata": {},
                                                "source": "just words", "id": "m"}]}),
        "deep_json": "[" * 100_000 + "]" * 100_000,
        "huge": '{"nbformat": 4, "cells": [], "pad": "' + "x" * (33 * 2**20) + '"}',
        "not_utf8": "\udcff\udcfe",
    }
    attacks = {}
    for name, text in unreadable.items():
        path = tmp_path / "files" / f"{name}.ipynb"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        attacks[name] = path
    wrong = submission("softmax", name="wrong", replace={"softmax-impl": WRONG})
    v3 = tmp_path / "files" / "v3.ipynb"
    nbformat.write(nbformat.convert(nbformat.read(wrong, as_version=4), 3), v3)
    attacks.update(wrong=wrong, v3=v3, stub=hostile_course.assignment.release_notebook,
                   raises_midway=submission("softmax", name="raises_midway",
                                            replace={"softmax-impl": RAISES_MIDWAY}),
                   missing=submission("softmax", name="missing",
                                      replace={"softmax-impl": MISSING}),
                   parser_bomb=submission("softmax", name="parser_bomb",
                                          replace={"softmax-impl": PARSER_BOMB}))
    batch = grade_batch(hostile_course, attacks, budget=90, jobs=2)
    for name in unreadable:
        batch.earns_like(name, "stub")
        assert batch.reports[name].score == 0 and batch.reports[name].problem, name
    assert "not valid JSON" in batch.reports["truncated"].problem
    assert "not UTF-8" in batch.reports["not_utf8"].problem
    batch.earns_like("v3", "wrong")
    batch.earns_like("raises_midway", "missing")
    batch.earns_like("parser_bomb", "missing")
    assert "ValueError" in batch.messages("raises_midway")
