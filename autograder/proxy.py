"""Trusted side of student calls: the `student` fixture's proxy and the worker session.

A StudentSession owns one submission's worker: it runs the notebook's cells (skipping a cell
that hangs or kills the worker, so one bad cell costs only what depends on it), forwards calls
with a deadline, and starts a fresh worker after a timeout or crash. Failures of student code
reach hidden tests as StudentFailure exceptions whose messages are safe to show a student.
"""
from __future__ import annotations

import builtins
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from . import wire
from .errors import SandboxUnavailable
from .notebooks import Cell, Submission
from .records import CellOutcome
from .sandbox import Sandbox, WorkerDied, WorkerProcess, WorkerTimeout

MAX_STARTS = 12
"""Fresh workers one submission may use before its remaining calls fail without one."""
MAX_OPENED = 20
"""Paths opened outside the worker's folders kept per submission (integrity flags)."""
MAX_STRIKES = 3
"""Calls of one function that may hang or end the worker; later calls fail at once, so one
hanging function costs its own checks and a bounded time, never the other functions' checks."""
MALFORMED = "the worker sent a malformed reply"
DECODE_GRACE = 0.25
"""Seconds a reply may take to decode past its call's deadline (4096 arrays take ~0.2 s)."""
OUT_OF_TIME = ("not run: your notebook used up its time budget ({budget} for cells and calls "
               "together); points already earned are kept")


class StudentFailure(Exception):
    """Student code failed in a way a check should report; `message` is safe for students."""

    def __init__(self, message: str, detail: str = "", status: str = "failed",
                 full: str = "") -> None:
        super().__init__(message)
        self.message, self.detail, self.status = message, detail, status
        self.full = full or message
        """A fuller message for visible checks (may quote the student's exception text)."""


class MissingFunction(StudentFailure):
    """The notebook does not define the function."""


class StudentError(StudentFailure):
    """The student's function raised an exception."""


class StudentTimeout(StudentFailure):
    """The student's function did not return in time."""


class WorkerCrash(StudentFailure):
    """The worker process died during the call (os._exit, segfault, memory)."""


class WrongReturnType(StudentFailure):
    """The function returned something that is not plain data."""


@dataclass(frozen=True)
class Outcome:
    """Everything the worker reported about one call."""

    ok: bool
    """The function returned (no exception, no timeout, no crash)."""
    value: Any = None
    """The decoded return value (possibly a wire.WrongType)."""
    error: dict[str, str] = field(default_factory=dict)
    """type, message and where of an exception in student code."""
    fp_error: str = ""
    """The floating-point error a stability probe caught, e.g. "overflow encountered in exp"."""
    mutated: tuple[int, ...] = ()
    """Positions of arguments the call modified in place."""
    errstate_changed: bool = False
    """The function changed numpy's floating-point error settings during a probe."""
    seconds: float = 0.0
    """How long the call took (worker's own clock)."""
    failure: StudentFailure | None = None
    """Set when the call did not return: the exception a check should raise."""


