"""Read a submitted .ipynb into a Submission. Parses only: nothing here ever executes a cell.

IPython magics and shell escapes are neutralised (replaced by `pass`) and reported, so a
`!rm -rf` or `%run` line never runs anywhere.
"""
from __future__ import annotations

import ast
import json
import os
import re
import stat
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_NOTEBOOK_BYTES = 16 * 1024 * 1024
"""Larger files are refused unread: a notebook of code is a few hundred KiB, with figures a
few MiB."""
MAX_JSON_ITEMS = 1_000_000
"""Most JSON values (counted as commas and opening brackets) a notebook may hold: parsed,
each costs the grader 50-100 bytes, and a few MiB of `[],` would otherwise take gigabytes."""
MAX_CELL_SOURCE = 60_000
"""Characters of code one cell may hold (a long honest cell has a few thousand); a larger
cell is not run, nor parsed here (60k characters of a literal take ~0.2 s to parse)."""
MAX_CODE_SOURCE = 250_000
"""Characters of code all cells together may hold; cells past it are not run."""
CACHE_CHARS = 2 * MAX_CODE_SOURCE
"""Characters of source whose parsed trees syntax_tree keeps (the least recently used go):
every cell of the submission being graded is parsed once, and what stays is bounded."""
CACHE_CELL = MAX_CELL_SOURCE
"""Larger sources are parsed every time, never kept."""

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
    refused: str = ""
    """Why the cell is not run (too large); then `source` is empty."""

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


def load(path: str | Path, root: str | Path | None = None) -> Submission:
    """Parse a notebook file inside the folder `root` (default: the file's own folder).

    Raises BrokenNotebook with a message for the student, also for a symbolic link, a path
    that resolves outside `root`, a device, a FIFO or anything else that is not a plain file.
    """
    path = Path(path)
    try:
        text = read_text(path, Path(root) if root is not None else path.parent)
    except UnicodeDecodeError:
        raise BrokenNotebook("the file is not UTF-8 text, so it is not a notebook") from None
    except OSError as exc:
        raise BrokenNotebook(f"the file could not be read ({exc.strerror})") from None
    return parse(text, path)


def refusal(path: Path, root: Path) -> str:
    """Why `path` is not a file the grader reads as a submission inside `root`, or ""."""
    try:
        if os.path.islink(path):
            return ("the submission is a symbolic link, not a notebook file; submit the "
                    "notebook itself")
        real, top = os.path.realpath(path), os.path.realpath(root)
        if os.path.commonpath([real, top]) != top:
            return "the submission's path leads outside the folder being graded"
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return ""  # a missing file: reading it says so
    if not stat.S_ISREG(mode):
        return "the submission is not a regular file (a device, a FIFO or a folder)"
    return ""


def read_text(path: Path, root: Path) -> str:
    """The file's text, read without following a final symbolic link and never blocking
    (a FIFO), at most MAX_NOTEBOOK_BYTES of it."""
    problem = refusal(path, root)
    if problem:
        raise BrokenNotebook(problem)
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BrokenNotebook("the submission is not a regular file (a device, a FIFO or "
                                 "a folder)")
        if info.st_size > MAX_NOTEBOOK_BYTES:
            raise BrokenNotebook(f"the file is {info.st_size / 2**20:.0f} MiB, larger than a "
                                 f"notebook can be ({MAX_NOTEBOOK_BYTES // 2**20} MiB)")
        data = f.read(MAX_NOTEBOOK_BYTES + 1)
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise BrokenNotebook(f"the file is larger than a notebook can be "
                             f"({MAX_NOTEBOOK_BYTES // 2**20} MiB)")
    return data.decode("utf-8")


