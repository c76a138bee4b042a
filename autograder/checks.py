"""The numerical check library hidden tests use. Runs in the trusted process only.

Every failure is a CheckFailed whose `message` is safe for any student (it describes the size
of an error, never inputs or expected values), whose `full` message may add values for
visible checks, and whose `detail` is for the instructor. A `mistakes` catalog may turn a
failing output into a hint that names the mistake.

Families of checks: types and shapes, closeness with declared tolerances, single-call
outcomes (stability under np.errstate(raise), non-mutation), stability probes, the source's
structure (no loops), numerical gradients (centered differences, float64, one batched worker
call), agreement between two of the student's own functions, and training runs.
"""
from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from .notebooks import syntax_tree
from .proxy import Outcome, StudentFailure, StudentProxy
from .records import CheckRecord
from .wire import WrongType

RTOL, ATOL = 1e-7, 1e-10
"""The course's default tolerance for values compared with a float64 reference."""
Mistake = Callable[[np.ndarray, np.ndarray], "str | None"]
"""A catalog entry: (student's output, expected output) -> a hint if it matches, else None."""
Losses = Callable[[list[np.ndarray]], list[float]]
"""A batch of loss evaluations: perturbed points -> one loss per point."""


class CheckFailed(AssertionError):
    """A failed check, with messages written for students and details for instructors."""

    def __init__(self, message: str, *, full: str = "", detail: str = "", hint: str = "",
                 observed: str = "", tolerance: str = "", kind: str = "") -> None:
        super().__init__(message)
        self.message, self.full = message, full or message
        self.detail, self.hint, self.status = detail, hint, "failed"
        self.observed, self.tolerance, self.kind = observed, tolerance, kind
        """message: the hint level (no values, shapes or counts); full: the detail level;
        kind: "value" when the value itself is wrong (see charge_root_causes)."""


# --- types and shapes ----------------------------------------------------------------------


def as_float(value: Any, what: str) -> float:
    """A scalar result: Python float, numpy floating/integer scalar or 0-d array."""
    if isinstance(value, bool) or isinstance(value, WrongType):
        raise CheckFailed(f"{what} must be a float, not {_kind(value)}", kind="value")
    if isinstance(value, (float, int, np.floating, np.integer)):
        return float(value)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        return float(value)
    raise CheckFailed(f"{what} must be a float, not {_kind(value)}"
                      + (" (use a scalar, e.g. with .item() or float(...))"
                         if isinstance(value, (np.ndarray, list, tuple)) else ""),
                      kind="value")


def as_array(value: Any, what: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """An array result of numbers with the expected shape (scalars allowed only for shape ())."""
    if isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, bool):
        value = np.asarray(value)
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise CheckFailed(f"{what} must be a numpy array of numbers, not {_kind(value)}",
                          kind="value")
    if shape is not None and value.shape != tuple(shape):
        raise CheckFailed(f"{what} has the wrong shape", full=f"{what} has shape {value.shape}; "
                          f"it should have shape {tuple(shape)}", kind="value",
                          hint=_shape_hint(value.shape, tuple(shape)))
    return value.astype(np.float64)


def as_pair(value: Any, what: str) -> tuple[Any, Any]:
    """A (loss, gradient) pair."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise CheckFailed(f"{what} must return a pair (loss, gradient), not {_kind(value)}",
                          kind="value")
    return value[0], value[1]


def as_loss_grad(value: Any, what: str, shape: tuple[int, ...]) -> tuple[float, np.ndarray]:
    """A (loss, gradient) pair whose loss is a float and whose gradient has `shape`."""
    loss, grad = as_pair(value, what)
    return as_float(loss, f"the loss returned by {what}"), \
        as_array(grad, f"the gradient returned by {what}", shape)


# --- closeness -----------------------------------------------------------------------------


def assert_close(actual: Any, expected: Any, what: str, *, rtol: float = RTOL,
                 atol: float = ATOL, mistakes: Iterable[Mistake] = ()) -> None:
    """Compare in float64 with rtol/atol; the record keeps the observed error and tolerance."""
    mistakes = tuple(mistakes)
    exp = np.asarray(expected, dtype=np.float64)
    try:
        act = as_float(actual, what) if exp.ndim == 0 else as_array(actual, what, exp.shape)
    except CheckFailed as exc:  # a wrong shape may still be a cataloged mistake
        exc.hint = find_hint(_numbers(actual), exp, mistakes) or exc.hint
        raise
    act = np.asarray(act, dtype=np.float64)
    if np.allclose(act, exp, rtol=rtol, atol=atol, equal_nan=False) \
            and np.array_equal(np.isfinite(act), np.isfinite(exp)):
        return
    tolerance = f"rtol {rtol:.0e}, atol {atol:.0e}"
    observed = describe_error(act, exp, rtol, atol)
    raise CheckFailed(
        f"{what} is not correct",
        full=f"{what} is not correct: {observed}, allowed {tolerance}. "
             f"Expected {_show(exp)}, got {_show(act)}",
        detail=f"expected {_show(exp, 2000)}\ngot {_show(act, 2000)}",
        hint=find_hint(act, exp, mistakes), observed=observed, tolerance=tolerance, kind="value")


def assert_rel_error(actual: Any, expected: Any, what: str, threshold: float, *,
                     mistakes: Iterable[Mistake] = ()) -> float:
    """Compare with the course's relative error max |a - b| / max(1e-8, |a| + |b|)."""
    exp = np.asarray(expected, dtype=np.float64)
    act = np.asarray(as_float(actual, what) if exp.ndim == 0
                     else as_array(actual, what, exp.shape), dtype=np.float64)
    err = rel_error(act, exp) if np.all(np.isfinite(act)) else float("inf")
    if err <= threshold:
        return err
    observed = "the result contains nan or inf" if not np.isfinite(err) \
        else f"relative error {err:.1e}"
    raise CheckFailed(f"{what} is not correct", kind="value",
                      full=f"{what} is not correct: {observed}, allowed {threshold:.0e}. "
                           f"Expected {_show(exp)}, got {_show(act)}",
                      detail=f"expected {_show(exp, 2000)}\ngot {_show(act, 2000)}",
                      hint=find_hint(act, exp, mistakes), observed=observed,
                      tolerance=f"relative error {threshold:.0e}")


