"""Rebuild the sample submissions in examples/softmax/ from the student notebook.

Each sample is the generated student notebook with some cells edited the way a student
would: `python examples/make_examples.py` after `autograder generate softmax`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import edit_notebook  # noqa: E402

RELEASE = ROOT / "assignments/softmax/softmax.ipynb"
OUT = ROOT / "examples/softmax"


def solved() -> dict[str, str]:
    nb = json.loads((ROOT / "solutions/softmax/softmax.ipynb").read_text())
    cells = {}
    for cell in nb["cells"]:
        nbg = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] == "code" and nbg.get("solution"):
            cells[nbg["grade_id"]] = "".join(l for l in cell["source"] if "SOLUTION" not in l)
    return cells


SAMPLES = {
    "alice": ({}, [], "a complete, correct notebook"),
    "bob": ({"softmax-impl": "def softmax(scores):\n    e = np.exp(scores)\n"
                             "    return e / e.sum(axis=-1, keepdims=True)\n"},
            [], "a softmax that overflows at large logits"),
    "dave": ({"softmax-impl": "def softmax(scores):\n    return np.exp(scores)\n"},
             ["np.allclose = lambda *a, **k: True\nimport builtins\nbuiltins.abs = lambda x: 0\n"],
             "a wrong softmax that patches np.allclose and builtins.abs"),
    "erin": ({"cross-entropy-impl": "def cross_entropy(scores, y):\n    while True:\n"
                                    "        pass\n"}, [], "a cross_entropy that never returns"),
}


def main() -> None:
    base = solved()
    for name, (edits, extra, _) in SAMPLES.items():
        edit_notebook(RELEASE, OUT / f"{name}.ipynb", {**base, **edits}, append=extra)
    edit_notebook(RELEASE, OUT / "carol.ipynb")  # the untouched student notebook
    (OUT / "frank.ipynb").write_text('{"cells": [{"cell_type": "code", "source": "import nu')


if __name__ == "__main__":
    main()
