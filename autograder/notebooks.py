"""Read a submitted .ipynb into a Submission. Parses only: nothing here ever executes a cell.

IPython magics and shell escapes are neutralised (replaced by `pass`) and reported, so a
`!rm -rf` or `%run` line never runs anywhere.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024
"""Larger files are refused unread: a notebook of code is a few hundred KiB."""

_LINE_MAGIC = re.compile(r"^(\s*)([%!].*)$")
_ASSIGNED_MAGIC = re.compile(r"^(\s*)([\w.\[\], ]+?)\s*=\s*[%!].*$")
_HELP = re.compile(r"^(\s*)[\w.]+\?{1,2}\s*$")


class BrokenNotebook(Exception):
    """The file cannot be read as a notebook; the message is written for the student."""


@dataclass(frozen=True)
class Cell:
    """One code cell of a submission, as the worker will run it."""

    index: int
    """Position among all cells of the notebook (0-based)."""
    cell_id: str
    """nbformat cell id, or "" for notebooks older than nbformat 4.5."""
    grade_id: str
    """nbgrader grade_id, or "" for cells without nbgrader metadata (a student's own cells)."""
    source: str
    """The code to run, with magics neutralised."""
    neutralised: tuple[str, ...] = ()
    """The magic or shell lines that were replaced by `pass`."""
    tags: tuple[str, ...] = ()
    """The cell's tags."""

    @property
    def label(self) -> str:
        """How messages name this cell."""
        return f"cell {self.index + 1}" + (f" ({self.grade_id})" if self.grade_id else "")


@dataclass(frozen=True)
class Submission:
    """A parsed notebook: its code cells in order. Markdown cells are kept only as answers."""

    path: Path
    """The submitted file."""
    cells: tuple[Cell, ...]
    """Code cells in notebook order."""
    answers: tuple[tuple[str, str], ...] = ()
    """(grade_id, text) of the answer cells that nbgrader marks for manual grading."""
    assignment_hint: str = ""
    """Assignment id recorded in the notebook's metadata by `autograder generate`, if any."""

    @property
    def name(self) -> str:
        return self.path.stem


def load(path: str | Path) -> Submission:
    """Parse a notebook file. Raises BrokenNotebook with a message for the student."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise BrokenNotebook(f"the file is {size / 2**20:.0f} MiB, larger than a notebook "
                                 f"can be ({MAX_NOTEBOOK_BYTES // 2**20} MiB)")
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise BrokenNotebook("the file is not UTF-8 text, so it is not a notebook") from None
    except OSError as exc:
        raise BrokenNotebook(f"the file could not be read ({exc.strerror})") from None
    return parse(text, path)


def parse(text: str, path: Path) -> Submission:
    """Parse notebook JSON text (nbformat 4, or 3 upgraded to 4)."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise BrokenNotebook(f"the file is not valid JSON{where}; was it saved completely?"
                             ) from None
    data = _as_v4(data)
    cells = data.get("cells")
    if not isinstance(cells, list):
        raise BrokenNotebook("the notebook has no list of cells")
    code: list[Cell] = []
    answers: list[tuple[str, str]] = []
    for index, raw in enumerate(cells):
        if not isinstance(raw, dict):
            raise BrokenNotebook(f"cell {index + 1} is not a JSON object")
        meta = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
        nbg = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else {}
        grade_id = str(nbg.get("grade_id", ""))
        source = _text(raw.get("source", ""))
        if raw.get("cell_type") == "code":
            runnable, removed = neutralise(source)
            tags = meta.get("tags") if isinstance(meta.get("tags"), list) else []
            code.append(Cell(index, str(raw.get("id", "")), grade_id, runnable, removed,
                             tuple(str(t) for t in tags)))
        elif raw.get("cell_type") == "markdown" and nbg.get("solution") and nbg.get("grade"):
            answers.append((grade_id, source))
    if not code:
        raise BrokenNotebook("the notebook has no code cells")
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    hint = meta.get("autograder", {}).get("assignment", "") if isinstance(
        meta.get("autograder"), dict) else ""
    return Submission(path, tuple(code), tuple(answers), str(hint))


@lru_cache(maxsize=4096)
def syntax_tree(source: str) -> ast.Module | None:
    """The parsed cell, or None if it is not valid Python. Cached: the instructor's cells are
    the same in every submission, and loading, integrity flags and the loop check all parse.
    Callers must not modify the tree."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def neutralise(source: str) -> tuple[str, tuple[str, ...]]:
    """Replace IPython-only lines (magics, shell escapes, `x?`) by `pass`, keeping indentation.

    Valid Python is returned untouched, so a docstring line starting with % is safe.
    """
    if source.lstrip().startswith("%%"):
        first = source.lstrip().splitlines()[0]
        return "pass  # cell magic removed by the grader\n", (first,)
    if syntax_tree(source) is not None:
        return source, ()
    out, removed = [], []
    for line in source.splitlines():
        m = _ASSIGNED_MAGIC.match(line)
        if m:
            out.append(f"{m.group(1)}{m.group(2)} = None  # magic removed by the grader")
            removed.append(line.strip())
        elif _LINE_MAGIC.match(line) or _HELP.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}pass  # magic removed by the grader")
            removed.append(line.strip())
        else:
            out.append(line)
    return "\n".join(out) + "\n", tuple(removed)


def _text(source: Any) -> str:
    if isinstance(source, list):
        return "".join(str(s) for s in source)
    return str(source)


def _as_v4(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or "nbformat" not in data:
        raise BrokenNotebook("the file is JSON but not a Jupyter notebook (no 'nbformat' field)")
    major = data.get("nbformat")
    if major == 4:
        return data
    if major == 3:
        import nbformat  # only for old notebooks: upgrading is nbformat's job

        try:
            return dict(nbformat.convert(nbformat.from_dict(data), 4))
        except Exception as exc:  # nbformat raises many types on malformed v3 input
            raise BrokenNotebook(f"the nbformat 3 notebook could not be upgraded ({exc})"
                                 ) from None
    raise BrokenNotebook(f"nbformat version {major!r} is not supported (Jupyter writes 4)")
