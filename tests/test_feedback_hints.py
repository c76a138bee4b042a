"""Feedback that teaches: for common real mistakes, what a student sees at the default levels
(before the due date: visible checks in detail, hidden checks at the hint level) names the
mistake, without a hidden input's size or value.

Each submission is the solution notebook with one function edited the way students get it
wrong; the student-facing feedback page is rendered through disclosure.py as `grade` writes it.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from autograder.reports import feedback
from conftest import solution_sources

NAIVE, VECTORIZED = "svm-naive-impl", "svm-vectorized-impl"


def edited(course, assignment: str, grade_id: str, *changes: tuple[str, str]) -> dict[str, str]:
    """The solution's cell `grade_id` with each (old, new) replaced (each must occur)."""
    source = solution_sources(course.assignment(assignment))[grade_id]
    for old, new in changes:
        assert old in source, f"{old!r} not in the solution of {grade_id}"
        source = source.replace(old, new)
    return {grade_id: source}


@pytest.fixture
def student_sees(course, grade, submission):
    """Grade an edited solution; return (student feedback text, report)."""
    def run(assignment: str, cells: dict[str, str], lang: str = "en"):
        a = course.assignment(assignment)
        report = grade(a, submission(assignment, replace=cells), seed=11)
        page = feedback.build(report, due=a.due, now=a.due - dt.timedelta(days=1),
                              policy=course.disclosure, title=a.title, lang=lang)
        return feedback.markdown(page).replace("\\", ""), report
    return run


def no_count(text: str, report) -> None:
    """No hint names how many examples a hidden input had."""
    hints = " ".join(c.hint for c in report.checks if c.visibility == "hidden" and c.hint)
    assert not re.search(r"\b\d+ (times|examples)\b", hints), hints


def test_half_reg_convention(student_sees, course):
    """0.5 * reg * ΣW² in the loss (and reg * W in the gradient): is the convention named, in
    English and in Korean?"""
    cells = edited(course, "svm", VECTORIZED,
                   ("+ reg * np.sum(W * W)", "+ 0.5 * reg * np.sum(W * W)"),
                   ("+ 2 * reg * W", "+ reg * W"))
    text, report = student_sees("svm", cells)
    assert "uses 0.5 * reg * sum(W * W); this course uses reg * sum(W * W)" in text
    assert "not awarded: the value is wrong (see svm_loss_vectorized: the loss on random" in text
    no_count(text, report)
    korean, _ = student_sees("svm", cells, lang="ko")
    assert "이 강의에서는 0.5 없이 reg * sum(W * W)를 사용합니다" in korean
    assert "점수 없음: 함수의 값이 틀렸습니다" in korean


def test_missing_factor_two_in_the_reg_gradient(student_sees, course):
    """dW = ... + reg * W: is the factor of the regularization gradient named?"""
    text, report = student_sees("svm", edited(course, "svm", VECTORIZED,
                                              ("+ 2 * reg * W", "+ reg * W")))
    assert "the gradient of reg * sum(W * W) is 2 * reg * W; yours has the wrong factor" in text
    no_count(text, report)


def test_log_of_a_shifted_softmax(student_sees, course):
    """-log(p) of a max-shifted softmax gives inf at logits of 1e3: is log space named?"""
    source = '''def cross_entropy(scores, y):
    """A stable softmax, then -log of the correct class's probability."""
    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    labels = np.asarray(y).reshape(-1)
    e = np.exp(s - np.max(s, axis=-1, keepdims=True))
    p = e / np.sum(e, axis=-1, keepdims=True)
    return float(np.mean(-np.log(p[np.arange(s.shape[0]), labels])))
'''
    text, report = student_sees("softmax", {"cross-entropy-impl": source})
    stable = [c for c in report.checks if c.id.endswith("test_cross_entropy_stable")]
    assert stable and stable[0].score == 0 and not stable[0].charged_to
    assert "stay in log space" in text and "is not numerically stable" in text


def test_no_max_shift(student_sees, course):
    """exp of the raw logits: is the overflow and its fix named?"""
    source = '''def softmax(scores):
    """Softmax without the max shift."""
    e = np.exp(np.asarray(scores, dtype=np.float64))
    return e / np.sum(e, axis=-1, keepdims=True)
'''
    text, _ = student_sees("softmax", {"softmax-impl": source})
    assert "shift by the maximum before exponentiating" in text
    assert "overflow encountered" in text