class StudentSession:
    """One submission's worker: cells run once per worker, calls with deadlines."""

    def __init__(self, submission: Submission, sandbox: Sandbox, skip: frozenset[str],
                 functions: Sequence[str], call_timeout: float, notebook_timeout: float) -> None:
        self.submission, self.sandbox = submission, sandbox
        self.cells = [c for c in submission.cells if c.grade_id not in skip]
        self.functions = list(functions)
        self.call_timeout, self.notebook_timeout = call_timeout, notebook_timeout
        self.worker: WorkerProcess | None = None
        self.bad_cells: dict[int, CellOutcome] = {}
        self.outcomes: dict[int, CellOutcome] = {}
        self.defined: dict[str, str] = {}
        self.starts, self.cell_seconds = 0, 0.0
        self.gave_up = ""
        self.broken: SandboxUnavailable | None = None
        """Set when no worker could ever start here: every later call raises it at once."""
        self.strikes: dict[str, int] = {}
        self.struck: dict[str, StudentFailure] = {}
        self.opened: list[str] = []
        """Paths the worker's audit hook saw opened outside its folders (its claim, as data)."""
        self.visible = False
        """The check running now is visible."""
        self.seen_hidden = False
        """The current worker has served a call of a hidden check (it may remember inputs):
        from then on no text of the student's code (exception messages and type names) is
        put in a message a student can see."""
        self.budget = sandbox.limits.submission_timeout
        self.deadline = time.monotonic() + self.budget
        """One wall-clock budget for the submission: cells, calls and decoding replies."""
        sandbox.prestart()  # the worker imports numpy while pytest collects the hidden tests

    # --- worker lifecycle ------------------------------------------------------------------

    def close(self) -> None:
        if self.worker is not None:
            self.worker.kill()
            self.worker = None
        self.seen_hidden = False

    def begin_check(self, visible: bool) -> None:
        """A check starts (see seen_hidden)."""
        self.visible = visible

    def cell_report(self) -> tuple[CellOutcome, ...]:
        return tuple(self.bad_cells.get(c.index) or self.outcomes.get(c.index)
                     or CellOutcome(c.label, "skipped", "not run") for c in self.cells)

    def time_left(self) -> float:
        return self.deadline - time.monotonic()

    def out_of_time(self) -> StudentTimeout:
        return StudentTimeout(OUT_OF_TIME.format(budget=_secs(self.budget)), status="timeout")

    def _ensure_worker(self) -> WorkerProcess:
        while self.worker is None or not self.worker.alive:
            if self.broken is not None:
                raise self.broken
            if self.time_left() <= 0:
                raise self.out_of_time()
            if self.gave_up:
                raise WorkerCrash(self.gave_up, status="error")
            if self.starts >= MAX_STARTS or self.cell_seconds > 2 * self.notebook_timeout:
                self.gave_up = ("your notebook could not be run to the end: its cells took too "
                                "long or ended the process too often")
                continue
            self.starts += 1
            try:
                worker = self.sandbox.start()
            except (WorkerDied, WorkerTimeout) as exc:
                if not self.sandbox.ready:  # no student code has run: the machine's problem
                    self.broken = SandboxUnavailable.because(f"no sandboxed worker could start "
                                                             f"({exc})")
                    continue
                self.gave_up = f"the grader could not start a worker for your notebook ({exc})"
                continue
            if self._run_cells(worker):
                self.worker = worker
        return self.worker

    def _run_cells(self, worker: WorkerProcess) -> bool:
        """Run every runnable cell; on a hang or crash, mark the cell bad and return False."""
        for cell in self.cells:
            if cell.refused:
                self.bad_cells[cell.index] = CellOutcome(cell.label, "error", cell.refused)
            if cell.index in self.bad_cells:
                continue
            budget = min(max(0.5, self.notebook_timeout - self.cell_seconds), self.time_left())
            start = time.monotonic()
            try:
                reply, _ = _ask(worker, {"op": "exec", "label": cell.label,
                                         "source": cell.source, "want": self.functions},
                                [], max(budget, 0.01))
            except WorkerTimeout:  # the budget left varies from run to run; the limit does not
                if self.time_left() <= 0:
                    self._bad(cell, "timeout", f"{cell.label} was running when the notebook's "
                              f"time budget ({_secs(self.budget)}) ran out; later cells and "
                              "checks were not run")
                    return False
                self._bad(cell, "timeout", f"{cell.label} did not finish within the notebook's "
                          f"time limit ({_secs(self.notebook_timeout)}); it was skipped")
                return False
            except WorkerDied as exc:
                self._bad(cell, "crashed", f"{cell.label} ended the Python process "
                          f"({exc.status}); it was skipped")
                return False
            finally:
                self.cell_seconds += time.monotonic() - start
            self.defined = dict(reply.get("defined", {}))
            self._note_opened(reply)
            if cell.index not in self.outcomes:
                self.outcomes[cell.index] = _cell_outcome(cell, reply)
        return True

    def _bad(self, cell: Cell, status: str, message: str) -> None:
        self.bad_cells[cell.index] = CellOutcome(cell.label, status, message)
        self.close()

    # --- calls --------------------------------------------------------------------------

    def call(self, fn: str, args: Sequence[Any], kwargs: dict[str, Any] | None = None, *,
             fp: bool = False, select: int | None = None, timeout: float | None = None
             ) -> Outcome:
        """Call a student function in the worker; never raises for student failures."""
        blobs: list[bytes] = []
        header = {"op": "call", "fn": fn, "args": [wire.encode(a, blobs) for a in args],
                  "kwargs": {k: wire.encode(v, blobs) for k, v in (kwargs or {}).items()},
                  "fp": fp, "select": select}
        timeout = min(timeout or self.call_timeout, max(self.time_left(), 0.0))
        deadline = time.monotonic() + timeout
        reply, out = self._request(fn, header, blobs, timeout)
        if isinstance(reply, StudentFailure):
            return Outcome(False, failure=reply)
        return _outcome(fn, reply, out, _decode_by(deadline), timeout, self.seen_hidden)

    def map(self, fn: str, arglist: Sequence[Sequence[Any]], *, select: int | None = None,
            timeout: float | None = None) -> list[Outcome]:
        """Many calls of one function in one round trip (numerical gradient checks)."""
        blobs: list[bytes] = []
        header = {"op": "map", "fn": fn, "select": select,
                  "arglist": [[wire.encode(a, blobs) for a in args] for args in arglist]}
        budget = timeout or self.call_timeout * max(1.0, len(arglist) / 20)
        budget = min(budget, max(self.time_left(), 0.0))
        deadline = time.monotonic() + budget
        reply, out = self._request(fn, header, blobs, budget)
        if isinstance(reply, StudentFailure):
            return [Outcome(False, failure=reply)] * len(arglist)
        deadline = _decode_by(deadline)
        return [_outcome(fn, r, out, deadline, budget, self.seen_hidden)
                for r in reply.get("results", [])]

    def _request(self, fn: str, header: dict[str, Any], blobs: list[bytes], timeout: float
                 ) -> tuple[Any, list[bytes]]:
        try:
            worker = self._ensure_worker()
        except StudentFailure as exc:
            return exc, []
        if fn in self.functions and self.defined.get(fn) != "function":
            return self.missing(fn), []
        if fn in self.struck:
            return self.struck[fn], []
        if timeout <= 0:
            return self.out_of_time(), []
        self.seen_hidden = self.seen_hidden or not self.visible
        try:
            reply, out = _ask(worker, header, blobs, timeout, len(header.get("arglist", ())))
            self._note_opened(reply)
            return reply, out
        except WorkerTimeout:
            self.close()
            if self.time_left() <= 0:
                return self.out_of_time(), []
            return self._strike(fn, StudentTimeout(f"{fn} did not return within "
                                                   f"{_secs(timeout)}", status="timeout")), []
        except WorkerDied as exc:
            self.close()
            return self._strike(fn, WorkerCrash(f"{fn} ended the Python process "
                                                f"({exc.status})")), []

    def _strike(self, fn: str, failure: StudentFailure) -> StudentFailure:
        """Count a call that hung or ended the worker; after MAX_STRIKES, stop calling fn."""
        self.strikes[fn] = self.strikes.get(fn, 0) + 1
        if self.strikes[fn] >= MAX_STRIKES:
            self.struck[fn] = type(failure)(
                failure.message, status=failure.status,
                detail=f"not called again after {MAX_STRIKES} calls hung or ended the worker")
        return failure

    def _note_opened(self, reply: dict[str, Any]) -> None:
        opened = reply.get("opened")
        for path in opened[:MAX_OPENED] if isinstance(opened, list) else []:
            if isinstance(path, str) and path[:300] not in self.opened \
                    and len(self.opened) < MAX_OPENED:
                self.opened.append(path[:300])

    def missing(self, fn: str) -> MissingFunction:
        why = "" if fn not in self.defined else f" (the name `{fn}` is {self.defined[fn]})"
        broken = [o for o in self.cell_report() if o.status != "ok"]
        if broken and not why:
            why = f"; {broken[0].label} did not run cleanly: {broken[0].message}"
        return MissingFunction(f"function `{fn}` is not defined in your notebook{why}")