def describe_error(actual: np.ndarray, expected: np.ndarray, rtol: float = RTOL,
                   atol: float = ATOL) -> str:
    """"max relative error 3.1e-02" (or absolute, where the expected value is 0), or nan/inf."""
    if np.any(np.isnan(actual)):
        return "the result contains nan"
    if np.any(np.isinf(actual)) and not np.array_equal(np.isinf(actual), np.isinf(expected)):
        return "the result contains inf"
    with np.errstate(all="ignore"):
        diff = np.abs(actual - expected)
        scale = np.abs(expected)
        bad = ~(diff <= atol + rtol * scale)
        relative = bad & (scale > atol)
        if np.any(relative) or not np.any(bad):
            rel = diff[relative] / scale[relative] if np.any(relative) else diff / \
                np.maximum(scale, 1e-300)
            return f"max relative error {float(np.nanmax(rel)) if rel.size else 0.0:.1e}"
        return f"max absolute error {float(np.max(diff[bad])):.1e}"


def find_hint(actual: np.ndarray | None, expected: np.ndarray, mistakes: Iterable[Mistake]
              ) -> str:
    """The first cataloged mistake that explains the output."""
    if actual is None:
        return ""
    for mistake in mistakes:
        try:
            with np.errstate(all="ignore"):
                hint = mistake(np.asarray(actual, np.float64), np.asarray(expected, np.float64))
        except (ValueError, TypeError, IndexError, FloatingPointError):
            hint = None
        if hint:
            return hint
    return ""


def ratio_hint(factor: float, hint: str, rtol: float = 1e-6) -> Mistake:
    """A mistake that scales the answer by `factor` (sum instead of mean, 0.5 * reg, ...)."""
    def match(actual: np.ndarray, expected: np.ndarray) -> str | None:
        scaled = expected * factor
        if actual.shape == scaled.shape and np.any(scaled != 0) \
                and np.allclose(actual, scaled, rtol=rtol, atol=1e-12):
            return hint
        return None
    return match


def same_as(wrong: Any, hint: str, rtol: float = 1e-6, atol: float = 1e-9) -> Mistake:
    """A mistake whose output the catalog computed in advance (e.g. softmax over axis 0)."""
    try:
        with np.errstate(all="ignore"):
            target = np.asarray(wrong, dtype=np.float64)
    except (TypeError, ValueError):
        target = None

    def match(actual: np.ndarray, expected: np.ndarray) -> str | None:
        if target is None or actual.shape != target.shape:
            return None
        finite = np.isfinite(target)
        if np.array_equal(np.isnan(actual), np.isnan(target)) and \
                np.array_equal(np.isinf(actual), np.isinf(target)) and \
                np.allclose(actual[finite], target[finite], rtol=rtol, atol=atol) and \
                not (target.shape == expected.shape and
                     np.allclose(target, expected, rtol=1e-9, atol=1e-12, equal_nan=True)):
            return hint
        return None
    return match


def offset_hint(offset: Any, hint: str, rtol: float = 1e-6, atol: float = 1e-9) -> Mistake:
    """A mistake that adds `offset` to the answer (a missing or extra term, e.g. reg * w)."""
    delta = np.asarray(offset, dtype=np.float64)

    def match(actual: np.ndarray, expected: np.ndarray) -> str | None:
        shifted = expected + delta
        if actual.shape == shifted.shape and np.any(np.abs(delta) > atol) \
                and np.allclose(actual, shifted, rtol=rtol, atol=atol):
            return hint
        return None
    return match


def nonfinite_hint(hint: str) -> Mistake:
    """A mistake whose output holds nan or inf where the right answer is finite."""
    def match(actual: np.ndarray, expected: np.ndarray) -> str | None:
        return hint if not np.all(np.isfinite(actual)) and np.all(np.isfinite(expected)) \
            else None
    return match


# --- outcomes of single calls --------------------------------------------------------------

FP_HINTS = {
    "overflow encountered":
        "a value overflowed (exp of a large number): shift by the maximum before "
        "exponentiating (exp(x - max(x))), or use np.logaddexp / a log-sum-exp",
    "divide by zero":
        "a log of 0 (or a division by 0) happened: a probability underflowed to 0; stay in log "
        "space (log-softmax, log-sum-exp, softplus) instead of taking its log",
    "invalid value":
        "an invalid operation (0/0, inf - inf or 0 * inf) happened, usually after an overflow "
        "or an underflow: shift each row by its own maximum (axis=-1, keepdims=True), not by "
        "one maximum of the whole array, or stay in log space",
}
"""Hints for the floating-point errors a stability probe reports, by numpy's wording."""


MUTATION_HINT = ("an in-place operation (-=, /=, x[...] = ..., np.exp(x, out=x)) changed the "
                 "caller's array")
