"""The check library, without a sandbox: outcomes are built directly and a fake student
evaluates plain Python functions the way the worker would."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import pytest

from autograder import checks
from autograder.checks import CheckFailed
from autograder.proxy import Outcome, StudentError, StudentFailure
from autograder.wire import WrongType


class FakeStudent:
    """run/map like StudentProxy, on local functions; counts worker round trips."""

    def __init__(self, **functions: Callable[..., Any]) -> None:
        self.functions, self.round_trips = functions, 0

    def _call(self, fn: str, args: Sequence[Any], fp: bool, select: int | None) -> Outcome:
        copies = [np.copy(a) if isinstance(a, np.ndarray) else a for a in args]
        try:
            if fp:
                with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                    value = self.functions[fn](*copies)
            else:
                value = self.functions[fn](*copies)
        except FloatingPointError as exc:
            return Outcome(False, fp_error=str(exc), failure=StudentError(f"{fn} raised"))
        mutated = tuple(i for i, (a, c) in enumerate(zip(args, copies))
                        if isinstance(a, np.ndarray) and not np.array_equal(a, c))
        return Outcome(True, value=value if select is None else value[select], mutated=mutated)

    def run(self, fn: str, *args: Any, fp: bool = False, select: int | None = None) -> Outcome:
        self.round_trips += 1
        return self._call(fn, args, fp, select)

    def map(self, fn: str, arglist: Sequence[Sequence[Any]], select: int | None = None
            ) -> list[Outcome]:
        self.round_trips += 1
        return [self._call(fn, args, False, select) for args in arglist]


def naive_softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def stable_softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def failure(fn: Callable[[], Any]) -> CheckFailed:
    with pytest.raises(CheckFailed) as info:
        fn()
    return info.value


# --- types and shapes ----------------------------------------------------------------------

@pytest.mark.parametrize("value", [1.5, np.float64(1.5), np.float32(1.5), np.array(1.5), 2])
def test_as_float_accepts_scalars(value):
    """Is every scalar form the spec allows read as a float?"""
    assert checks.as_float(value, "loss") == float(value)


@pytest.mark.parametrize("value", [[1.5], np.array([1.5]), True, None, WrongType("Evil"), "1.5"])
def test_as_float_rejects_other_types(value):
    """Is a list, a shape-(1,) array, a bool or a foreign object a wrong type?"""
    assert "must be a float" in failure(lambda: checks.as_float(value, "loss")).message


def test_as_array_names_shape_mistakes():
    """Does a transposed or keepdims result fail with a hint that says so?"""
    assert "transposed" in failure(lambda: checks.as_array(np.zeros((3, 2)), "p", (2, 3))).hint
    assert "keepdims" in failure(lambda: checks.as_array(np.zeros((4, 1)), "lse", (4,))).hint
    assert checks.as_array(np.arange(3), "p", (3,)).dtype == np.float64


def test_as_loss_grad_checks_both_parts():
    """Is a pair with an array loss or a wrongly shaped gradient rejected?"""
    loss, grad = checks.as_loss_grad((1.0, np.zeros((2, 3))), "f", (2, 3))
    assert loss == 1.0 and grad.shape == (2, 3)
    assert "float" in failure(lambda: checks.as_loss_grad((np.ones(1), np.zeros(3)), "f",
                                                          (3,))).message
    assert "shape" in failure(lambda: checks.as_loss_grad((1.0, np.zeros(2)), "f", (3,))).message
    assert "pair" in failure(lambda: checks.as_loss_grad(1.0, "f", (3,))).message


# --- closeness -----------------------------------------------------------------------------

def test_assert_close_records_error_and_tolerance():
    """Does a failure keep the observed error and tolerance, and show values only in `full`?"""
    assert checks.assert_close(1.0 + 1e-9, 1.0, "loss") is None
    exc = failure(lambda: checks.assert_close(1.03, 1.2345678, "loss"))
    assert exc.observed == "max relative error 1.7e-01"
    assert exc.tolerance == "rtol 1e-07, atol 1e-10"
    assert exc.message == "loss is not correct" and exc.kind == "value"
    assert "allowed rtol 1e-07" in exc.full and "1.7e-01" not in exc.message
    assert "1.2345678" in exc.full and "1.03" in exc.full


def test_assert_close_reports_absolute_error_at_zero_and_nan():
    """Is the error absolute where the answer is 0, and is nan named?"""
    assert failure(lambda: checks.assert_close(np.array([0.5, 1.0]), [0.0, 1.0], "g")
                   ).observed == "max absolute error 5.0e-01"
    assert failure(lambda: checks.assert_close(np.array([np.nan]), [1.0], "g")
                   ).observed == "the result contains nan"
    assert failure(lambda: checks.assert_close(np.inf, 1.0, "g")).observed == \
        "the result contains inf"


def test_assert_close_custom_tolerance():
    """Does a declared tolerance widen or narrow what passes?"""
    checks.assert_close(1.001, 1.0, "x", rtol=1e-2)
    assert failure(lambda: checks.assert_close(1.001, 1.0, "x", rtol=1e-4)).tolerance == \
        "rtol 1e-04, atol 1e-10"


def test_assert_rel_error_uses_the_course_definition():
    """Is the relative error max |a-b| / max(1e-8, |a|+|b|), compared with the threshold?"""
    assert checks.assert_rel_error(np.array([1.0, 2.0]), [1.0, 2.0], "g", 1e-7) == 0.0
    exc = failure(lambda: checks.assert_rel_error(np.array([1.0, 3.0]), [1.0, 1.0], "g", 1e-7))
    assert exc.observed == "relative error 5.0e-01"
    assert checks.rel_error(np.array([1e-12]), np.array([0.0])) == pytest.approx(1e-4)


def test_ratio_hint_names_the_factor():
    """Does a sum instead of a mean get the catalog's hint, and a different error none?"""
    mistakes = [checks.ratio_hint(5.0, "summed over the 5 examples")]
    assert failure(lambda: checks.assert_close(5.0, 1.0, "loss", mistakes=mistakes)).hint == \
        "summed over the 5 examples"
    assert failure(lambda: checks.assert_close(4.0, 1.0, "loss", mistakes=mistakes)).hint == ""
    assert checks.ratio_hint(2.0, "x")(np.ones(2), np.ones(4) * 0.5) is None


