"""Determinism: the same submission graded twice, and a batch graded with one or two jobs.

Inputs come from the run's seed and each test's name, the worker starts fresh for every
submission, and messages never mention how long something took, so grading is a function of
(submission, seed): per-check scores, statuses and messages, the recorded seed and the
gradebook do not depend on the run, on the order of a batch or on how many processes share it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder.grading import grade_many, grade_submission
from autograder.reports import gradebook
from conftest import needs_bwrap

pytestmark = needs_bwrap

WRONG = "import numpy as np\n\ndef softmax(scores):\n    return np.exp(np.asarray(scores, float))\n"
SEED = 4242


@pytest.fixture
def mix(submission) -> list[Path]:
    """Correct, wrong, missing, tampering, crashing and untouched submissions."""
    return [
        submission("softmax", name="correct"),
        submission("softmax", name="wrong", replace={"softmax-impl": WRONG}),
        submission("softmax", name="missing", replace={"logsumexp-impl": "pass\n"}),
        submission("softmax", name="tamper", replace={"softmax-impl": WRONG},
                   append=["import numpy as np\nnp.allclose = lambda *a, **k: True\n"]),
        submission("softmax", name="crash", replace={"cross-entropy-impl":
                   "import os\ndef cross_entropy(scores, y):\n    os._exit(3)\n"}),
    ]


def outcome(report) -> tuple:
    """Everything about a graded submission that must not depend on the run."""
    return (report.seed, report.score, tuple((f.function, f.score) for f in report.functions),
            tuple((c.id, c.score, c.status, c.message, c.hint, c.observed, c.tolerance)
                  for c in report.checks),
            tuple((c.label, c.status, c.message) for c in report.cells), report.problem)


def test_grading_twice_gives_identical_results(course, tier, mix):
    """Does a second grading with the same seed repeat every score, message and the seed?"""
    a = course.assignment("softmax")
    first = [grade_submission(a, p, seed=SEED, tier=tier) for p in mix]
    second = [grade_submission(a, p, seed=SEED, tier=tier) for p in mix]
    for one, two in zip(first, second):
        assert outcome(one) == outcome(two), one.submission
        assert one.seed == SEED
    assert len({r.score for r in first}) > 2  # the mix is not trivially uniform


def test_another_seed_draws_other_inputs(course, tier, mix):
    """Is the seed really what the inputs depend on (a wrong function's error changes)?"""
    a = course.assignment("softmax")
    one = grade_submission(a, mix[1], seed=SEED, tier=tier)
    two = grade_submission(a, mix[1], seed=SEED + 1, tier=tier)
    assert two.seed == SEED + 1
    assert [c.observed for c in one.checks] != [c.observed for c in two.checks]


def test_one_job_and_two_jobs_give_the_same_gradebook(course, tier, mix, tmp_path):
    """Does grades.csv come out byte for byte the same with --jobs 1 and --jobs 2?"""
    a = course.assignment("softmax")
    books, outcomes = [], []
    for jobs in (1, 2):
        reports = grade_many(a, mix, seed=SEED, tier=tier, jobs=jobs)
        gradebook.write(reports, tmp_path / f"grades-{jobs}.csv")
        books.append((tmp_path / f"grades-{jobs}.csv").read_text())
        outcomes.append([outcome(r) for r in reports])
    assert books[0] == books[1]
    assert books[0].count("\n") == len(mix) + 1
    assert outcomes[0] == outcomes[1]