LOOP_HINT = ("replace the loop by array operations: fancy indexing x[np.arange(N), y], "
             "broadcasting, masks and matrix products")


def value_of(outcome: Outcome, fn: str) -> Any:
    return StudentProxy.value(outcome, fn)


def assert_stable(outcome: Outcome, what: str, *, fn: str | None = None, hint: str = "") -> Any:
    """The call ran under np.errstate(raise) without a floating-point error; returns value.

    A function that returns the right value only after an overflow warning fails here.
    """
    if outcome.fp_error:
        kind = next((k for k in FP_HINTS if k in outcome.fp_error), "")
        raise CheckFailed(
            f"{what} is not numerically stable: numpy reported '{outcome.fp_error}'. The "
            "right value after an overflow (or other floating-point) warning does not count: "
            "rewrite the computation so that nothing overflows, divides by 0 or takes log(0).",
            hint=hint or FP_HINTS.get(kind, FP_HINTS["overflow encountered"]),
            observed=f"floating-point error: {outcome.fp_error}",
            tolerance="no overflow, invalid or divide warning")
    if outcome.errstate_changed:
        raise CheckFailed(f"{what} changed numpy's floating-point error settings "
                          "(np.seterr) instead of avoiding the overflow")
    return value_of(outcome, fn or what.split("(")[0].strip())


def assert_not_mutated(outcome: Outcome, what: str, names: Sequence[str]) -> None:
    """No argument was modified in place."""
    if outcome.mutated:
        which = ", ".join(names[i] if i < len(names) else f"argument {i + 1}"
                          for i in outcome.mutated)
        raise CheckFailed(f"{what} modified its input in place ({which}); work on a copy "
                          "instead (e.g. x = x.copy() or x - x.max(...) creates a new array)",
                          hint=MUTATION_HINT)



def assert_unchanged(student: StudentProxy, fn: str, args: Sequence[Any], names: Sequence[str],
                     expected: Callable[..., Any]) -> None:
    """The call leaves its inputs unchanged *and* returns the right value.

    A wrong function earns nothing here: checking the inputs alone would reward a function
    that returns anything at all (or an object whose __eq__ is always true).
    """
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    out = student.run(fn, *args)
    value = value_of(out, fn)
    assert_not_mutated(out, fn, names)
    want = expected(*copies)
    if isinstance(want, tuple):
        got = value if isinstance(value, (tuple, list)) and len(value) == len(want) else None
        if got is None:
            raise CheckFailed(f"{fn} must return {len(want)} values, not {_kind(value)}",
                              kind="value")
        for i, (g, w) in enumerate(zip(got, want)):
            assert_close(g, w, f"value {i + 1} returned by {fn}")
    else:
        assert_close(value, want, f"{fn}(...)")

# --- stability probes ----------------------------------------------------------------------

PROBES = {"magnitude": "logits of magnitude 1e3",
          "mixed": "logits of magnitude 1e3 with mixed signs",
          "equal": "all-equal logits"}
"""The three stability probes and how a message names them (never their values)."""
PROBE_MAGNITUDE = 1000.0


def stability_probes(rng: np.random.Generator, shape: tuple[int, ...]
                     ) -> dict[str, np.ndarray]:
    """Logits of the given shape for each probe, float64, magnitudes in [990, 1000].

    magnitude: each row (first axis) has one sign, alternating +, -, ... (1-D: all +);
    mixed: both signs within every row of the last axis; equal: every row constant
    (cycling -1e3, 1e3, 0 and a random value; 1-D: all -1e3, so exp underflows to 0).
    """
    shape = tuple(shape)
    size = PROBE_MAGNITUDE - rng.uniform(0.0, 10.0, size=shape)
    rows = np.arange(shape[0]).reshape((-1,) + (1,) * (len(shape) - 1)) if shape else 0
    row_sign = np.where(rows % 2 == 0, 1.0, -1.0) if len(shape) >= 2 else 1.0
    mixed_sign = rng.choice([-1.0, 1.0], size=shape)
    if shape and shape[-1] >= 2:
        mixed_sign[..., 0], mixed_sign[..., 1] = 1.0, -1.0
        mixed_sign = rng.permuted(mixed_sign, axis=-1)
    if len(shape) >= 2:
        cycle = np.array([-PROBE_MAGNITUDE, PROBE_MAGNITUDE, 0.0, rng.normal(0.0, 3.0)])
        equal = np.broadcast_to(cycle[np.arange(shape[0]) % 4].reshape(rows.shape),
                                shape).copy()
    else:
        equal = np.full(shape, -PROBE_MAGNITUDE)
    return {"magnitude": row_sign * size, "mixed": mixed_sign * size, "equal": equal}


def assert_stable_probes(student: StudentProxy, fn: str, args_for: Callable[[np.ndarray], tuple],
                         expected_for: Callable[..., Any], what: str, *,
                         rng: np.random.Generator, shape: tuple[int, ...],
                         mistakes_for: Callable[..., Iterable[Mistake]] | None = None,
                         probes: Iterable[str] = tuple(PROBES), rtol: float = RTOL,
                         atol: float = ATOL, hint: str = "",
                         compare: Callable[..., None] | None = None) -> None:
    """Run fn on each probe under np.errstate(raise): no floating-point error, exact value.

    args_for(logits) builds the call's arguments; expected_for(*args) is the trusted answer;
    mistakes_for(*args) the catalog for that call; compare(value, expected, what, mistakes)
    replaces assert_close for results that are not one array (e.g. a (loss, gradient) pair).
    """
    inputs = stability_probes(rng, shape)
    for name in probes:
        args = args_for(inputs[name])
        label = f"{what} at {PROBES[name]}"
        value = assert_stable(student.run(fn, *args, fp=True), label, fn=fn, hint=hint)
        catalog = tuple(mistakes_for(*args)) if mistakes_for else ()
        if compare is not None:
            compare(value, expected_for(*args), label, catalog)
        else:
            assert_close(value, expected_for(*args), label, rtol=rtol, atol=atol,
                         mistakes=catalog)