def test_same_as_matches_a_precomputed_wrong_answer():
    """Does an output equal to a cataloged wrong answer get its hint, even with another shape?"""
    s = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]])
    wrong_axis = checks.same_as(np.exp(s) / np.exp(s).sum(axis=0), "wrong axis")
    exc = failure(lambda: checks.assert_close(np.exp(s) / np.exp(s).sum(axis=0),
                                              stable_softmax(s), "p", mistakes=[wrong_axis]))
    assert exc.hint == "wrong axis"
    assert checks.same_as(np.ones((2, 1)), "x")(np.ones((2, 1)), np.ones(2)) == "x"
    keepdims = checks.same_as(np.array([[1.0], [2.0]]), "kept the axis")
    assert failure(lambda: checks.assert_close(np.array([[1.0], [2.0]]), [1.0, 2.0], "lse",
                                               mistakes=[keepdims])).hint == "kept the axis"


def test_same_as_never_matches_the_right_answer():
    """Is a mistake that coincides with the answer on this input silent?"""
    match = checks.same_as(np.ones(3), "mistake")
    assert match(np.ones(3), np.ones(3)) is None
    assert match(np.ones(3) * 2, np.ones(3) * 3) is None


def test_offset_hint_names_a_missing_term():
    """Does an output that lacks an additive term (e.g. the regularization) get the hint?"""
    w = np.array([0.5, -1.0])
    entry = checks.offset_hint(-0.1 * w, "2 * reg * w is missing")
    assert entry(np.array([1.0, 2.0]) - 0.1 * w, np.array([1.0, 2.0])) == "2 * reg * w is missing"
    assert entry(np.array([1.0, 2.0]) + 0.1 * w, np.array([1.0, 2.0])) is None
    assert checks.offset_hint(0.0, "x")(np.ones(2), np.ones(2)) is None