def test_greater_or_equal_at_the_svm_kink(student_sees, course):
    """margin >= 0: is the > 0 convention at the kink named?"""
    text, _ = student_sees("svm", edited(course, "svm", NAIVE,
                                         ("if margin > 0:", "if margin >= 0:")))
    assert "use margin > 0, not >= 0" in text


def test_counting_the_correct_class(student_sees, course):
    """Summing over j = y_i too: is the extra 1 per example named?"""
    text, report = student_sees("svm", edited(course, "svm", NAIVE, (
        "            if j == y[i]:\n                continue\n", "")))
    assert "did you also sum over j = y_i" in text
    no_count(text, report)


def test_regularization_added_before_dividing_by_n(student_sees, course):
    """(data + reg ΣW²) / N: does the measured hint say the regularization is divided by N?"""
    text, report = student_sees("svm", edited(
        course, "svm", VECTORIZED,
        ("loss = np.sum(np.maximum(0.0, margins)) / num_train + reg * np.sum(W * W)",
         "loss = (np.sum(np.maximum(0.0, margins)) + reg * np.sum(W * W)) / num_train"),
        ("dW = X.T @ grad_scores / num_train + 2 * reg * W",
         "dW = (X.T @ grad_scores + 2 * reg * W) / num_train")))
    assert "the regularization term is divided by N: add it after averaging" in text
    no_count(text, report)


def test_regularization_before_the_mean_in_the_softmax_classifier(student_sees, course):
    """The same order-of-operations mistake in softmax_loss_vectorized: measured and named?"""
    text, report = student_sees("softmax_classifier", edited(
        course, "softmax_classifier", "smc-vectorized-impl",
        ("loss = np.mean(log_sums - shifted[rows, y]) + reg * np.sum(W * W)",
         "loss = (np.sum(log_sums - shifted[rows, y]) + reg * np.sum(W * W)) / num_train"),
        ("dW = X.T @ grad_scores / num_train + 2 * reg * W",
         "dW = (X.T @ grad_scores + 2 * reg * W) / num_train")))
    assert "the regularization term is divided by N: add it after averaging" in text
    no_count(text, report)


def test_reg_missing_from_the_loss(student_sees, course):
    """ΣW² added without reg: does the measured hint say so?"""
    text, _ = student_sees("svm", edited(course, "svm", VECTORIZED,
                                         ("+ reg * np.sum(W * W)", "+ np.sum(W * W)"),
                                         ("+ 2 * reg * W", "+ 2 * W")))
    assert "your loss adds ΣW² without multiplying it by reg" in text


def test_loop_in_the_vectorized_function_with_a_wrong_value(student_sees, course):
    """A loop and a wrong value: does the no-loop check report the loop with its line, and the
    value checks the value?"""
    text, report = student_sees("svm", edited(
        course, "svm", VECTORIZED,
        ("margins = scores - correct_scores[:, None] + 1.0",
         "margins = np.zeros(scores.shape)\n    for i in range(num_train):\n"
         "        margins[i] = scores[i] - correct_scores[i] + 1.0"),
        ("+ 2 * reg * W", "+ reg * W")))
    loops = [c for c in report.checks if c.id.endswith("test_vectorized_no_loops")][0]
    assert loops.score == 0 and not loops.charged_to
    assert "must be vectorized but uses a `for` loop (line" in text
    assert "yours has the wrong factor" in text


def test_sum_instead_of_mean(student_sees, course):
    """The data loss summed over the examples: is it named without the number of examples?"""
    text, report = student_sees("svm", edited(
        course, "svm", VECTORIZED,
        ("np.sum(np.maximum(0.0, margins)) / num_train", "np.sum(np.maximum(0.0, margins))")))
    assert "too large by a factor of the number of examples: did you sum over the examples" \
        in text
    no_count(text, report)


def test_a_correct_solution_gets_no_hint(student_sees, course):
    """Does the solution itself trigger no catalog or measured hint anywhere?"""
    for assignment in ("svm", "softmax"):
        _, report = student_sees(assignment, {})
        assert all(c.status == "passed" for c in report.checks)
        assert not [c.hint for c in report.checks if c.hint]
