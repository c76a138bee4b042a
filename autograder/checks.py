"""The numerical check library hidden tests use. Runs in the trusted process only.

Every failure is a CheckFailed whose `message` is safe for any student (it describes the size
of an error, never inputs or expected values), whose `full` message may add values for
visible checks, and whose `detail` is for the instructor. A `mistakes` catalog may turn a
failing output into a hint that names the mistake.
"""
from __future__ import annotations

import ast
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from .proxy import Outcome, StudentProxy
from .wire import WrongType

RTOL, ATOL = 1e-7, 1e-10
"""The course's default tolerance for values compared with a float64 reference."""
Mistake = Callable[[np.ndarray, np.ndarray], "str | None"]
"""A catalog entry: (student's output, expected output) -> a hint if it matches, else None."""


class CheckFailed(AssertionError):
    """A failed check, with messages written for students and details for instructors."""

    def __init__(self, message: str, *, full: str = "", detail: str = "", hint: str = "",
                 observed: str = "", tolerance: str = "") -> None:
        super().__init__(message)
        self.message, self.full = message, full or message
        self.detail, self.hint, self.status = detail, hint, "failed"
        self.observed, self.tolerance = observed, tolerance


# --- types and shapes ----------------------------------------------------------------------


def as_float(value: Any, what: str) -> float:
    """A scalar result: Python float, numpy floating/integer scalar or 0-d array."""
    if isinstance(value, bool) or isinstance(value, WrongType):
        raise CheckFailed(f"{what} must be a float, not {_kind(value)}")
    if isinstance(value, (float, int, np.floating, np.integer)):
        return float(value)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        return float(value)
    raise CheckFailed(f"{what} must be a float, not {_kind(value)}"
                      + (" (use a scalar, e.g. with .item() or float(...))"
                         if isinstance(value, (np.ndarray, list, tuple)) else ""))


def as_array(value: Any, what: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """An array result of numbers with the expected shape (scalars allowed only for shape ())."""
    if isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, bool):
        value = np.asarray(value)
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise CheckFailed(f"{what} must be a numpy array of numbers, not {_kind(value)}")
    if shape is not None and value.shape != tuple(shape):
        raise CheckFailed(f"{what} has shape {value.shape}; it should have shape "
                          f"{tuple(shape)}", hint=_shape_hint(value.shape, tuple(shape)))
    return value.astype(np.float64)


def as_pair(value: Any, what: str) -> tuple[Any, Any]:
    """A (loss, gradient) pair."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise CheckFailed(f"{what} must return a pair (loss, gradient), not {_kind(value)}")
    return value[0], value[1]


# --- closeness -----------------------------------------------------------------------------


def assert_close(actual: Any, expected: Any, what: str, *, rtol: float = RTOL,
                 atol: float = ATOL, mistakes: Iterable[Mistake] = ()) -> None:
    """Compare in float64 with rtol/atol; the record keeps the observed error and tolerance."""
    exp = np.asarray(expected, dtype=np.float64)
    act = as_float(actual, what) if exp.ndim == 0 else as_array(actual, what, exp.shape)
    act = np.asarray(act, dtype=np.float64)
    if np.allclose(act, exp, rtol=rtol, atol=atol, equal_nan=False) and np.all(np.isfinite(act)
                                                                                 == np.isfinite(exp)):
        return
    tolerance = f"rtol {rtol:.0e}, atol {atol:.0e}"
    observed = describe_error(act, exp)
    raise CheckFailed(
        f"{what} is not correct: {observed}, allowed {tolerance}",
        full=f"{what} is not correct: {observed}, allowed {tolerance}. "
             f"Expected {_show(exp)}, got {_show(act)}",
        detail=f"expected {_show(exp, 2000)}\ngot {_show(act, 2000)}",
        hint=find_hint(act, exp, mistakes), observed=observed, tolerance=tolerance)


def describe_error(actual: np.ndarray, expected: np.ndarray) -> str:
    """"max relative error 3.1e-02" or why there is none (nan, inf)."""
    if np.any(np.isnan(actual)):
        return "the result contains nan"
    if np.any(np.isinf(actual)) and not np.array_equal(np.isinf(actual), np.isinf(expected)):
        return "the result contains inf"
    with np.errstate(all="ignore"):
        rel = np.abs(actual - expected) / np.maximum(np.abs(expected), 1e-300)
    return f"max relative error {float(np.nanmax(rel)) if rel.size else 0.0:.1e}"


def find_hint(actual: np.ndarray, expected: np.ndarray, mistakes: Iterable[Mistake]) -> str:
    """The first cataloged mistake that explains the output."""
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
        if np.any(scaled != 0) and np.allclose(actual, scaled, rtol=rtol, atol=1e-12):
            return hint
        return None
    return match


# --- outcomes of single calls --------------------------------------------------------------


def value_of(outcome: Outcome, fn: str) -> Any:
    return StudentProxy.value(outcome, fn)


def assert_stable(outcome: Outcome, what: str) -> Any:
    """The call ran under np.errstate(raise) without a floating-point error; returns value."""
    if outcome.fp_error:
        raise CheckFailed(
            f"{what} is not numerically stable: numpy reported '{outcome.fp_error}' for "
            "large-magnitude inputs (|x| ~ 1e3). The right value after an overflow warning "
            "does not count: rewrite the computation so nothing overflows.",
            hint="shift by the maximum before exponentiating (exp(x - max(x))), or use "
                 "np.logaddexp / a log-sum-exp")
    if outcome.errstate_changed:
        raise CheckFailed(f"{what} changed numpy's floating-point error settings "
                          "(np.seterr) instead of avoiding the overflow")
    return value_of(outcome, what.split("(")[0])


def assert_not_mutated(outcome: Outcome, what: str, names: Sequence[str]) -> None:
    """No argument was modified in place."""
    if outcome.mutated:
        which = ", ".join(names[i] if i < len(names) else f"argument {i + 1}"
                          for i in outcome.mutated)
        raise CheckFailed(f"{what} modified its input in place ({which}); work on a copy "
                          "instead (e.g. x = x.copy() or x - x.max(...) creates a new array)")


# --- structure of the source -----------------------------------------------------------------

LOOP_CALLS = {"vectorize", "apply_along_axis", "map", "frompyfunc"}


def assert_no_loops(source: str | None, fn: str) -> None:
    """The function's own body has no Python-level loop (checked on the trusted side)."""
    if source is None:
        raise CheckFailed(f"the source of `{fn}` was not found as a top-level `def {fn}` "
                          "in your notebook")
    try:
        tree = ast.parse(source)
    except SyntaxError:
        raise CheckFailed(f"the source of `{fn}` could not be parsed") from None
    for node in ast.walk(tree):
        found = _loop_name(node)
        if found:
            line = getattr(node, "lineno", 0)
            raise CheckFailed(f"`{fn}` must be vectorized but uses {found} (line {line} of its "
                              "definition)",
                              hint="replace the loop by array operations: fancy indexing "
                                   "x[np.arange(N), y], broadcasting, masks and matrix products")


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