def test_stable_probes_with_a_custom_comparison():
    """Is a (loss, gradient) result compared by the function the test passes?"""
    seen = []

    def compare(value, expected, what, mistakes):
        seen.append(what)
        checks.assert_close(value[0], expected[0], what)
    student = FakeStudent(pair=lambda s: (float(stable_softmax(s)[..., 0].sum()), s))
    checks.assert_stable_probes(student, "pair", lambda s: (s,),
                                lambda s: (float(stable_softmax(s)[..., 0].sum()), s), "pair",
                                rng=np.random.default_rng(0), shape=(4, 3), compare=compare)
    assert len(seen) == 3 and "all-equal logits" in seen[-1]
    wrong = FakeStudent(pair=lambda s: (1.0, s))
    failure(lambda: checks.assert_stable_probes(
        wrong, "pair", lambda s: (s,), lambda s: (float(stable_softmax(s)[..., 0].sum()), s),
        "pair", rng=np.random.default_rng(0), shape=(4, 3), compare=compare))


def test_nonfinite_hint():
    """Is nan where the answer is finite named by the catalog?"""
    entry = checks.nonfinite_hint("0 log 0 gives nan")
    assert failure(lambda: checks.assert_close(np.nan, 0.3, "kl", mistakes=[entry])).hint == \
        "0 log 0 gives nan"
    assert entry(np.ones(2), np.ones(2)) is None


def test_a_broken_catalog_entry_is_skipped():
    """Does a mistake that raises leave the next entry a chance?"""
    def broken(actual, expected):
        raise ValueError("bad entry")
    assert checks.find_hint(np.ones(2), np.ones(2) / 2, [broken, checks.ratio_hint(2, "x2")]) \
        == "x2"


# --- outcomes ------------------------------------------------------------------------------

def test_assert_stable_fails_after_a_floating_point_error():
    """Does a call that overflowed fail, with a hint naming overflow, even if it 'returned'?"""
    exc = failure(lambda: checks.assert_stable(
        Outcome(False, fp_error="overflow encountered in exp"), "softmax(scores)"))
    assert "not numerically stable" in exc.message and "overflow" in exc.hint
    assert exc.observed == "floating-point error: overflow encountered in exp"
    divide = failure(lambda: checks.assert_stable(
        Outcome(False, fp_error="divide by zero encountered in log"), "ce"))
    assert "log of 0" in divide.hint
    invalid = failure(lambda: checks.assert_stable(
        Outcome(False, fp_error="invalid value encountered in divide"), "softmax"))
    assert "own maximum" in invalid.hint
    custom = failure(lambda: checks.assert_stable(
        Outcome(False, fp_error="divide by zero encountered in log"), "kl", hint="0 log 0"))
    assert custom.hint == "0 log 0"


def test_assert_stable_other_outcomes():
    """Is a clean call's value returned, np.seterr refused and a student failure re-raised?"""
    assert checks.assert_stable(Outcome(True, value=3.0), "f(x)") == 3.0
    assert "np.seterr" in failure(lambda: checks.assert_stable(
        Outcome(True, value=3.0, errstate_changed=True), "f")).message
    with pytest.raises(StudentFailure):
        checks.assert_stable(Outcome(False, failure=StudentError("f raised")), "f")


def test_assert_not_mutated_names_the_argument():
    """Is an input modified in place reported by its name?"""
    checks.assert_not_mutated(Outcome(True, value=1.0), "f", ["scores", "y"])
    exc = failure(lambda: checks.assert_not_mutated(Outcome(True, mutated=(1,)), "f",
                                                    ["scores", "y"]))
    assert "(y)" in exc.message and "in-place" in exc.hint


# --- stability probes ----------------------------------------------------------------------

def test_stability_probes_have_the_promised_form():
    """Are the probes of magnitude ~1e3, mixed in sign per row and constant per row?"""
    probes = checks.stability_probes(np.random.default_rng(0), (6, 4))
    assert set(probes) == set(checks.PROBES)
    big = np.abs(probes["magnitude"])
    assert big.min() >= 990 and big.max() <= 1000
    assert np.all(np.sign(probes["magnitude"]) == np.sign(probes["magnitude"][:, :1]))
    assert (probes["magnitude"][:, 0] > 0).any() and (probes["magnitude"][:, 0] < 0).any()
    assert np.all((probes["mixed"] > 0).any(axis=1) & (probes["mixed"] < 0).any(axis=1))
    assert np.all(probes["equal"] == probes["equal"][:, :1])
    assert np.abs(probes["equal"]).max() == 1000
    again = checks.stability_probes(np.random.default_rng(0), (6, 4))
    assert all(np.array_equal(probes[k], again[k]) for k in probes)
    one_d = checks.stability_probes(np.random.default_rng(1), (5,))
    assert np.all(one_d["magnitude"] > 0) and np.all(one_d["equal"] == -1000)


