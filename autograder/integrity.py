"""Integrity flags: what a submission did that its instructor should look at.

Flags never change a score: grading already ignores every trick flagged here (student code runs
in its own process), so a flag is a reason to talk to the student, not evidence of a better
score. Everything here is static and trusted: it parses sources (never runs them), compares
locked cells with the release notebook's nbgrader checksums, and words the paths the sandboxed
worker reported opening (`runtime_flags`).

Each flag is a short string "<kind>: <what> (<where>)"; the kind is one of KINDS.
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from . import translations
from .course import Assignment
from .notebooks import Cell, Submission, syntax_tree

KINDS = ("rebinds numpy", "rebinds builtins", "rebinds sys.modules", "imports the grader",
         "opens a path outside its folder", "edits a locked cell", "deletes a locked cell",
         "opened outside its folder at run time")
"""Every kind of flag, in the order reports list them."""
GRADER_MODULES = frozenset({"autograder", "worker", "wire", "confine"})
"""Top-level modules that are the grader (worker.py and wire.py sit next to student code)."""
FILE_FUNCTIONS = frozenset({
    "open", "Path", "PurePath", "PosixPath", "load", "loadtxt", "genfromtxt", "fromfile",
    "memmap", "read_csv", "read_table", "read_json", "read_pickle", "read_excel", "listdir",
    "scandir", "walk", "glob", "iglob", "stat", "exists", "isfile", "isdir", "copy",
    "copyfile", "copytree", "imread", "chdir", "readlink", "FileIO", "open_code",
    "expanduser"})
"""Calls whose first argument is a path: any absolute or parent path there is flagged."""
OUTSIDE_ROOTS = re.compile(r"^(/(etc|proc|sys|home|root|grader|course|autograder|work|var|"
                           r"run|srv|mnt|media|opt|boot)(/|$)|~/)")
"""Strings that name a place outside the submission's folder, flagged as an argument of any
call that does not only show text (a path has no spaces; "~" alone is not a path)."""
DISPLAY_CALLS = frozenset({
    "print", "write", "writelines", "format", "warn", "info", "debug", "warning", "error",
    "log", "title", "suptitle", "xlabel", "ylabel", "set_title", "set_xlabel", "set_ylabel",
    "text", "annotate", "legend", "Markdown", "display", "append"})
"""Calls whose string arguments are text to show, never a place to open."""
HARMLESS_PATHS = frozenset({"/dev/null"})
SYS_MODULES_METHODS = frozenset({"update", "pop", "popitem", "setdefault", "clear",
                                 "__setitem__", "__delitem__"})
MAX_FLAGS = 20
"""Flags kept per submission: a few examples say enough."""


# --- locked cells: nbgrader's checksums ---------------------------------------------------

def checksum(cell: dict[str, Any], source: str | None = None) -> str:
    """nbgrader's cell checksum (nbgrader.utils.compute_checksum), without importing nbgrader.

    MD5 of the source, the cell type, whether the cell is a grade, solution and locked cell,
    its grade_id and, for grade cells, its points. Importing nbgrader costs ~3 s, far more
    than grading a notebook, so the documented recipe is reimplemented; a test compares the
    two on every cell of the release notebooks.
    """
    nbg = cell.get("metadata", {}).get("nbgrader", {})
    grade, solution = bool(nbg.get("grade", False)), bool(nbg.get("solution", False))
    locked = False if solution else (True if grade else bool(nbg.get("locked", False)))
    m = hashlib.md5()
    m.update(_text(cell.get("source", "") if source is None else source).encode("utf-8"))
    m.update(str(cell.get("cell_type", "")).encode("utf-8"))
    for value in (grade, solution, locked):
        m.update(str(value).encode("utf-8"))
    m.update(str(nbg["grade_id"]).encode("utf-8"))
    if grade:
        m.update(str(float(nbg["points"])).encode("utf-8"))
    return m.hexdigest()


@dataclass(frozen=True)
class Locked:
    """A locked cell of the release: the source a submission must leave unchanged."""

    cell: dict[str, Any]
    """The release cell's type and nbgrader metadata (what its checksum covers besides source)."""
    checksum: str
    """nbgrader's checksum of the released cell."""

    @property
    def grade_id(self) -> str:
        return str(self.cell["metadata"]["nbgrader"]["grade_id"])