def parse(text: str, path: Path) -> Submission:
    """Parse notebook JSON text (nbformat 4, or 3 upgraded to 4)."""
    items = text.count(",") + text.count("[") + text.count("{")
    if items > MAX_JSON_ITEMS:
        raise BrokenNotebook(f"the file holds {items} JSON values, more than a notebook can "
                             f"({MAX_JSON_ITEMS})")
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
    budget = MAX_CODE_SOURCE
    for index, raw in enumerate(cells):
        check_cell(raw, index)
        meta = raw.get("metadata", {})
        nbg = meta.get("nbgrader", {})
        grade_id = str(nbg.get("grade_id", ""))
        source = _text(raw.get("source", ""))
        if raw.get("cell_type") == "code":
            refused = _too_large(source, budget)
            budget -= 0 if refused else len(source)
            runnable, removed = neutralise(source) if not refused else ("", ())
            tags = meta.get("tags", [])
            code.append(Cell(index, str(raw.get("id", "")), grade_id, runnable, removed,
                             tuple(str(t) for t in tags), refused))
        elif raw.get("cell_type") == "markdown" and nbg.get("solution") and nbg.get("grade"):
            answers.append((grade_id, source))
    if not code:
        raise BrokenNotebook("the notebook has no code cells")
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    hint = meta.get("autograder", {}).get("assignment", "") if isinstance(
        meta.get("autograder"), dict) else ""
    return Submission(path, tuple(code), tuple(answers), str(hint))


def check_cell(raw: Any, index: int) -> None:
    """A cell has the shape every output writer relies on (nbformat 4's schema, for the
    fields the grader and nbgrader read), else the notebook is refused: what the loader
    accepts, every output accepts."""
    where = f"cell {index + 1}"
    if not isinstance(raw, dict):
        raise BrokenNotebook(f"{where} is not a JSON object")
    meta = raw.get("metadata", {})
    source = raw.get("source", "")
    problems = [
        (not isinstance(meta, dict), "its metadata is not a JSON object"),
        (isinstance(meta, dict) and not isinstance(meta.get("nbgrader", {}), dict),
         "its nbgrader metadata is not a JSON object"),
        (isinstance(meta, dict) and isinstance(meta.get("nbgrader"), dict)
         and not isinstance(meta["nbgrader"].get("grade_id", ""), str),
         "its nbgrader grade_id is not a string"),
        (isinstance(meta, dict) and not isinstance(meta.get("tags", []), list),
         "its tags are not a list"),
        (not isinstance(raw.get("cell_type", ""), str), "its cell_type is not a string"),
        (not (isinstance(source, str) or isinstance(source, list)
              and all(isinstance(s, str) for s in source)), "its source is not text"),
        (not isinstance(raw.get("id", ""), str), "its id is not a string"),
    ]
    for bad, why in problems:
        if bad:
            raise BrokenNotebook(f"{where} is malformed: {why} (was the notebook edited by "
                                 "hand? open it in Jupyter and save it again)")


def _too_large(source: str, budget: int) -> str:
    if len(source) > MAX_CELL_SOURCE:
        return (f"it holds {len(source)} characters of code, more than a cell may "
                f"({MAX_CELL_SOURCE}); it was not run")
    if len(source) > budget:
        return (f"the notebook's code cells hold more than {MAX_CODE_SOURCE} characters "
                "together; this cell and any later large ones were not run")
    return ""


class _TreeCache:
    """Parsed trees by source, bounded by the total size of the sources kept (LRU)."""

    def __init__(self, chars: int, largest: int) -> None:
        self.chars, self.largest, self.size = chars, largest, 0
        self.trees: OrderedDict[str, ast.Module | None] = OrderedDict()

    def get(self, source: str) -> ast.Module | None:
        if source in self.trees:
            self.trees.move_to_end(source)
            return self.trees[source]
        tree = _parse(source)
        if len(source) <= self.largest:
            self.trees[source] = tree
            self.size += len(source)
            while self.size > self.chars:
                old, _ = self.trees.popitem(last=False)
                self.size -= len(old)
        return tree

    def clear(self) -> None:
        self.trees.clear()
        self.size = 0


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


_TREES = _TreeCache(CACHE_CHARS, CACHE_CELL)


def syntax_tree(source: str) -> ast.Module | None:
    """The parsed cell, or None if it is not valid Python. Cached (within CACHE_CHARS): the
    instructor's cells are the same in every submission, and loading, integrity flags and
    the loop check all parse. Callers must not modify the tree."""
    return _TREES.get(source)


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