def test_stable_probes_fail_a_naive_softmax_and_pass_a_stable_one():
    """Does the probe helper tell an overflowing softmax from a stable one?"""
    student = FakeStudent(naive=naive_softmax, stable=stable_softmax)
    run = lambda fn: checks.assert_stable_probes(  # noqa: E731
        student, fn, lambda s: (s,), stable_softmax, "softmax(scores)",
        rng=np.random.default_rng(3), shape=(4, 3))
    run("stable")
    exc = failure(lambda: run("naive"))
    assert "logits of magnitude 1e3" in exc.message and "overflow" in exc.hint


def test_stable_probes_catch_a_wrong_value_without_warnings():
    """Does a probe fail a function that avoids warnings but gives the wrong value?"""
    clipped = lambda s: -np.log(np.clip(stable_softmax(s)[..., 0], 1e-15, 1)).mean()  # noqa
    exact = lambda s: float(np.mean(np.log(np.exp(s - s.max(-1, keepdims=True)).sum(-1))  # noqa
                                    + s.max(-1) - s[..., 0]))
    student = FakeStudent(ce=clipped)
    mistakes = lambda s: [checks.same_as(clipped(s), "clipped at 1e-15")]  # noqa: E731
    exc = failure(lambda: checks.assert_stable_probes(
        student, "ce", lambda s: (s,), exact, "ce", rng=np.random.default_rng(0), shape=(4, 3),
        mistakes_for=mistakes))
    assert exc.hint == "clipped at 1e-15" and "at logits of magnitude 1e3" in exc.message


# --- structure -----------------------------------------------------------------------------

@pytest.mark.parametrize("body", ["for i in range(3):\n        pass",
                                  "while False:\n        pass", "return [v for v in x]",
                                  "return np.vectorize(abs)(x)",
                                  "return np.apply_along_axis(sum, 1, x)",
                                  "return list(map(abs, x))"])
def test_assert_no_loops_finds_loops(body):
    """Is every kind of Python-level loop found?"""
    src = f"def f(x):\n    {body}\n"
    assert "must be vectorized" in failure(lambda: checks.assert_no_loops(src, "f")).message


def test_assert_no_loops_accepts_vectorized_code_and_needs_a_source():
    """Does loop-free code pass, and does a missing source fail?"""
    checks.assert_no_loops("def f(x):\n    return np.maximum(0, x).sum(axis=1)\n", "f")
    assert "not found" in failure(lambda: checks.assert_no_loops(None, "f")).message


LOOPY = "def helper(x):\n    return sum(v for v in x)\n"
DECOY = "import numpy as np\ndef f(x):\n    return np.sum(x)\n"


@pytest.mark.parametrize("cells, verdict", [
    ([DECOY, LOOPY, "f = helper\n"], "must be vectorized"),  # a loop-free decoy, rebound
    ([LOOPY, "def f(x):\n    return helper(x)\n"], "calls `helper`"),  # a loop-free wrapper
    ([LOOPY, "def g(x):\n    return helper(x)\n", "def f(x):\n    return g(x) + 1\n"],
     "calls `helper`"),
    ([DECOY, "f = lambda x: [v for v in x]\n"], "not bound by a plain"),
    ([DECOY, "if True:\n    def f(x):\n        return [v for v in x]\n"], "not bound by"),
    ([DECOY, "@staticmethod\ndef f(x):\n    return x\n"], "not bound by a plain"),
    ([DECOY, "globals()['f'] = len\n"], "not bound by a plain"),
    ([DECOY, "from itertools import accumulate as f\n"], "not bound by a plain"),
])
def test_assert_no_loops_checks_what_runs(cells, verdict):
    """Is the function that actually runs checked, with the notebook functions it calls?"""
    assert verdict in failure(lambda: checks.assert_no_loops(cells, "f")).message