# --- structure of the source -----------------------------------------------------------------

LOOP_CALLS = {"vectorize", "apply_along_axis", "map", "frompyfunc"}


def assert_no_loops(source: str | Sequence[str] | None, fn: str) -> None:
    """The function that runs as `fn`, and every function of the notebook it calls, has no
    Python-level loop (checked on the trusted side, on the cells' sources in order).

    `source` is the notebook's runnable cells (StudentProxy.sources()), or one source. The
    binding of `fn` after the last cell is followed through plain aliases (`fn = helper`);
    anything the grader cannot follow (an assignment of another value, an import, a
    decorator, a def inside if/for/try/with, `global fn`) earns nothing here.
    """
    cells = [source] if isinstance(source, str) else list(source or ())
    defs = _bindings(cells)
    if defs.get(fn, _UNBOUND) is _UNBOUND:
        raise CheckFailed(f"the source of `{fn}` was not found as a top-level `def {fn}` "
                          "in your notebook")
    queue, seen = [fn], {fn}
    while queue:
        name = queue.pop(0)
        node = defs[name]
        if node is None:
            raise CheckFailed(_UNFOLLOWED.format(name=name, fn=fn))
        _assert_loop_free(node, name, fn)
        for called in _called_names(node):
            if called in defs and called not in seen:
                seen.add(called)
                queue.append(called)


_UNBOUND = object()
_UNFOLLOWED = ("`{name}` (which `{fn}` is or calls) is not bound by a plain top-level `def`: it "
               "is assigned, imported, decorated or defined under if/for/try/with, so the "
               "grader cannot check that it has no loops; define it with a top-level `def`")


def _assert_loop_free(node: ast.AST, name: str, fn: str) -> None:
    for inner in ast.walk(node):
        found = _loop_name(inner)
        if found:
            line = getattr(inner, "lineno", 0) - getattr(node, "lineno", 1) + 1
            if name == fn:
                raise CheckFailed(f"`{fn}` must be vectorized but uses {found} (line {line} of "
                                  "its definition)", hint=LOOP_HINT)
            raise CheckFailed(f"`{fn}` must be vectorized but calls `{name}`, which uses {found} "
                              f"(line {line} of that definition)", hint=LOOP_HINT)


def _called_names(node: ast.AST) -> list[str]:
    return [n.func.id for n in ast.walk(node)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]


def _bindings(cells: Sequence[str]) -> dict[str, ast.AST | None]:
    """What each top-level name is bound to after the last cell: its `def` node, or None
    when the binding cannot be followed statically."""
    defs: dict[str, ast.AST | None] = {}
    unfollowed: set[str] = set()
    for source in cells:
        tree = syntax_tree(source)
        for stmt in tree.body if tree is not None else ():
            _bind(stmt, defs)
            unfollowed |= {g for n in ast.walk(stmt) if isinstance(n, ast.Global)
                           for g in n.names}
    return {k: (None if k in unfollowed else v) for k, v in defs.items()}


def _bind(stmt: ast.stmt, defs: dict[str, ast.AST | None]) -> None:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        defs[stmt.name] = None if stmt.decorator_list else stmt
    elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Name) \
            and all(isinstance(t, ast.Name) for t in stmt.targets):
        for t in stmt.targets:
            defs[t.id] = defs.get(stmt.value.id)  # an alias of another function, or None
    elif isinstance(stmt, ast.Delete):
        for t in stmt.targets:
            if isinstance(t, ast.Name):
                defs.pop(t.id, None)
    else:  # any other statement that binds a name makes it unfollowable
        for name in _bound_names(stmt):
            defs[name] = None


def _bound_names(stmt: ast.stmt) -> set[str]:
    names: set[str] = set()
    for n in ast.walk(stmt):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            names.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in n.names}
        elif isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Store) \
                and isinstance(n.slice, ast.Constant) and isinstance(n.slice.value, str):
            names.add(n.slice.value)  # globals()["fn"] = ...
    return names


def _loop_name(node: ast.AST) -> str:
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return "a `for` loop"
    if isinstance(node, ast.While):
        return "a `while` loop"
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return "a comprehension"
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in LOOP_CALLS:
            return f"`{name}`"
    return ""


# --- gradients -------------------------------------------------------------------------------


def numerical_gradient(losses: Losses, x: np.ndarray, h: float = 1e-5,
                       coords: Sequence[tuple[int, ...]] | None = None
                       ) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """Centered differences in float64, all perturbed points evaluated in one batch.

    Returns (gradient estimate at coords, coords); coordinates not listed stay 0.
    """
    x = np.array(x, dtype=np.float64)  # float64 only: float32 differences are noise
    coords = list(coords) if coords is not None else list(np.ndindex(x.shape))
    points = []
    for c in coords:
        for sign in (+1.0, -1.0):
            p = x.copy()
            p[c] += sign * h
            points.append(p)
    values = losses(points)
    if len(values) != len(points):
        raise CheckFailed(f"the grader asked for {len(points)} loss values and got "
                          f"{len(values)}")
    grad = np.zeros_like(x)
    for k, c in enumerate(coords):
        grad[c] = (values[2 * k] - values[2 * k + 1]) / (2 * h)
    return grad, coords


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(1e-8, |a| + |b|), the course's relative error."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def sample_coords(shape: tuple[int, ...], count: int, rng: np.random.Generator,
                  skip: np.ndarray | None = None) -> list[tuple[int, ...]]:
    """Up to `count` distinct coordinates drawn at random, none of them marked in `skip`."""
    allowed = np.ones(shape, bool) if skip is None else ~np.asarray(skip, bool)
    flat = np.flatnonzero(allowed)
    if flat.size == 0:
        raise ValueError("every coordinate is marked to skip: choose another fixture")
    chosen = rng.choice(flat, size=min(count, flat.size), replace=False)
    return [tuple(int(i) for i in np.unravel_index(k, shape)) for k in np.sort(chosen)]


