"""Public self-checks for the course notebooks (English messages).

    with public_check("softmax"):
        p = softmax(np.zeros(10))
        assert np.allclose(p, 0.1), _("With all 10 scores equal every class has probability 0.1.")

The body runs with numpy's overflow, invalid-value and divide-by-zero warnings raised as
errors. On success it prints "softmax: public checks passed"; a stub's NotImplementedError
is raised again as "`softmax` is not implemented yet" (the check has not passed); a
FloatingPointError becomes an AssertionError with a stability hint.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


def _(message: str) -> str:
    """Mark a check message for translation (this version keeps the English text)."""
    return message


STABILITY_HINT = _(
    "`{name}` overflowed or produced an invalid value ({error}). Subtract the maximum logit "
    "before exponentiating, or stay in log space.")


@contextmanager
def public_check(name: str) -> Iterator[None]:
    """Run the public checks of the graded function `name` and report their outcome."""
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            yield
    except NotImplementedError:
        raise NotImplementedError(_("`{name}` is not implemented yet").format(name=name)) from None
    except FloatingPointError as error:
        message = STABILITY_HINT.format(name=name, error=error)
        raise AssertionError(message) from None
    print(_("{name}: public checks passed").format(name=name))