def test_assert_no_loops_follows_honest_helpers_and_aliases():
    """Do a vectorized helper, an alias of a loop-free def and a later redefinition pass?"""
    honest = ["import numpy as np\ndef stable(s):\n    return s - s.max(axis=1, keepdims=True)\n",
              "def f(x):\n    return np.exp(stable(x)).sum()\n", LOOPY,
              "def f2(x):\n    return stable(x)\n", "f = f2\n"]
    checks.assert_no_loops(honest, "f")
    checks.assert_no_loops([LOOPY.replace("helper", "f"), DECOY], "f")  # redefined loop-free


# --- gradients -----------------------------------------------------------------------------

def cubic(x: np.ndarray) -> float:
    return float(np.sum(x ** 3 - 2 * x))


def test_numerical_gradient_in_float64_and_one_batch():
    """Is the centered difference accurate, in float64, with every point in one batch?"""
    calls = []

    def losses(points):
        calls.append(len(points))
        assert all(p.dtype == np.float64 for p in points)
        return [cubic(p) for p in points]
    x = np.array([[0.5, -1.0], [2.0, 0.1]], dtype=np.float32)
    grad, coords = checks.numerical_gradient(losses, x)
    assert calls == [8] and len(coords) == 4
    assert checks.rel_error(grad, 3 * x.astype(np.float64) ** 2 - 2) < 1e-8


def test_sample_coords_respects_skip():
    """Are sampled coordinates distinct, seeded and never marked to skip?"""
    skip = np.zeros((4, 5), bool)
    skip[0] = True
    coords = checks.sample_coords((4, 5), 10, np.random.default_rng(0), skip)
    assert len(set(coords)) == 10 and all(c[0] != 0 for c in coords)
    assert coords == checks.sample_coords((4, 5), 10, np.random.default_rng(0), skip)
    assert len(checks.sample_coords((2, 2), 10, np.random.default_rng(0))) == 4
    with pytest.raises(ValueError):
        checks.sample_coords((2,), 1, np.random.default_rng(0), np.ones(2, bool))


def test_near_l1_kink():
    """Are the coordinates within eps of 0 marked, and only those?"""
    W = np.array([0.0, 5e-5, -5e-5, 1e-3, -2.0])
    assert checks.near_l1_kink(W).tolist() == [True, True, True, False, False]


