"""Our hidden tests, run inside a student's kernel: the hidden test cells of the nbgrader side
of the benchmark.

nbgrader runs tests in the student's own interpreter, so here the `student` fixture calls the
notebook's functions directly (no sandbox, no wire format). Everything else is the grader's:
the same pytest files, fixtures, seed, inputs and checks (autograder.runner.run_checks). Each
hidden test cell of the nbgrader notebook calls `check(...)` for one graded function and fails
unless every check of that function passed (nbgrader scores a cell all or nothing).
"""
from __future__ import annotations

import contextlib
import copy
import inspect
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from autograder import course as course_mod
from autograder import runner
from autograder.proxy import (MissingFunction, Outcome, StudentError, StudentProxy,
                              WrongReturnType)
from autograder.records import CheckRecord

_RECORDS: dict[int, list[CheckRecord]] = {}
"""Check records of this kernel's notebook, computed by the first hidden test cell."""


class KernelStudent:
    """The `student` fixture of hidden tests run in the student's kernel, as nbgrader does."""

    def __init__(self, ns: dict[str, Any]) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: StudentProxy.value(self.run(name, *args, **kwargs), name)

    def run(self, fn: str, *args: Any, fp: bool = False, select: int | None = None,
            timeout: float | None = None, **kwargs: Any) -> Outcome:
        func = self._ns.get(fn)
        if not callable(func):
            return Outcome(False, failure=MissingFunction(f"function `{fn}` is not defined"))
        before = copy.deepcopy(args)
        strict = np.errstate(over="raise", invalid="raise", divide="raise", under="ignore")
        try:
            with strict if fp else contextlib.nullcontext():
                value = func(*args, **kwargs)
        except FloatingPointError as exc:
            return Outcome(False, fp_error=str(exc), failure=StudentError(f"{fn} raised"))
        except Exception as exc:  # noqa: BLE001 - a student's exception is a failed check
            return Outcome(False, failure=StudentError(f"{fn} raised {type(exc).__name__}"))
        mutated = tuple(i for i, (a, b) in enumerate(zip(args, before))
                        if isinstance(a, np.ndarray) and not np.array_equal(a, b, equal_nan=True))
        if select is not None:
            if not isinstance(value, (tuple, list)) or not -len(value) <= select < len(value):
                return Outcome(False, failure=WrongReturnType(f"{fn} did not return a tuple"))
            value = value[select]
        return Outcome(True, value=value, mutated=mutated)

    def map(self, fn: str, arglist: Sequence[Sequence[Any]], select: int | None = None,
            timeout: float | None = None) -> list[Outcome]:
        return [self.run(fn, *args, select=select) for args in arglist]

    def has(self, fn: str) -> bool:
        return callable(self._ns.get(fn))

    def sources(self) -> tuple[str, ...]:
        """The source of every function the kernel defines, as the cells the loop check
        reads (StudentProxy.sources on the trusted side)."""
        found = []
        for value in list(self._ns.values()):
            if inspect.isfunction(value) and value.__module__ == "__main__":
                try:
                    found.append(inspect.getsource(value))
                except (OSError, TypeError):
                    continue
        return tuple(found)


def check(course_yaml: str, assignment: str, function: str, ns: dict[str, Any],
          seed: int) -> None:
    """Fail (AssertionError) unless every hidden check of `function` passed."""
    if id(ns) not in _RECORDS:
        a = course_mod.load(Path(course_yaml)).assignment(assignment)
        _RECORDS[id(ns)] = runner.run_checks(a, KernelStudent(ns), seed)  # type: ignore[arg-type]
    failed = [r.name for r in _RECORDS[id(ns)] if r.function == function and r.status != "passed"]
    assert not failed, f"{function}: {len(failed)} check(s) failed"