def _ask(worker: WorkerProcess, header: dict[str, Any], blobs: list[bytes], timeout: float,
         calls: int = 0) -> tuple[dict[str, Any], list[bytes]]:
    """One request; a reply that breaks the protocol ends the worker like a crash would."""
    reply, out = worker.request(header, blobs, timeout)
    if not _well_formed(reply, header["op"], calls):
        worker.kill()
        raise WorkerDied(MALFORMED)
    return reply, out


def _well_formed(reply: dict[str, Any], op: str, calls: int) -> bool:
    """The reply has the fields and types the protocol promises (student code could forge it)."""
    error = reply.get("error")
    if type(reply.get("ok")) is not bool or not (error is None or (isinstance(error, dict) and all(
            isinstance(v, str) for v in error.values()))):
        return False
    if op == "exec":
        defined = reply.get("defined", {})
        return isinstance(defined, dict) and all(v in ("function", "not callable")
                                                 for v in defined.values())
    if op == "map":
        results = reply.get("results")
        return isinstance(results, list) and len(results) == calls and all(
            isinstance(r, dict) and _well_formed(r, "call", 0) for r in results)
    mutated = reply.get("mutated", [])
    return (isinstance(mutated, list) and all(type(i) is int for i in mutated)
            and isinstance(reply.get("fp_error", ""), str)
            and type(reply.get("errstate_changed", False)) is bool
            and type(reply.get("seconds", 0.0)) in (int, float)
            and (not reply["ok"] or "value" in reply))


def printable(text: str, limit: int) -> str:
    """Student-controlled text made safe to show: control and escape characters are spelled
    out, so an exception message cannot rewrite the terminal or fake lines of a report."""
    text = text[:limit]
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def _cell_outcome(cell: Cell, reply: dict[str, Any]) -> CellOutcome:
    if reply.get("ok"):
        return CellOutcome(cell.label, "ok")
    err = reply.get("error") or {}
    where = f" at {err['where'].split(', ', 1)[-1]}" if err.get("where") else ""
    return CellOutcome(cell.label, "error", printable(
        f"{err.get('type', 'Error')[:100]}{where[:100]}: {err.get('message', '')[:300]}", 600))