def svm_loss(W: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    s = X @ W
    m = np.maximum(0, s - s[np.arange(len(y)), y][:, None] + 1)
    m[np.arange(len(y)), y] = 0
    return float(m.sum() / len(y))


def test_near_hinge_kink_marks_the_columns_a_zero_margin_touches():
    """Does a margin exactly at 0 mark its class's and its label's columns, and nothing else?"""
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    y = np.array([0, 1])
    W = np.array([[2.0, 1.0, -5.0], [-5.0, 3.0, -5.0]])  # row 0: margin of class 1 is exactly 0
    skip = checks.near_hinge_kink(W, X, y)
    assert skip.tolist() == [[True, True, False], [False, False, False]]
    # the unmarked coordinates have a clean centered difference
    grad, _ = checks.numerical_gradient(trusted := checks.trusted_losses(
        lambda w: svm_loss(w, X, y)), W, coords=[c for c in np.ndindex(W.shape) if not skip[c]])
    assert np.allclose(grad[~skip], 0.0) and callable(trusted)


def softmax_ce(W: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    p = stable_softmax(X @ W)
    loss = float(-np.log(p[np.arange(len(y)), y]).mean())
    p[np.arange(len(y)), y] -= 1
    return loss, X.T @ p / len(y)


def test_assert_gradient_uses_one_worker_call_and_passes_a_right_gradient():
    """Does the student's own loss, called once in a batch, confirm a right gradient?"""
    rng = np.random.default_rng(0)
    W, X, y = rng.normal(size=(3, 4)), rng.normal(size=(5, 3)), rng.integers(0, 4, 5)
    student = FakeStudent(loss=softmax_ce)
    err = checks.assert_gradient(student, "loss", (W, X, y), 0, softmax_ce(W, X, y)[1],
                                 select=0, reference=softmax_ce)
    assert err < 1e-7 and student.round_trips == 1


def test_assert_gradient_refuses_probe_values_made_up_to_fit_a_wrong_gradient():
    """Does a loss that answers the probes with values consistent with its own wrong gradient
    (right at the point itself) fail, where trusting its values would pass it?"""
    rng = np.random.default_rng(2)
    W, X, y = rng.normal(size=(3, 4)), rng.normal(size=(5, 3)), rng.integers(0, 4, 5)
    wrong = 2.0 * softmax_ce(W, X, y)[1]

    def made_up(w, X, y):  # the right loss at W, and L(W) + wrong . (w - W) near it
        return softmax_ce(W, X, y)[0] + float(np.sum(wrong * (w - W))), wrong

    student = FakeStudent(loss=made_up)
    trusting = checks.student_losses(student, "loss", (W, X, y), 0, select=0)
    assert checks.assert_gradient_matches(wrong, W, trusting, "the gradient") < 1e-7
    with pytest.raises(checks.CheckFailed, match="not correct at the points"):
        checks.assert_gradient(student, "loss", (W, X, y), 0, wrong, select=0,
                               reference=softmax_ce)


def test_assert_gradient_names_sign_and_n_mistakes():
    """Does a gradient with the wrong sign, or not divided by N, fail with that hint?"""
    rng = np.random.default_rng(1)
    W, X, y = rng.normal(size=(3, 4)), rng.normal(size=(5, 3)), rng.integers(0, 4, 5)
    losses = checks.trusted_losses(lambda w: softmax_ce(w, X, y)[0])
    grad = softmax_ce(W, X, y)[1]
    assert "wrong sign" in failure(lambda: checks.assert_gradient_matches(
        -grad, W, losses, "dW")).hint
    exc = failure(lambda: checks.assert_gradient_matches(5 * grad, W, losses, "dW",
                                                         mistakes=checks.gradient_mistakes(5)))
    assert "factor of the number of examples" in exc.hint and "5" not in exc.hint
    assert exc.observed.startswith("relative error")


def test_assert_gradient_sampled_with_skip():
    """Does a sampled check look only at the coordinates given, minus those skipped?"""
    x = np.array([0.3, -0.7, 2.0, 0.0])
    abs_loss = checks.trusted_losses(lambda v: float(np.abs(v).sum()))
    wrong_at_kink = np.sign(x) + np.array([0, 0, 0, 1.0])
    checks.assert_gradient_matches(wrong_at_kink, x, abs_loss, "g", skip=checks.near_l1_kink(x))
    checks.assert_gradient_matches(wrong_at_kink, x, abs_loss, "g", coords=[(0,), (2,)])
    failure(lambda: checks.assert_gradient_matches(np.sign(x) + 1, x, abs_loss, "g",
                                                   coords=[(1,)]))
    with pytest.raises(ValueError):
        checks.assert_gradient_matches(x, x, abs_loss, "g", coords=[(3,)],
                                       skip=checks.near_l1_kink(x))


def test_assert_gradient_rejects_nan_and_wrong_shape():
    """Is a nan or wrongly shaped gradient a failure, not a pass?"""
    losses = checks.trusted_losses(cubic)
    x = np.array([1.0, 2.0])
    assert "nan" in failure(lambda: checks.assert_gradient_matches(
        np.array([np.nan, 10.0]), x, losses, "g")).observed
    assert "shape" in failure(lambda: checks.assert_gradient_matches(
        np.ones(3), x, losses, "g")).message


# --- agreement -----------------------------------------------------------------------------

def test_assert_agree_thresholds():
    """Do naive and vectorized agree within loss 1e-9 and gradient Frobenius 1e-6 only?"""
    g = np.ones((2, 3))
    names = ("naive", "vectorized")
    checks.assert_agree((1.0, g), (1.0 + 5e-10, g + 1e-7), names, (2, 3))
    assert "loss" in failure(lambda: checks.assert_agree((1.0, g), (1.0 + 1e-8, g), names,
                                                         (2, 3))).message
    exc = failure(lambda: checks.assert_agree((1.0, g), (1.0, -g), names, (2, 3)))
    assert "gradient" in exc.message and "sign" in exc.hint
    assert "shape" in failure(lambda: checks.assert_agree((1.0, g), (1.0, g.T), names,
                                                          (2, 3))).message
    failure(lambda: checks.assert_agree((np.nan, g), (np.nan, g), names, (2, 3)))


# --- training ------------------------------------------------------------------------------

def test_training_helpers():
    """Are the history, accuracy, time budget, reg and seed checks each able to fail?"""
    W, hist = checks.as_training((np.eye(2), [1.0, 0.5, 0.2]), "train", (2, 2), 3)
    assert hist.tolist() == [1.0, 0.5, 0.2]
    assert "shape" in failure(lambda: checks.as_training((np.eye(2), [1.0]), "train", (2, 2),
                                                         3)).message
    X, y = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]]), np.array([0, 1, 0])
    assert checks.assert_accuracy(W, X, y, 0.9, "W") == 1.0
    assert "accuracy 0.000" in failure(lambda: checks.assert_accuracy(np.eye(2)[::-1], X, y,
                                                                      0.9, "W")).message
    assert checks.assert_within_time(Outcome(True, seconds=0.2), 1.0, "train") == 0.2
    failure(lambda: checks.assert_within_time(Outcome(True, seconds=3.0), 1.0, "train"))
    checks.assert_reg_shrinks(2 * W, W, "W")
    failure(lambda: checks.assert_reg_shrinks(W, W, "W"))
    checks.assert_same_weights(W, W.copy(), "W")
    assert "default_rng" in failure(lambda: checks.assert_same_weights(
        W, W + 1e-15, "W")).hint


