"""Monkeypatching numpy (allclose, isclose, testing), math, builtins, pytest and unittest.

A safe grader compares results in its own process, so whatever a submission rebinds in its
worker (numpy's comparison functions, numpy.testing, math, builtins, pytest's approx and fail,
unittest's assertions, sys.modules entries) cannot change a comparison. A wrong softmax next to
such a cell earns exactly what the same wrong softmax earns without it.
"""
from .conftest import WRONG, needs_bwrap

pytestmark = needs_bwrap

TAMPER = '''
import builtins, math, sys, types, unittest
import numpy as np
import numpy.testing
import pytest, _pytest.python_api, _pytest.outcomes

yes = lambda *a, **k: True
nothing = lambda *a, **k: None
for name in ("allclose", "isclose", "array_equal", "array_equiv", "all", "any", "isfinite"):
    setattr(np, name, yes)
for name in ("assert_allclose", "assert_array_almost_equal", "assert_array_equal",
             "assert_almost_equal", "assert_equal"):
    setattr(np.testing, name, nothing)
math.isclose = yes
math.isnan = lambda x: False
builtins.abs = lambda x: 0
builtins.isinstance = yes
builtins.AssertionError = type("AssertionError", (Exception,), {})
pytest.approx = lambda expected, *a, **k: types.SimpleNamespace(__eq__=yes)
_pytest.python_api.approx = pytest.approx
pytest.fail = _pytest.outcomes.fail = nothing
unittest.TestCase.assertEqual = unittest.TestCase.assertTrue = nothing
unittest.TestCase.assertAlmostEqual = nothing
sys.modules["autograder"] = types.ModuleType("autograder")
sys.modules["autograder.checks"] = types.SimpleNamespace(assert_close=nothing)
'''


def test_patching_the_worker_changes_no_comparison(submission, grade_batch, hostile_course):
    """Can patched numpy, math, builtins, pytest or unittest rescue a wrong softmax?"""
    attack = submission("softmax", name="attack", replace={"softmax-impl": WRONG},
                        prepend=[TAMPER], append=[TAMPER])
    twin = submission("softmax", name="twin", replace={"softmax-impl": WRONG})
    batch = grade_batch(hostile_course, {"attack": attack, "twin": twin}, budget=60)
    batch.earns_like("attack", "twin")
    assert batch.points("attack")["softmax"] < batch.assignment.functions["softmax"]
