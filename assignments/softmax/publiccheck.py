"""Public checks for this course's notebooks: clear messages, in English or Korean.

    from publiccheck import public_check, _
    with public_check("softmax"):
        p = softmax(np.zeros(10))
        assert np.allclose(p, 0.1), _("with all 10 scores equal each class has probability 0.1")

The body runs with numpy's overflow, invalid and divide errors raised (underflow ignored). On
success it prints "softmax: public checks passed"; otherwise it raises PublicCheckFailed with
one sentence saying what to fix: "`softmax` is not implemented yet", the stability hint for
softmax after a floating-point error, or the failed assertion's own message.

`_` translates through the course's gettext catalogs. The language is set_language(code), else
the environment variable AUTOGRADER_LANG, else English. Catalogs are looked up beside this file
(autograder-<lang>.mo, as the course ships it), then in an installed autograder package; with
none found, messages stay in English.
"""
from __future__ import annotations

import contextlib
import gettext
import os
from pathlib import Path
from typing import Iterator

import numpy as np

__all__ = ["PublicCheckFailed", "public_check", "set_language", "language", "_"]

DOMAIN = "autograder"
_CHOSEN: list[str] = []
_CATALOGS: dict[str, gettext.NullTranslations] = {}

STABILITY = {
    "softmax": "overflow in softmax: compute it stably, e.g. subtract the max logit first",
    "logsumexp": "overflow in logsumexp: subtract the max before exponentiating and add it "
                 "back after the log",
    "cross_entropy": "overflow in cross_entropy: work in log space (log-softmax via "
                     "logsumexp) instead of taking the log of a softmax",
    "soft_cross_entropy": "overflow in soft_cross_entropy: use log-softmax (scores minus "
                          "their logsumexp) instead of the log of a softmax",
    "kl_divergence": "a log of 0 in kl_divergence: terms with p = 0 contribute 0; skip them "
                     "(e.g. with np.where) instead of computing 0 * log 0",
    "sigmoid": "overflow in sigmoid: use exp(-x) for x >= 0 and exp(x) for x < 0, so that exp "
               "never gets a large positive argument",
    "bce": "a log of 0 in bce: clip the probabilities away from 0 and 1 before the log",
    "bce_with_logits": "overflow in bce_with_logits: use max(z, 0) - z * y + log1p(exp(-|z|)) "
                       "instead of a sigmoid followed by a log",
    "logistic_loss": "overflow in logistic_loss: compute the loss from the logits with "
                     "np.logaddexp(0, -z) instead of the log of a sigmoid",
    "softmax_loss_naive": "overflow in softmax_loss_naive: subtract each row's max score "
                          "before exponentiating",
    "softmax_loss_vectorized": "overflow in softmax_loss_vectorized: subtract each row's max "
                               "score (axis=1, keepdims=True) before exponentiating",
}
"""The stability hint of each graded function after a floating-point error in its check."""
STABILITY_OTHER = ("a floating-point error in {function} ({error}): rewrite the computation so "
                   "that nothing overflows, divides by 0 or takes log(0)")
NOT_IMPLEMENTED = "`{function}` is not implemented yet"
PASSED = "{function}: public checks passed"
FAILED_NO_MESSAGE = "a public check of `{function}` failed"


class PublicCheckFailed(AssertionError):
    """A public check failed; the message says what to fix."""


def set_language(code: str) -> None:
    """Use this language ("en" or "ko") for every later message."""
    _CHOSEN[:] = [str(code)]


def language() -> str:
    """set_language's choice, else AUTOGRADER_LANG, else "en"."""
    return (_CHOSEN or [os.environ.get("AUTOGRADER_LANG", "")])[0].strip() or "en"


def _(message: str) -> str:
    """The message in the current language (the English text when no catalog has it)."""
    return _catalog(language()).gettext(message)


def _catalog(lang: str) -> gettext.NullTranslations:
    if lang not in _CATALOGS:
        _CATALOGS[lang] = gettext.NullTranslations()
        for path in _candidates(lang):
            if path.is_file():
                with path.open("rb") as fp:
                    _CATALOGS[lang] = gettext.GNUTranslations(fp)
                break
    return _CATALOGS[lang]


def _candidates(lang: str) -> list[Path]:
    here = Path(__file__).resolve().parent
    found = [here / f"{DOMAIN}-{lang}.mo", here / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"]
    try:
        import autograder  # the grader's own catalogs, where the package is installed
    except ImportError:
        return found
    package = Path(autograder.__file__).resolve().parent
    return found + [package / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"]


def stability_hint(function: str, error: str) -> str:
    """What to do after numpy raised `error` inside the check of `function`."""
    if function in STABILITY:
        return _(STABILITY[function])
    return _(STABILITY_OTHER).format(function=function, error=error)


@contextlib.contextmanager
def public_check(function: str) -> Iterator[None]:
    """Check `function`: numpy errors raised, and a failure told as what to fix."""
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            yield
    except PublicCheckFailed:
        raise
    except NotImplementedError:
        message = _(NOT_IMPLEMENTED).format(function=function)
    except FloatingPointError as exc:
        message = stability_hint(function, str(exc))
    except AssertionError as exc:
        message = str(exc).strip() or _(FAILED_NO_MESSAGE).format(function=function)
    else:
        print(_(PASSED).format(function=function))
        return
    raise PublicCheckFailed(message) from None