def numerical_gradient(losses: Callable[[list[np.ndarray]], list[float]], x: np.ndarray,
                       h: float = 1e-5, coords: Sequence[tuple[int, ...]] | None = None
                       ) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """Centered differences in float64, all perturbed points evaluated in one batch.

    Returns (gradient estimate at coords, coords); coordinates not listed stay 0.
    """
    x = np.asarray(x, dtype=np.float64)
    coords = list(coords) if coords is not None else list(np.ndindex(x.shape))
    points = []
    for c in coords:
        for sign in (+1.0, -1.0):
            p = x.copy()
            p[c] += sign * h
            points.append(p)
    values = losses(points)
    grad = np.zeros_like(x)
    for k, c in enumerate(coords):
        grad[c] = (values[2 * k] - values[2 * k + 1]) / (2 * h)
    return grad, coords


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(1e-8, |a| + |b|), the course's relative error."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def assert_gradient(student: StudentProxy, fn: str, args: Sequence[Any], wrt: int,
                    analytic: Any, *, select: int | None = None, h: float = 1e-5,
                    threshold: float = 1e-7, coords: Sequence[tuple[int, ...]] | None = None,
                    what: str = "") -> float:
    """Check a student's analytic gradient against centered differences of their own loss.

    The loss values come from the worker in one batched call; the differences, the error and
    the verdict are computed here.
    """
    what = what or f"the gradient returned by {fn}"
    x = np.asarray(args[wrt], dtype=np.float64)
    grad = as_array(analytic, what, x.shape)

    def losses(points: list[np.ndarray]) -> list[float]:
        arglist = [[*args[:wrt], p, *args[wrt + 1:]] for p in points]
        return [as_float(value_of(o, fn), f"the loss of {fn}")
                for o in student.map(fn, arglist, select=select)]

    numeric, used = numerical_gradient(losses, x, h, coords)
    mask = np.zeros(x.shape, bool)
    for c in used:
        mask[c] = True
    err = rel_error(grad[mask], numeric[mask])
    if err > threshold:
        observed = f"relative error {err:.1e}"
        raise CheckFailed(f"{what} does not match a numerical gradient of your loss: "
                          f"{observed}, allowed {threshold:.0e}",
                          observed=observed, tolerance=f"relative error {threshold:.0e}",
                          detail=f"analytic {_show(grad[mask], 500)}\n"
                                 f"numeric {_show(numeric[mask], 500)}",
                          hint=find_hint(grad[mask], numeric[mask], GRADIENT_MISTAKES))
    return err


GRADIENT_MISTAKES: tuple[Mistake, ...] = (
    ratio_hint(-1.0, "the gradient has the wrong sign"),
)


# --- helpers -------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if isinstance(value, WrongType):
        return value.description
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def _shape_hint(got: tuple[int, ...], want: tuple[int, ...]) -> str:
    if got == want[::-1] and got != want:
        return "the result is transposed"
    if len(got) == len(want) - 1 or (len(want) >= 1 and got == want[:-1]):
        return "a dimension was reduced away: check the axis and keepdims"
    return ""


def _show(arr: np.ndarray, limit: int = 300) -> str:
    text = np.array2string(np.asarray(arr), precision=8, threshold=50)
    return text if len(text) <= limit else text[:limit] + "..."