def near_l1_kink(W: np.ndarray, eps: float = 1e-4) -> np.ndarray:
    """Coordinates of W within eps of the L1 kink at 0."""
    return np.abs(np.asarray(W, np.float64)) < eps


def near_hinge_kink(W: np.ndarray, X: np.ndarray, y: np.ndarray, delta: float = 1.0,
                    eps: float = 1e-4) -> np.ndarray:
    """Coordinates (d, c) of W whose change by eps can move a multiclass-SVM margin across 0.

    W[d, c] moves the scores of class c by X[:, d] per unit: the margins s_c - s_{y_i} + delta
    of rows with y_i != c, and every margin of rows with y_i = c.
    """
    W, X, y = np.asarray(W, np.float64), np.asarray(X, np.float64), np.asarray(y)
    n = X.shape[0]
    scores = X @ W
    margins = scores - scores[np.arange(n), y][:, None] + delta
    own = np.zeros_like(margins, dtype=bool)
    own[np.arange(n), y] = True
    close = np.abs(margins) <= eps * np.abs(X).max(axis=1, keepdims=True) + 1e-12
    close &= ~own
    # row i touches column c through margin (i, c), and every column through its own label y_i
    touches = close | (close.any(axis=1, keepdims=True) & own)
    return (np.abs(X).T > 0).astype(float) @ touches.astype(float) > 0


def trusted_losses(f: Callable[[np.ndarray], float]) -> Losses:
    """A batch of losses from a trusted (reference) function, evaluated here."""
    return lambda points: [float(f(p)) for p in points]


def student_losses(student: StudentProxy, fn: str, args: Sequence[Any], wrt: int,
                   select: int | None = None) -> Losses:
    """A batch of the student's own losses with argument `wrt` replaced: one worker call."""
    args = [_float64(a) for a in args]

    def losses(points: list[np.ndarray]) -> list[float]:
        arglist = [[*args[:wrt], p, *args[wrt + 1:]] for p in points]
        return [as_float(value_of(o, fn), f"the loss of {fn}")
                for o in student.map(fn, arglist, select=select)]
    return losses


GRAD_SIGN = "the gradient has the wrong sign: it points uphill (check p - y against y - p)"
GRAD_NOT_MEAN = ("the gradient is too large by a factor of the number of examples: did you "
                 "forget to divide by N (the loss is a mean)?")
GRAD_TWICE = ("the gradient is too small by a factor of the number of examples: did you divide "
              "by N twice?")
GRAD_SIGN_NOT_MEAN = ("the gradient has the wrong sign and is too large by a factor of the "
                      "number of examples (no division by N)")
GRAD_HALF = "the gradient is half what it should be: a factor 2 is missing"
GRAD_DOUBLE = "the gradient is twice what it should be: an extra factor 2"


def gradient_mistakes(n: int | None = None) -> tuple[Mistake, ...]:
    """Hints for a gradient that is off by its sign, by 1/N (n examples) or by a factor 2."""
    found: list[Mistake] = [ratio_hint(-1.0, GRAD_SIGN)]
    if n is not None and n > 1:
        found += [ratio_hint(float(n), GRAD_NOT_MEAN), ratio_hint(1.0 / n, GRAD_TWICE),
                  ratio_hint(-float(n), GRAD_SIGN_NOT_MEAN)]
    found += [ratio_hint(0.5, GRAD_HALF), ratio_hint(2.0, GRAD_DOUBLE)]
    return tuple(found)


GRADIENT_MISTAKES: tuple[Mistake, ...] = gradient_mistakes()


def assert_gradient_matches(analytic: Any, x: np.ndarray, losses: Losses, what: str, *,
                            h: float = 1e-5, threshold: float = 1e-7,
                            coords: Sequence[tuple[int, ...]] | None = None,
                            skip: np.ndarray | None = None,
                            mistakes: Iterable[Mistake] = GRADIENT_MISTAKES) -> float:
    """An analytic gradient against centered differences of `losses` at x (float64).

    coords: the coordinates to check (default: all, i.e. a full check on a small fixture);
    skip: a mask of coordinates never to check (within a small distance of a kink).
    """
    x = np.asarray(x, dtype=np.float64)
    grad = as_array(analytic, what, x.shape)
    if coords is None:
        coords = [c for c in np.ndindex(x.shape) if skip is None or not skip[c]]
    elif skip is not None:
        coords = [c for c in coords if not skip[c]]
    if not coords:
        raise ValueError("no coordinate left to check: choose another fixture")
    numeric, used = numerical_gradient(losses, x, h, coords)
    mask = np.zeros(x.shape, bool)
    for c in used:
        mask[c] = True
    err = rel_error(grad[mask], numeric[mask]) if np.all(np.isfinite(grad[mask])) \
        else float("inf")
    if err > threshold:
        observed = f"relative error {err:.1e}" if np.isfinite(err) \
            else "the gradient contains nan or inf"
        raise CheckFailed(f"{what} does not match a numerical gradient",
                          full=f"{what} does not match a numerical gradient: {observed}, "
                               f"allowed {threshold:.0e}",
                          observed=observed, tolerance=f"relative error {threshold:.0e}",
                          detail=f"checked {len(used)} coordinates\n"
                                 f"analytic {_show(grad[mask], 500)}\n"
                                 f"numeric {_show(numeric[mask], 500)}",
                          hint=find_hint(grad[mask], numeric[mask], mistakes), kind="value")
    return err