def locked_cells(notebook: dict[str, Any], *, released: bool = True) -> tuple[Locked, ...]:
    """The locked cells of a release notebook (its stored checksums), or of the solution
    notebook (`released=False`: checksums computed after clearing hidden-test regions the
    way nbgrader's ClearHiddenTests does, for when the release notebook is not at hand)."""
    found = []
    for cell in notebook.get("cells", []):
        nbg = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
        if not isinstance(nbg, dict) or not is_locked(nbg):
            continue
        keep = {k: nbg[k] for k in ("grade", "solution", "locked", "grade_id", "points")
                if k in nbg}
        bare = {"cell_type": cell.get("cell_type"), "metadata": {"nbgrader": keep}}
        if released and "checksum" in nbg:
            found.append(Locked(bare, str(nbg["checksum"])))
        elif not released:
            found.append(Locked(bare, checksum(bare, _clear_hidden_tests(cell.get("source",
                                                                                  "")))))
    return tuple(found)


def _clear_hidden_tests(source: Any) -> str:
    kept, hidden = [], False
    for line in _text(source).split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            hidden = True
        elif "END HIDDEN TESTS" in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def locked_cell_flags(expected: Sequence[Locked], submitted: dict[str, Any]) -> list[str]:
    """Locked cells of the release whose source the submission changed or deleted.

    The release's checksum (trusted) is compared with the checksum of the submitted cell's
    source under the release's own metadata, so editing the cell's metadata (to unlock it)
    does not hide an edit.
    """
    by_id: dict[str, dict[str, Any]] = {}
    for cell in submitted.get("cells", []):
        gid = _grade_id(cell)
        if gid:
            by_id.setdefault(gid, cell)
    flags = []
    for gid in dict.fromkeys(locked.grade_id for locked in expected):
        mine = by_id.get(gid)
        if mine is None:
            flags.append(f"deletes a locked cell: {gid}")
        elif not any(checksum(locked.cell, _text(mine.get("source", ""))) == locked.checksum
                     and mine.get("cell_type") == locked.cell["cell_type"]
                     for locked in expected if locked.grade_id == gid):
            flags.append(f"edits a locked cell: {gid}")
    return flags


def expected_locked(assignment: Assignment) -> tuple[Locked, ...]:
    """The assignment's locked cells in every edition (a cell may match the English or the
    Korean one): from the release notebooks, else from the solution and its translation."""
    korean = assignment.release_dir / translations.edition_name(assignment.notebook)
    if assignment.release_notebook.is_file():
        paths = [assignment.release_notebook] + [korean] * korean.is_file()
        return tuple(c for p in paths for c in _locked_in(p, p.stat().st_mtime, True))
    if assignment.solution_notebook.is_file():
        return tuple(c for nb in translations.solution_editions(assignment)
                     for c in locked_cells(nb, released=False))
    return ()


@lru_cache(maxsize=32)
def _locked_in(path: Path, mtime: float, released: bool) -> tuple[Locked, ...]:
    return locked_cells(json.loads(path.read_text(encoding="utf-8")), released=released)


def is_locked(nbg: dict[str, Any]) -> bool:
    """nbgrader's is_locked: grade cells and locked cells, never solution cells."""
    if not nbg.get("grade_id") or nbg.get("solution"):
        return False
    return bool(nbg.get("grade") or nbg.get("locked"))


def _grade_id(cell: Any) -> str:
    if not isinstance(cell, dict) or not isinstance(cell.get("metadata"), dict):
        return ""
    nbg = cell["metadata"].get("nbgrader")
    return str(nbg.get("grade_id", "")) if isinstance(nbg, dict) else ""


def _text(source: Any) -> str:
    return "".join(str(s) for s in source) if isinstance(source, list) else str(source)


# --- sources: what the code does to numpy, builtins, sys.modules, the grader, the disk -----

