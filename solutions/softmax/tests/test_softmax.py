"""Hidden tests for the softmax assignment.

Inputs come from `rng` (the grading run's seed), so memorised values earn nothing; messages
describe the size of an error, never an input or an expected value.
"""
import numpy as np
import pytest

from autograder.checks import (as_array, as_float, assert_close, assert_not_mutated,
                               assert_stable, numerical_gradient, rel_error, CheckFailed)


def scores(rng, n=6, c=5, scale=3.0):
    return rng.normal(0.0, scale, size=(n, c))


# --- softmax -----------------------------------------------------------------------------

@pytest.mark.function("softmax")
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_softmax_random(student, reference, rng):
    """softmax matches the reference on random batches"""
    s = scores(rng)
    assert_close(student.softmax(s), reference.softmax(s), "softmax(scores)")
    v = rng.normal(size=7)
    assert_close(student.softmax(v), reference.softmax(v), "softmax of a 1-D vector")


@pytest.mark.function("softmax")
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_softmax_known(student):
    """softmax of equal scores is uniform"""
    assert_close(student.softmax(np.zeros(10)), np.full(10, 0.1), "softmax(zeros(10))")


@pytest.mark.function("softmax")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_softmax_stable(student, reference, rng):
    """softmax is stable at logits of magnitude 1000 and leaves its input alone"""
    s = rng.choice([-1000.0, 1000.0], size=(4, 3)) + rng.normal(size=(4, 3))
    out = student.run("softmax", s, fp=True)
    assert_not_mutated(out, "softmax", ["scores"])
    assert_close(assert_stable(out, "softmax(scores)"), reference.softmax(s), "softmax(scores)")


# --- logsumexp ---------------------------------------------------------------------------

@pytest.mark.function("logsumexp")
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_logsumexp_random(student, reference, rng):
    """logsumexp reduces the last axis"""
    s = scores(rng)
    assert_close(student.logsumexp(s), reference.logsumexp(s), "logsumexp(scores)")


@pytest.mark.function("logsumexp")
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_logsumexp_known(student):
    """logsumexp([1, 2, 3]) = 3.407606"""
    assert_close(student.logsumexp(np.array([1.0, 2.0, 3.0])), 3.40760596444438,
                 "logsumexp([1, 2, 3])")


@pytest.mark.function("logsumexp")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_logsumexp_stable(student, reference, rng):
    """logsumexp is stable at logits of magnitude 1000"""
    s = rng.choice([-1000.0, 1000.0], size=(3, 4))
    out = student.run("logsumexp", s, fp=True)
    assert_close(assert_stable(out, "logsumexp(scores)"), reference.logsumexp(s),
                 "logsumexp(scores)")


# --- cross_entropy -----------------------------------------------------------------------

@pytest.mark.function("cross_entropy")
@pytest.mark.points(1.5)
@pytest.mark.visibility("hidden")
def test_cross_entropy_random(student, reference, rng):
    """cross_entropy is the mean negative log-likelihood"""
    s = scores(rng)
    y = rng.integers(0, s.shape[1], size=s.shape[0])
    assert_close(student.cross_entropy(s, y), reference.cross_entropy(s, y),
                 "cross_entropy(scores, y)")


@pytest.mark.function("cross_entropy")
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_cross_entropy_log_c(student):
    """equal scores give log C"""
    assert_close(student.cross_entropy(np.zeros((3, 10)), np.array([1, 2, 3])), np.log(10),
                 "cross_entropy of equal scores")


@pytest.mark.function("cross_entropy")
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_cross_entropy_stable(student, reference, rng):
    """cross_entropy is exact at logits of magnitude 1000"""
    s = rng.choice([-1000.0, 1000.0], size=(5, 3)) + rng.normal(size=(5, 3))
    y = rng.integers(0, 3, size=5)
    out = student.run("cross_entropy", s, y, fp=True)
    assert_close(assert_stable(out, "cross_entropy"), reference.cross_entropy(s, y),
                 "cross_entropy(scores, y)")


# --- soft_cross_entropy ------------------------------------------------------------------

@pytest.mark.function("soft_cross_entropy")
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_soft_cross_entropy_random(student, reference, rng):
    """soft_cross_entropy with soft targets"""
    s = scores(rng)
    t = reference.softmax(rng.normal(size=s.shape))
    assert_close(student.soft_cross_entropy(s, t), reference.soft_cross_entropy(s, t),
                 "soft_cross_entropy(scores, targets)")


