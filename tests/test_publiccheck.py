"""common/publiccheck.py: the notebooks' check cells say what to fix, in English or Korean."""
from __future__ import annotations

import importlib.util
import traceback

import numpy as np
import pytest

from conftest import ROOT


@pytest.fixture
def pc(monkeypatch):
    """A fresh copy of the module (its language choice and catalogs are module state)."""
    monkeypatch.delenv("AUTOGRADER_LANG", raising=False)
    spec = importlib.util.spec_from_file_location("publiccheck_fresh",
                                                  ROOT / "common" / "publiccheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def failure(pc, function, body):
    with pytest.raises(pc.PublicCheckFailed) as info:
        with pc.public_check(function):
            body()
    return info.value


def test_success_prints_that_the_public_checks_passed(pc, capsys):
    """Does a passing body print "softmax: public checks passed", and underflow stay quiet?"""
    with pc.public_check("softmax"):
        assert np.exp(-1000.0) == 0.0  # underflow is ignored
    assert capsys.readouterr().out == "softmax: public checks passed\n"


def test_a_stub_is_not_implemented_yet_without_a_chained_traceback(pc):
    """Does NotImplementedError become one sentence, its context suppressed?"""
    def stub():
        raise NotImplementedError
    exc = failure(pc, "softmax", stub)
    assert str(exc) == "`softmax` is not implemented yet" and isinstance(exc, AssertionError)
    assert exc.__suppress_context__ and exc.__cause__ is None
    shown = "".join(traceback.format_exception(exc))
    assert "NotImplementedError" not in shown and "During handling" not in shown


def test_a_floating_point_error_becomes_the_functions_stability_hint(pc):
    """Is exp of a large logit, raised inside the body, the softmax hint (and a generic one for
    a function without its own)?"""
    exc = failure(pc, "softmax", lambda: np.exp(np.array([1000.0])))
    assert str(exc) == "overflow in softmax: compute it stably, e.g. subtract the max logit first"
    other = failure(pc, "mse_loss", lambda: np.log(np.array([0.0])))
    assert str(other).startswith("a floating-point error in mse_loss (divide by zero")


def test_an_assertion_gives_its_own_message_or_names_the_function(pc):
    """Is a failed assertion's message shown as it is, and an empty one replaced?"""
    def wrong():  # as `assert cond, message` raises it in a notebook (pytest rewrites asserts)
        raise AssertionError(pc._("softmax of a (10,) vector must have shape (10,), got {shape}"
                                  ).format(shape=(1, 10)))
    assert str(failure(pc, "softmax", wrong)) == \
        "softmax of a (10,) vector must have shape (10,), got (1, 10)"

    def bare():
        raise AssertionError
    assert str(failure(pc, "softmax", bare)) == "a public check of `softmax` failed"


def test_language_is_set_language_then_the_environment_then_english(pc, monkeypatch):
    """Does set_language win over AUTOGRADER_LANG, which wins over English?"""
    assert pc.language() == "en"
    monkeypatch.setenv("AUTOGRADER_LANG", "ko")
    assert pc.language() == "ko"
    assert pc._("`{function}` is not implemented yet") == \
        "`{function}`이(가) 아직 구현되지 않았습니다"
    pc.set_language("en")
    assert pc._("`{function}` is not implemented yet") == "`{function}` is not implemented yet"
    pc.set_language("ko")
    exc = failure(pc, "softmax", lambda: np.exp(np.array([1000.0])))
    assert str(exc).startswith("softmax에서 overflow가 발생했습니다")