def assert_gradient(student: StudentProxy, fn: str, args: Sequence[Any], wrt: int,
                    analytic: Any, *, reference: Callable[..., Any], select: int | None = None,
                    h: float = 1e-5, threshold: float = 1e-7,
                    coords: Sequence[tuple[int, ...]] | None = None,
                    skip: np.ndarray | None = None, what: str = "",
                    mistakes: Iterable[Mistake] = GRADIENT_MISTAKES) -> float:
    """Check a student's analytic gradient against centered differences of their own loss.

    The loss values come from the worker in one batched call; each is verified against
    `reference` (the trusted function of the same signature) at the same point, so a loss
    that answers the probes with values made up to fit its own gradient earns nothing. The
    differences, the error and the verdict are computed here.
    """
    what = what or f"the gradient returned by {fn}"
    losses = verified_losses(student_losses(student, fn, args, wrt, select),
                             reference_losses(reference, args, wrt, select), fn)
    return assert_gradient_matches(analytic, args[wrt], losses, what, h=h,
                                   threshold=threshold, coords=coords, skip=skip,
                                   mistakes=mistakes)


PROBE_RTOL, PROBE_ATOL = 1e-9, 1e-12
"""How closely a student's loss must match the reference at the points a gradient check
probes: far tighter than the h * |gradient| a made-up value would be off by."""


def reference_losses(reference: Callable[..., Any], args: Sequence[Any], wrt: int,
                     select: int | None = None) -> Losses:
    """The reference's losses with argument `wrt` replaced, evaluated here."""
    args = [_float64(a) for a in args]

    def losses(points: list[np.ndarray]) -> list[float]:
        out = [reference(*args[:wrt], p, *args[wrt + 1:]) for p in points]
        return [float(v if select is None else v[select]) for v in out]
    return losses


def verified_losses(student: Losses, reference: Losses, fn: str) -> Losses:
    """The student's losses, refused unless each matches the reference's at its point."""
    def losses(points: list[np.ndarray]) -> list[float]:
        got, want = student(points), reference(points)
        bad = [i for i, (g, w) in enumerate(zip(got, want))
               if not abs(g - w) <= PROBE_ATOL + PROBE_RTOL * abs(w)]
        if bad:
            i = bad[0]
            raise CheckFailed(
                f"the loss of {fn} is not correct at the points a numerical gradient check "
                f"evaluates (near the point it was given), so its gradient cannot be checked "
                f"against it ({len(bad)} of {len(points)} points)",
                observed=f"{len(bad)} of {len(points)} loss values differ from the right ones",
                tolerance=f"relative {PROBE_RTOL:.0e}",
                detail=f"first at probe {i}: loss {got[i]!r} where {want[i]!r} is right")
        return got
    return losses


# --- agreement between two of the student's functions --------------------------------------

AGREE_LOSS_ATOL, AGREE_GRAD_FRO = 1e-9, 1e-6
"""Naive against vectorized: loss absolute difference, gradient Frobenius norm of the difference."""


def assert_agree(first: Any, second: Any, names: tuple[str, str], shape: tuple[int, ...], *,
                 loss_atol: float = AGREE_LOSS_ATOL, grad_fro: float = AGREE_GRAD_FRO,
                 expected: tuple[float, np.ndarray] | None = None) -> None:
    """Two (loss, gradient) results of the student's own functions agree with each other.

    The check belongs to the second function: with `expected` (the reference result), a
    second function that is right passes even if the first is wrong, so one wrong function
    never costs another one's points.
    """
    a, b = names
    loss_a, grad_a = as_loss_grad(first, a, shape)
    loss_b, grad_b = as_loss_grad(second, b, shape)
    if expected is not None and abs(loss_b - expected[0]) <= loss_atol and \
            float(np.linalg.norm(grad_b - np.asarray(expected[1]))) <= grad_fro:
        return
    diff = abs(loss_a - loss_b) if np.isfinite(loss_a) and np.isfinite(loss_b) else float("inf")
    if not diff <= loss_atol:
        observed = f"loss difference {diff:.1e}"
        raise CheckFailed(f"{a} and {b} disagree on the loss", full=f"{a} and {b} "
                          f"disagree on the loss: {observed}, allowed "
                          f"{loss_atol:.0e}", observed=observed,
                          tolerance=f"absolute {loss_atol:.0e}",
                          hint=find_hint(np.asarray(loss_b), np.asarray(loss_a),
                                         _agree_mistakes(a, b)),
                          kind="value" if expected is not None else "")
    with np.errstate(all="ignore"):
        fro = float(np.linalg.norm(grad_a - grad_b))
    if not fro <= grad_fro:
        observed = f"gradient difference (Frobenius norm) {fro:.1e}"
        raise CheckFailed(f"{a} and {b} disagree on the gradient", full=f"{a} and {b} "
                          f"disagree on the gradient: {observed}, allowed "
                          f"{grad_fro:.0e}", observed=observed,
                          tolerance=f"Frobenius norm {grad_fro:.0e}",
                          hint=find_hint(grad_b, grad_a, _agree_mistakes(a, b)),
                          kind="value" if expected is not None else "")