@pytest.mark.function("soft_cross_entropy")
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_soft_cross_entropy_known(student):
    """H(P, uniform) = log 4 for P = [0.2, 0.4, 0.1, 0.3]"""
    assert_close(student.soft_cross_entropy(np.zeros(4), np.array([0.2, 0.4, 0.1, 0.3])),
                 np.log(4), "soft_cross_entropy(zeros(4), P)")


@pytest.mark.function("soft_cross_entropy")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_soft_cross_entropy_stable(student, reference, rng):
    """soft_cross_entropy is stable at logits of magnitude 1000"""
    s = rng.choice([-1000.0, 1000.0], size=(4, 3))
    t = reference.softmax(rng.normal(size=s.shape))
    out = student.run("soft_cross_entropy", s, t, fp=True)
    assert_close(assert_stable(out, "soft_cross_entropy"), reference.soft_cross_entropy(s, t),
                 "soft_cross_entropy(scores, targets)")


# --- kl_divergence -----------------------------------------------------------------------

@pytest.mark.function("kl_divergence")
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_kl_random(student, reference, rng):
    """kl_divergence of random distributions"""
    p, q = reference.softmax(scores(rng)), reference.softmax(scores(rng))
    assert_close(student.kl_divergence(p, q), reference.kl_divergence(p, q), "kl_divergence(p, q)")


@pytest.mark.function("kl_divergence")
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_kl_known(student):
    """KL(P || uniform) = CE - H(P) = 0.106440"""
    assert_close(student.kl_divergence(np.array([0.2, 0.4, 0.1, 0.3]), np.full(4, 0.25)),
                 np.log(4) - 1.2798542258336676, "kl_divergence(P, uniform)")


@pytest.mark.function("kl_divergence")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_kl_zeros(student, reference, rng):
    """kl_divergence treats 0 log 0 as 0 without warnings"""
    p = reference.softmax(scores(rng))
    p[:, 0] = 0.0
    p /= p.sum(axis=-1, keepdims=True)
    q = reference.softmax(scores(rng))
    out = student.run("kl_divergence", p, q, fp=True)
    assert_close(assert_stable(out, "kl_divergence"), reference.kl_divergence(p, q),
                 "kl_divergence(p, q) with zeros in p")


# --- cross_entropy_grad ------------------------------------------------------------------

@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_grad_random(student, reference, rng):
    """cross_entropy_grad matches (softmax - onehot) / N"""
    s = scores(rng)
    y = rng.integers(0, s.shape[1], size=s.shape[0])
    assert_close(student.cross_entropy_grad(s, y), reference.cross_entropy_grad(s, y),
                 "cross_entropy_grad(scores, y)")


@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_grad_numerical(student, reference, rng):
    """cross_entropy_grad passes a numerical gradient check"""
    s = scores(rng, n=4, c=3, scale=1.0)
    y = rng.integers(0, 3, size=4)
    grad = as_array(student.cross_entropy_grad(s, y), "cross_entropy_grad(scores, y)", s.shape)
    numeric, _ = numerical_gradient(lambda pts: [reference.cross_entropy(p, y) for p in pts], s)
    err = rel_error(grad, numeric)
    if err > 1e-7:
        raise CheckFailed(f"cross_entropy_grad does not match a numerical gradient: relative "
                          f"error {err:.1e}, allowed 1e-07", observed=f"relative error {err:.1e}",
                          tolerance="relative error 1e-07")


@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_grad_known(student):
    """gradient at o = [1, 2, 3], y = 0"""
    assert_close(student.cross_entropy_grad(np.array([1.0, 2.0, 3.0]), 0),
                 [-0.9099694, 0.2447285, 0.6652410], "cross_entropy_grad([1, 2, 3], 0)",
                 rtol=1e-6)


@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_grad_stable(student, reference, rng):
    """cross_entropy_grad is stable at logits of magnitude 1000"""
    s = rng.choice([-1000.0, 1000.0], size=(3, 4))
    y = rng.integers(0, 4, size=3)
    out = student.run("cross_entropy_grad", s, y, fp=True)
    assert_close(assert_stable(out, "cross_entropy_grad"), reference.cross_entropy_grad(s, y),
                 "cross_entropy_grad(scores, y)")