class _Names:
    """Local names bound to the modules that matter, collected across cells in order."""

    def __init__(self) -> None:
        self.numpy: set[str] = set()
        self.builtins: set[str] = {"__builtins__"}
        self.sys: set[str] = set()
        self.modules: set[str] = set()
        self.importlib: set[str] = set()

    def bind(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                kind = {"numpy": self.numpy, "builtins": self.builtins, "sys": self.sys,
                        "importlib": self.importlib}.get(top)
                if kind is not None:  # `import numpy.linalg as la` binds a numpy module too
                    kind.add(alias.asname or top)
        elif node.module and node.level == 0:
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module.split(".")[0] == "numpy":
                    self.numpy.add(local)
                elif node.module == "sys" and alias.name == "modules":
                    self.modules.add(local)
                elif node.module == "importlib" and alias.name == "import_module":
                    self.importlib.add(local)


def source_flags(cells: Sequence[Cell]) -> list[str]:
    """Flags from the submission's code cells (magics already neutralised), in cell order."""
    names, flags = _Names(), []
    for cell in cells:
        tree = syntax_tree(cell.source)
        if tree is None:
            continue  # a cell that does not parse does not run either; the cell report says so
        for node in _in_order(tree):
            for flag in _node_flags(node, names):
                flags.append(f"{flag} ({cell.label})")
    return flags


def _in_order(tree: ast.AST) -> Iterator[ast.AST]:
    """Nodes in source order (ast.walk is breadth first), without recursion."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _node_flags(node: ast.AST, names: _Names) -> list[str]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        names.bind(node)
        return _import_flags(node)
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        return [f for t in targets for f in _target_flags(t, names)]
    if isinstance(node, ast.Call):
        return _call_flags(node, names)
    return []


def _import_flags(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        modules = [a.name for a in node.names]
    else:
        modules = [node.module or ""] if node.level == 0 else []
    return [f"imports the grader: {m}" for m in modules if m.split(".")[0] in GRADER_MODULES]


def _target_flags(target: ast.AST, names: _Names) -> list[str]:
    """Assignments and deletions that rebind a module's attribute or a sys.modules entry."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return [f for t in target.elts for f in _target_flags(t, names)]
    if isinstance(target, ast.Starred):
        return _target_flags(target.value, names)
    if isinstance(target, ast.Name) and target.id == "__builtins__":
        return ["rebinds builtins: __builtins__"]
    if isinstance(target, ast.Subscript) and _is_sys_modules(target.value, names):
        return [f"rebinds sys.modules: {_dotted(target)}"]
    if isinstance(target, ast.Attribute) and _is_sys_modules(target, names):
        return ["rebinds sys.modules: sys.modules"]
    if isinstance(target, ast.Subscript) and _is_globals_builtins(target):
        return ["rebinds builtins: globals()['__builtins__']"]
    owner = target.value if isinstance(target, (ast.Attribute, ast.Subscript)) else None
    return _owner_flags(owner, names, _dotted(target)) if owner is not None else []


def _owner_flags(owner: ast.AST, names: _Names, what: str) -> list[str]:
    root = _root(owner)
    if root in names.numpy:
        return [f"rebinds numpy: {what}"]
    if root in names.builtins:
        return [f"rebinds builtins: {what}"]
    if isinstance(owner, ast.Call) and _call_name(owner) == "vars" and owner.args:
        return _owner_flags(owner.args[0], names, what)
    return []


def _call_flags(node: ast.Call, names: _Names) -> list[str]:
    name = _call_name(node)
    flags: list[str] = []
    if name in ("setattr", "delattr") and node.args:
        what = f"{name}({_dotted(node.args[0])}, ...)"
        if _is_sys(node.args[0], names):
            flags.append(f"rebinds sys.modules: {what}")
        flags += _owner_flags(ast.Attribute(node.args[0], "x"), names, what)
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in SYS_MODULES_METHODS:
        if _is_sys_modules(func.value, names):
            flags.append(f"rebinds sys.modules: {_dotted(func)}(...)")
        elif isinstance(func.value, ast.Attribute) and func.value.attr == "__dict__":
            flags += _owner_flags(func.value, names, f"{_dotted(func)}(...)")
        elif isinstance(func.value, ast.Call) and _call_name(func.value) == "vars":
            flags += _owner_flags(func.value, names, f"{_dotted(func)}(...)")
        elif _root(func.value) == "__builtins__":
            flags.append(f"rebinds builtins: {_dotted(func)}(...)")
    flags += _dynamic_import_flags(node, name, names)
    return flags + _path_flags(node, name)


def _dynamic_import_flags(node: ast.Call, name: str, names: _Names) -> list[str]:
    func = node.func
    dynamic = name == "__import__" or name in names.importlib or (
        isinstance(func, ast.Attribute) and func.attr == "import_module"
        and _root(func) in names.importlib)
    if not dynamic or not node.args:
        return []
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
            and arg.value.split(".")[0] in GRADER_MODULES:
        return [f"imports the grader: {arg.value}"]
    return []


def _path_flags(node: ast.Call, name: str) -> list[str]:
    """Absolute or parent paths given to a call that opens or lists files."""
    args = list(node.args) + [k.value for k in node.keywords]
    flags = []
    for i, arg in enumerate(args):
        text = _string_head(arg)
        if text is None or text in HARMLESS_PATHS:
            continue
        if name in FILE_FUNCTIONS and i == 0:
            flagged = text.startswith(("/", "~")) or text == ".." or text.startswith("../")
        else:
            flagged = name not in DISPLAY_CALLS and not any(c.isspace() for c in text) \
                and OUTSIDE_ROOTS.match(text) is not None
        if flagged:
            flags.append(f"opens a path outside its folder: {text[:80]}")
    return flags


def _string_head(node: ast.AST) -> str | None:
    """A string constant, or the constant start of an f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0],
                                                                      ast.Constant):
        return str(node.values[0].value)
    return None


def _is_sys_modules(node: ast.AST, names: _Names) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names.modules
    return isinstance(node, ast.Attribute) and node.attr == "modules" and _is_sys(node.value,
                                                                                   names)


def _is_sys(node: ast.AST, names: _Names) -> bool:
    return isinstance(node, ast.Name) and node.id in names.sys


def _is_globals_builtins(target: ast.Subscript) -> bool:
    key = target.slice
    return (isinstance(target.value, ast.Call) and _call_name(target.value) in ("globals",
                                                                                "vars")
            and isinstance(key, ast.Constant) and key.value == "__builtins__")


def _root(node: ast.AST) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else (func.attr if isinstance(
        func, ast.Attribute) else "")


def _dotted(node: ast.AST) -> str:
    try:
        return ast.unparse(node)[:60]
    except (ValueError, RecursionError):
        return "(expression)"


# --- run time: what the worker saw -------------------------------------------------------

def runtime_flags(opened: Iterable[str]) -> list[str]:
    """Words for the paths the worker's audit hook saw opened outside its folders."""
    return [f"opened outside its folder at run time: {p[:120]}" for p in opened]


# --- everything ----------------------------------------------------------------------------

def static_flags(submission: Submission, assignment: Assignment) -> list[str]:
    """Source flags and locked-cell flags of a parsed submission."""
    flags = source_flags(submission.cells)
    submitted = _submitted_json(submission.path)
    if submitted:
        flags += locked_cell_flags(expected_locked(assignment), submitted)
    return flags


def _submitted_json(path: Path) -> dict[str, Any] | None:
    """The submission's raw nbformat 4 JSON (notebooks.load parsed it already), else None.

    nbformat 3 notebooks predate nbgrader's metadata, so they have no locked cells to compare.
    """
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    ok = isinstance(data, dict) and data.get("nbformat") == 4 and isinstance(data.get("cells"),
                                                                             list)
    return data if ok else None


def combine(*groups: Iterable[str]) -> tuple[str, ...]:
    """Unique flags in order, at most MAX_FLAGS, the count of the rest in a last flag."""
    seen: list[str] = []
    for group in groups:
        for flag in group:
            if flag not in seen:
                seen.append(flag)
    if len(seen) > MAX_FLAGS:
        return (*seen[: MAX_FLAGS - 1], f"and {len(seen) - MAX_FLAGS + 1} more flags")
    return tuple(seen)


def kind(flag: str) -> str:
    """The kind of a flag (the words before its first colon)."""
    return flag.split(":", 1)[0]