def _agree_mistakes(a: str, b: str) -> tuple[Mistake, ...]:
    return (ratio_hint(-1.0, f"{b} gives the negative of {a}: one of them has a sign error"),
            ratio_hint(2.0, f"{b} gives twice what {a} gives: a factor 2 differs"),
            ratio_hint(0.5, f"{b} gives half what {a} gives: a factor 2 differs"))


# --- training runs ---------------------------------------------------------------------------


def as_training(value: Any, what: str, shape: tuple[int, ...], num_iters: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """(W, loss_history): W of `shape`, a history of num_iters finite floats."""
    W, history = as_pair(value, what)
    W = as_array(W, f"the weights returned by {what}", shape)
    if isinstance(history, (list, tuple)) and all(
            isinstance(v, (float, int, np.floating, np.integer)) and not isinstance(v, bool)
            for v in history):
        history = np.asarray(history, dtype=np.float64)
    hist = as_array(history, f"the loss history returned by {what}", (num_iters,))
    return W, hist


def accuracy(W: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of rows of X whose highest score X @ W is at the label (computed here)."""
    return float(np.mean(np.argmax(np.asarray(X) @ np.asarray(W), axis=1) == np.asarray(y)))


def assert_accuracy(W: Any, X: np.ndarray, y: np.ndarray, threshold: float, what: str) -> float:
    """The weights classify the validation data at least `threshold` right."""
    W = as_array(W, what, (np.asarray(X).shape[1], int(np.max(y)) + 1))
    if not np.all(np.isfinite(W)):
        raise CheckFailed(f"{what}: the weights contain nan or inf",
                          hint="the learning rate, the loss or its gradient blew up")
    acc = accuracy(W, X, y)
    if acc < threshold:
        raise CheckFailed(f"{what}: validation accuracy {acc:.3f}, required {threshold:.2f}",
                          observed=f"accuracy {acc:.3f}", tolerance=f"at least {threshold:.2f}")
    return acc


def assert_within_time(outcome: Outcome, budget: float, what: str) -> float:
    """The call finished within `budget` seconds of the worker's own clock."""
    seconds = outcome.seconds
    if outcome.ok and seconds > budget:
        raise CheckFailed(f"{what} took {seconds:.2f} s, more than the {budget:g} s allowed",
                          observed=f"{seconds:.2f} s", tolerance=f"{budget:g} s",
                          hint="vectorize the loss (no Python loops over examples)")
    return seconds


def assert_reg_shrinks(W_small_reg: Any, W_large_reg: Any, what: str) -> None:
    """Training with a larger reg gives weights with a smaller Frobenius norm."""
    small = float(np.linalg.norm(as_array(W_small_reg, what)))
    large = float(np.linalg.norm(as_array(W_large_reg, what)))
    if not large < small:
        raise CheckFailed(f"{what}: a larger reg did not give smaller weights",
                          hint="pass reg to loss_fn on every step (the penalty shrinks W)",
                          observed=f"norms {small:.3g} (small reg) and {large:.3g} (large reg)")


def assert_same_weights(first: Any, second: Any, what: str) -> None:
    """Two runs with the same seed give the same weights, bit for bit."""
    a, b = as_array(first, what), as_array(second, what, np.shape(first))
    if not np.array_equal(a, b):
        raise CheckFailed(f"{what}: the same seed gave different weights",
                          hint="draw every random number from np.random.default_rng(seed) "
                               "(not np.random.* or an unseeded generator)")


# --- one root cause, one charge --------------------------------------------------------------

PROPERTY_TEST = re.compile(
    r"_(not_mutated|no_loops|\w*dtypes|labels|edges|edge_cases|stable|numerical\w*|kink|"
    r"agrees\w*|1d|shapes|extreme|reg_zero|zeros|onehot|real_data|zero_subgradient|sigma|"
    r"scale|beta|soft|recipe\w*|history|seed)$")
"""Tests named like this check a property other than the value (inputs unchanged, no loops,
dtypes, edge cases, stability, gradient consistency ...): test_<function>_<property>."""


def is_property_check(check_id: str) -> bool:
    """The check tests a property other than its function's value (by its test's name)."""
    name = check_id.rsplit("::", 1)[-1].split("[", 1)[0]
    return bool(PROPERTY_TEST.search(name))


def charge_root_causes(records: Sequence[CheckRecord]) -> list[CheckRecord]:
    """A property check that failed only because the value is wrong points at the value check.

    It still earns nothing, but says "not awarded: the value is wrong (see <check>)" instead
    of failing under its own name; a property that fails itself (a loop, a mutation, an
    overflow) keeps its own message.
    """
    charged: dict[str, str] = {}
    for r in records:
        if r.status == "failed" and r.kind == "value" and not is_property_check(r.id):
            charged.setdefault(r.function, r.name)
    return [replace(r, charged_to=charged[r.function])
            if r.status == "failed" and r.kind == "value" and r.function in charged
            and is_property_check(r.id) else r for r in records]


# --- helpers -------------------------------------------------------------------------------


def _float64(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(np.float64)
    return value


def _numbers(value: Any) -> np.ndarray | None:
    """A wrongly shaped or typed result as a float array, if it is numbers at all."""
    if isinstance(value, (np.ndarray, float, int, np.floating, np.integer)) \
            and not isinstance(value, bool) and np.asarray(value).dtype.kind in "biuf":
        return np.asarray(value, dtype=np.float64)
    return None


def _kind(value: Any) -> str:
    if isinstance(value, WrongType):
        return value.description
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def _shape_hint(got: tuple[int, ...], want: tuple[int, ...]) -> str:
    if got == want[::-1] and got != want:
        return "the result is transposed"
    if got == want + (1,):
        return "an extra axis of length 1 is left (keepdims=True): remove it"
    if len(got) == len(want) - 1 or (len(want) >= 1 and got == want[:-1]):
        return "a dimension was reduced away: check the axis and keepdims"
    return ""


def _show(arr: np.ndarray, limit: int = 300) -> str:
    text = np.array2string(np.asarray(arr), precision=8, threshold=50)
    return text if len(text) <= limit else text[:limit] + "..."


# --- hints that measure: the coefficients a loss actually uses --------------------------------

MEASURED_REGS = (0.0, 0.5, 1.0)
"""The values of reg a measured hint evaluates the student's (loss, gradient) at."""
LOSS_TERMS = {1.0: "reg·ΣW²", 0.5: "0.5·reg·ΣW²", 0.0: "no regularization term",
              2.0: "2·reg·ΣW²"}
GRAD_TERMS = {2.0: "2·reg·W", 1.0: "reg·W", 0.0: "no regularization term", 4.0: "4·reg·W"}
REG_USE = ("your loss uses {loss}, your gradient {gradient}; this course uses reg·ΣW² and "
           "2·reg·W")
REG_BEFORE_MEAN = ("the regularization term is divided by N: add it after averaging the data "
                   "loss over the examples, not before")
DATA_SUM = ("the data term is too large by a factor of the number of examples: take the mean "
            "over the examples, not the sum")
DATA_TWICE = "the data term is divided by the number of examples twice"
REG_WITHOUT_REG = "your loss adds ΣW² without multiplying it by reg: use reg·ΣW²"


def _term(coef: float, names: dict[float, str], unit: str) -> str:
    for value, name in names.items():
        if abs(coef - value) <= 1e-6 * max(1.0, abs(value)):
            return name
    return f"{coef:.3g}·{unit}"


def measure_reg(pairs: Sequence[tuple[float, np.ndarray]], regs: Sequence[float],
                W: np.ndarray) -> tuple[float, float, float, np.ndarray]:
    """Fit loss(reg) = a + b·reg·ΣW² and grad(reg) = G + k·reg·W from (loss, grad) at regs.

    Returns (data loss a, loss coefficient b, gradient coefficient k, data gradient G).
    """
    W = np.asarray(W, np.float64)
    losses = np.array([p[0] for p in pairs], np.float64)
    grads = np.array([np.asarray(p[1], np.float64) for p in pairs])
    r = np.asarray(regs, np.float64)
    slope, a = np.polyfit(r, losses, 1)
    b = float(slope / max(float(np.sum(W * W)), 1e-300))
    dgrad = (grads[-1] - grads[0]) / (r[-1] - r[0])
    k = float(np.sum(dgrad * W) / max(float(np.sum(W * W)), 1e-300))
    return float(a), b, k, grads[0]


def reg_hint(measured: tuple[float, float, float, np.ndarray], data_loss: float, n: int,
             sumsq: float = 0.0) -> str:
    """A hint naming how the measured loss differs from the course's, or "" if it does not.

    data_loss: the reference's data loss (reg = 0) on the same inputs; n: the number of
    examples; sumsq: ΣW² at the inputs.
    """
    a, b, k, _ = measured
    if sumsq and abs(b) < 1e-9 and abs(a - data_loss - sumsq) <= 1e-6 * max(1.0, abs(a)):
        return REG_WITHOUT_REG
    if n > 1 and abs(b * n - 1.0) < 1e-6 and abs(k * n - 2.0) < 1e-6:
        return REG_BEFORE_MEAN
    if n > 1 and data_loss and abs(a - n * data_loss) <= 1e-6 * abs(n * data_loss):
        return DATA_SUM
    if n > 1 and data_loss and abs(a * n - data_loss) <= 1e-6 * abs(data_loss):
        return DATA_TWICE
    if abs(b - 1.0) > 1e-6 or abs(k - 2.0) > 1e-6:
        return REG_USE.format(loss=_term(b, LOSS_TERMS, "reg·ΣW²"),
                              gradient=_term(k, GRAD_TERMS, "reg·W"))
    return ""


def measured_hint(student: StudentProxy, fn: str, W: np.ndarray, X: np.ndarray, y: np.ndarray,
                  data_loss: float) -> str:
    """Evaluate fn(W, X, y, reg) at a few reg (one worker call) and name what it uses."""
    try:
        outs = student.map(fn, [[W, X, y, r] for r in MEASURED_REGS])
        pairs = [as_loss_grad(value_of(o, fn), fn, np.shape(W)) for o in outs]
        with np.errstate(all="ignore"):
            return reg_hint(measure_reg(pairs, MEASURED_REGS, W), data_loss, len(y),
                            float(np.sum(np.square(W))))
    except (CheckFailed, StudentFailure, ValueError, TypeError, FloatingPointError,
            np.linalg.LinAlgError):
        return ""


def with_measured_hint(check: Callable[[], None], hint: Callable[[], str]) -> None:
    """Run a value check; when it fails without a catalog hint, add the measured one."""
    try:
        check()
    except CheckFailed as exc:
        if not exc.hint:
            exc.hint = hint()
        raise
