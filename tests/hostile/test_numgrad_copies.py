"""numerical_gradient on copies: the spec says it perturbs x in place and restores it.

A numerical gradient that evaluates f on perturbed copies, never touching x, gives the right
numbers and leaves x unchanged, so checks of the values and of "x is restored" alone pass it.
A safe grader hands it an f that answers only for the very array x it was given: the copying
version loses exactly the points of the in-place convention, like an honest version that
restores x by adding and subtracting h (which is not exact).
"""
from pathlib import Path

import pytest

from .conftest import copy_course, needs_bwrap

pytestmark = needs_bwrap

VARIANTS = Path(__file__).resolve().parents[1] / "variants" / "softmax_classifier"


def cell(name: str) -> str:
    return (VARIANTS / f"{name}.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def classifier_course(tmp_path_factory):
    return copy_course(tmp_path_factory.mktemp("smc-course"), assignment="softmax_classifier")


def test_a_numerical_gradient_on_copies_loses_the_in_place_points(submission, grade_batch,
                                                                  classifier_course):
    """Does the copying numerical_gradient earn what an honest add-and-subtract one earns?"""
    attacks = {
        "copies": submission("softmax_classifier", name="copies",
                             replace={"smc-gradcheck-impl": cell("gradcheck_copies")}),
        "twin": submission("softmax_classifier", name="twin",
                           replace={"smc-gradcheck-impl": cell("gradcheck_add_subtract")}),
    }
    batch = grade_batch(classifier_course, attacks, budget=120)
    batch.earns_like("copies", "twin")
    lost = {c.id.split("::")[-1] for c in batch.reports["copies"].checks if c.score < c.points}
    assert lost == {"test_numgrad_restores_x"}