# --- measured hints ------------------------------------------------------------------------

def _svm_like(W, reg, *, loss_coef=1.0, grad_coef=2.0, scale=1.0, before_mean=False, n=6):
    """(loss, grad) of a toy loss whose data term is 3.0 (gradient ones), as a student might
    write it: coefficients of the regularization, scale of the data term, order of operations."""
    sumsq = float(np.sum(W * W))
    if before_mean:
        return (3.0 * n + reg * sumsq) / n, (np.ones_like(W) * n + 2 * reg * W) / n
    return scale * 3.0 + loss_coef * reg * sumsq, scale * np.ones_like(W) + grad_coef * reg * W


@pytest.mark.parametrize("kwargs, words", [
    (dict(loss_coef=0.5, grad_coef=1.0), "your loss uses 0.5·reg·ΣW², your gradient reg·W"),
    (dict(grad_coef=1.0), "your loss uses reg·ΣW², your gradient reg·W"),
    (dict(loss_coef=0.0, grad_coef=0.0), "no regularization term, your gradient no"),
    (dict(before_mean=True), "divided by N: add it after averaging"),
    (dict(scale=6.0), "too large by a factor of the number of examples"),
    (dict(scale=1 / 6), "divided by the number of examples twice"),
    (dict(loss_coef=0.3, grad_coef=2.0), "your loss uses 0.3·reg·ΣW²"),
])
def test_reg_hint_measures_what_the_loss_uses(kwargs, words):
    """Does fitting the loss and gradient at a few reg name the coefficients and scale used?"""
    W = np.arange(6.0).reshape(3, 2) / 5
    pairs = [_svm_like(W, r, **kwargs) for r in checks.MEASURED_REGS]
    hint = checks.reg_hint(checks.measure_reg(pairs, checks.MEASURED_REGS, W), 3.0, 6,
                           float(np.sum(W * W)))
    assert words in hint and "6" not in hint


def test_reg_hint_is_silent_on_the_course_convention_and_names_a_missing_reg():
    """Is there no hint for reg·ΣW² with 2·reg·W, and a clear one for ΣW² added without reg?"""
    W = np.arange(6.0).reshape(3, 2) / 5
    right = [_svm_like(W, r) for r in checks.MEASURED_REGS]
    assert checks.reg_hint(checks.measure_reg(right, checks.MEASURED_REGS, W), 3.0, 6,
                           float(np.sum(W * W))) == ""
    sumsq = float(np.sum(W * W))
    no_reg = [(3.0 + sumsq, np.ones_like(W) + 2 * W) for _ in checks.MEASURED_REGS]
    assert "without multiplying it by reg" in checks.reg_hint(
        checks.measure_reg(no_reg, checks.MEASURED_REGS, W), 3.0, 6, sumsq)