def _outcome(fn: str, reply: dict[str, Any], blobs: list[bytes], deadline: float | None = None,
             timeout: float = 0.0, quiet: bool = False) -> Outcome:
    """The call's outcome; `quiet` (the worker has seen hidden inputs) keeps every text the
    student's code chose (exception messages, exception and class names) out of messages."""
    common = {"mutated": tuple(int(i) for i in reply.get("mutated", []) if type(i) is int),
              "errstate_changed": bool(reply.get("errstate_changed")),
              "seconds": float(reply.get("seconds", 0.0) or 0.0)}
    if not reply.get("ok"):
        err = {k: printable(str(v), 2000) for k, v in dict(reply.get("error") or {}).items()}
        if err.get("type") == "Missing":
            return Outcome(False, failure=MissingFunction(
                f"function `{fn}` is not defined in your notebook"), **common)
        where = f" ({err['where'][:100]})" if err.get("where") else ""
        kind = err.get("type", "an exception")[:100]
        safe = f"{fn} raised {_builtin_exception(kind) if quiet else kind}{where}"
        said = f": {err['message']}" if err.get("message") and not quiet else ""
        failure = StudentError(safe, detail=err.get("message", ""), full=f"{safe}{said}"[:600])
        fp_error = str(reply.get("fp_error") or "")[:200]
        return Outcome(False, error=err, failure=failure, **common,
                       fp_error=_numpy_fp_error(fp_error) if quiet and fp_error else fp_error)
    try:
        value = wire.decode(reply.get("value"), blobs, deadline=deadline)
    except wire.DecodeTimeout:  # reading the reply counts against the call's time
        return Outcome(False, failure=StudentTimeout(
            f"{fn} did not return within {_secs(timeout)} (reading what it returned took too "
            "long)", status="timeout"), **common)
    except wire.WireError as exc:
        value = wire.WrongType(f"data the grader could not read ({exc})")
    if quiet and isinstance(value, wire.WrongType):
        value = wire.WrongType("an object that is not plain data")
    return Outcome(True, value=value, **common)


_FP_ERROR = re.compile(r"(overflow|underflow|divide by zero|invalid value) encountered in \w+")


def _builtin_exception(name: str) -> str:
    """An exception's class name if it is one of Python's own, else a fixed phrase."""
    found = getattr(builtins, name, None)
    return name if isinstance(found, type) and issubclass(found, BaseException) \
        else "an exception"


def _numpy_fp_error(text: str) -> str:
    """numpy's own floating-point error message, or a fixed phrase for anything else."""
    return text if _FP_ERROR.fullmatch(text) else "a floating-point error"


def _decode_by(deadline: float) -> float:
    """When decoding a reply must be done: the call's deadline, but at least DECODE_GRACE
    from now (a reply that came just in time is still read; a costly one is not)."""
    return max(deadline, time.monotonic() + DECODE_GRACE)


def _secs(seconds: float) -> str:
    return f"{seconds:g} s"


class StudentProxy:
    """What hidden tests get as `student`: `student.softmax(x)` calls the submission.

    Attribute calls return the value or raise a StudentFailure; `run` and `map` return
    Outcomes for checks that look at more than the value (stability, mutation).
    """

    def __init__(self, session: StudentSession) -> None:
        self._session = session

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self.value(self.run(name, *args, **kwargs), name)

        call.__name__ = name
        return call

    def run(self, fn: str, *args: Any, fp: bool = False, select: int | None = None,
            timeout: float | None = None, **kwargs: Any) -> Outcome:
        return self._session.call(fn, args, kwargs, fp=fp, select=select, timeout=timeout)

    def map(self, fn: str, arglist: Sequence[Sequence[Any]], select: int | None = None,
            timeout: float | None = None) -> list[Outcome]:
        return self._session.map(fn, arglist, select=select, timeout=timeout)

    @staticmethod
    def value(outcome: Outcome, fn: str) -> Any:
        """The returned value, or the failure raised; WrongType becomes a failure too."""
        if outcome.failure is not None:
            raise outcome.failure
        if isinstance(outcome.value, wire.WrongType):
            raise WrongReturnType(f"{fn} returned {printable(outcome.value.description, 200)}, "
                                  "which is not plain data (a float, an int or a numpy array)")
        return outcome.value

    def begin_check(self, visible: bool) -> None:
        self._session.begin_check(visible)

    def has(self, fn: str) -> bool:
        try:
            self._session._ensure_worker()
        except StudentFailure:
            return False
        return fn in self._session.defined

    def sources(self) -> tuple[str, ...]:
        """The sources of the cells the worker runs, in order (static, trusted)."""
        return tuple(c.source for c in self._session.cells if not c.refused)
