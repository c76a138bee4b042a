"""Hidden tests for the softmax assignment.

Inputs come from `rng` (the grading run's seed), so memorised values earn nothing; messages
describe the size of an error, never an input or an expected value. Per function: known
answers (visible), seeded random inputs against the reference, edge cases (N = 1, C = 2, one
class, 1-D input, integer scores, every integer dtype of labels), stability probes, the
gradient where there is one, and non-mutation. Failing outputs are matched against the
catalog in mistakes.py.
"""
from pathlib import Path

import numpy as np
import pytest

from autograder.runner import load_module
from autograder.checks import assert_unchanged
from autograder.checks import (assert_close, assert_gradient_matches, assert_stable, assert_stable_probes, gradient_mistakes,
                               trusted_losses)


mistakes = load_module(Path(__file__).with_name("mistakes.py"))

LABEL_DTYPES = (np.int8, np.uint8, np.int16, np.int32, np.int64, np.uint32)
"""Labels may come in any integer dtype."""
NOTES_SCORES = np.array([[10.0, -2.0, 3.0], [10.0, 9.0, 9.0], [10.0, -100.0, -100.0]])
"""The three score vectors of the notes (class 0 correct)."""
CAT_CAR_FROG = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
"""CS231n's cat/car/frog example: one row of scores per image, labels 0, 1, 2."""
P_NOTES = np.array([0.2, 0.4, 0.1, 0.3])


def scores(rng, n=6, c=5, scale=3.0):
    return rng.normal(0.0, scale, size=(n, c))


def labels(rng, n, c):
    return rng.integers(0, c, size=n)


def probabilities(rng, reference, n=6, c=5):
    return reference.softmax(rng.normal(0.0, 1.5, size=(n, c)))


def mutation_check(student, reference, fn, args, names):
    assert_unchanged(student, fn, args, names, getattr(reference, fn))


# --- softmax -----------------------------------------------------------------------------

@pytest.mark.function("softmax")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_softmax_known(student, reference):
    """softmax: known answers (equal scores, the three score vectors of the notes)"""
    assert_close(student.softmax(np.zeros(10)), np.full(10, 0.1), "softmax(zeros(10))",
                 mistakes=mistakes.softmax(np.zeros(10)))
    assert_close(student.softmax(NOTES_SCORES), reference.softmax(NOTES_SCORES),
                 "softmax of [[10, -2, 3], [10, 9, 9], [10, -100, -100]]",
                 mistakes=mistakes.softmax(NOTES_SCORES))


@pytest.mark.function("softmax")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_softmax_random(student, reference, rng):
    """softmax matches the reference on random batches"""
    s = scores(rng)
    assert_close(student.softmax(s), reference.softmax(s), "softmax(scores)",
                 mistakes=mistakes.softmax(s))


@pytest.mark.function("softmax")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_softmax_1d(student, reference, rng):
    """softmax of a 1-D score vector is a 1-D vector"""
    v = rng.normal(0.0, 3.0, size=7)
    assert_close(student.softmax(v), reference.softmax(v), "softmax of a 1-D vector",
                 mistakes=mistakes.softmax(v))


@pytest.mark.function("softmax")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_softmax_edges(student, reference, rng):
    """softmax with one example, with two classes and with integer scores"""
    cases = {"softmax of a single example (N = 1)": scores(rng, n=1, c=4),
             "softmax with two classes (C = 2)": scores(rng, n=5, c=2),
             "softmax of integer scores": rng.integers(-5, 6, size=(4, 3))}
    for what, s in cases.items():
        assert_close(student.softmax(s), reference.softmax(s), what,
                     mistakes=mistakes.softmax(s))


@pytest.mark.function("softmax")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_softmax_stable(student, reference, rng):
    """softmax is stable at logits of magnitude 1e3, with mixed signs and all equal"""
    assert_stable_probes(student, "softmax", lambda s: (s,), reference.softmax,
                         "softmax(scores)", rng=rng, shape=(6, 4),
                         mistakes_for=mistakes.softmax)


@pytest.mark.function("softmax")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_softmax_not_mutated(student, reference, rng):
    """softmax leaves its input unchanged"""
    mutation_check(student, reference, "softmax", (scores(rng),), ["scores"])


# --- logsumexp ---------------------------------------------------------------------------

@pytest.mark.function("logsumexp")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_logsumexp_known(student):
    """logsumexp([1, 2, 3]) = 3.407606 and ten equal scores of 0 give log 10"""
    v = np.array([1.0, 2.0, 3.0])
    assert_close(student.logsumexp(v), 3.40760596444438, "logsumexp([1, 2, 3])",
                 mistakes=mistakes.logsumexp(v))
    z = np.zeros((2, 10))
    assert_close(student.logsumexp(z), np.full(2, np.log(10)), "logsumexp(zeros((2, 10)))",
                 mistakes=mistakes.logsumexp(z))


@pytest.mark.function("logsumexp")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_logsumexp_random(student, reference, rng):
    """logsumexp reduces the last axis of a batch"""
    s = scores(rng)
    assert_close(student.logsumexp(s), reference.logsumexp(s), "logsumexp(scores)",
                 mistakes=mistakes.logsumexp(s))


@pytest.mark.function("logsumexp")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_logsumexp_1d(student, reference, rng):
    """logsumexp of a 1-D vector is a single float"""
    v = rng.normal(0.0, 3.0, size=7)
    assert_close(student.logsumexp(v), reference.logsumexp(v), "logsumexp of a 1-D vector",
                 mistakes=mistakes.logsumexp(v))


@pytest.mark.function("logsumexp")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_logsumexp_edges(student, reference, rng):
    """logsumexp with one example, with two classes and with integer scores"""
    cases = {"logsumexp of a single example (N = 1)": scores(rng, n=1, c=4),
             "logsumexp with two classes (C = 2)": scores(rng, n=5, c=2),
             "logsumexp of integer scores": rng.integers(-5, 6, size=(4, 3))}
    for what, s in cases.items():
        assert_close(student.logsumexp(s), reference.logsumexp(s), what,
                     mistakes=mistakes.logsumexp(s))


@pytest.mark.function("logsumexp")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_logsumexp_stable(student, reference, rng):
    """logsumexp is stable at logits of magnitude 1e3, with mixed signs and all equal"""
    assert_stable_probes(student, "logsumexp", lambda s: (s,), reference.logsumexp,
                         "logsumexp(scores)", rng=rng, shape=(6, 4),
                         mistakes_for=mistakes.logsumexp, hint=mistakes.LSE_SHIFT)


@pytest.mark.function("logsumexp")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_logsumexp_not_mutated(student, reference, rng):
    """logsumexp leaves its input unchanged"""
    mutation_check(student, reference, "logsumexp", (scores(rng),), ["scores"])


# --- cross_entropy -----------------------------------------------------------------------

@pytest.mark.function("cross_entropy")
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_cross_entropy_known(student, reference):
    """cross_entropy: equal scores give log C; the notes' score vectors; cat, car and frog"""
    y = np.array([1, 2, 3])
    assert_close(student.cross_entropy(np.zeros((3, 10)), y), np.log(10),
                 "cross_entropy of equal scores (log 10)",
                 mistakes=mistakes.cross_entropy(np.zeros((3, 10)), y))
    y0 = np.zeros(3, dtype=np.int64)
    assert_close(student.cross_entropy(NOTES_SCORES, y0), reference.cross_entropy(NOTES_SCORES, y0),
                 "cross_entropy of the notes' three score vectors with y = 0 (mean 0.184121)",
                 mistakes=mistakes.cross_entropy(NOTES_SCORES, y0))
    for i, name in enumerate(["cat", "car", "frog"]):
        assert_close(student.cross_entropy(CAT_CAR_FROG[i], i),
                     reference.cross_entropy(CAT_CAR_FROG[i], i),
                     f"cross_entropy of the {name} image (1-D scores, label {i})",
                     mistakes=mistakes.cross_entropy(CAT_CAR_FROG[i], i))


@pytest.mark.function("cross_entropy")
@pytest.mark.points(0.75)
@pytest.mark.visibility("hidden")
def test_cross_entropy_random(student, reference, rng):
    """cross_entropy is the mean negative log-likelihood on random batches"""
    s = scores(rng)
    y = labels(rng, *s.shape)
    assert_close(student.cross_entropy(s, y), reference.cross_entropy(s, y),
                 "cross_entropy(scores, y)", mistakes=mistakes.cross_entropy(s, y))


@pytest.mark.function("cross_entropy")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_cross_entropy_1d(student, reference, rng):
    """cross_entropy of 1-D scores takes a single integer label (Python or numpy)"""
    v = rng.normal(0.0, 3.0, size=6)
    for label in (int(rng.integers(0, 6)), np.int8(rng.integers(0, 6))):
        assert_close(student.cross_entropy(v, label), reference.cross_entropy(v, label),
                     "cross_entropy of 1-D scores with a single label",
                     mistakes=mistakes.cross_entropy(v, label))


@pytest.mark.function("cross_entropy")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_cross_entropy_edges(student, reference, rng):
    """cross_entropy with N = 1, C = 2, one class for every example, any integer label dtype"""
    one = scores(rng, n=1, c=4)
    two = scores(rng, n=5, c=2)
    same = scores(rng, n=5, c=4)
    cases = [("cross_entropy of a single example (N = 1)", one, labels(rng, 1, 4)),
             ("cross_entropy with two classes (C = 2)", two, labels(rng, 5, 2)),
             ("cross_entropy with every example in the same class", same,
              np.full(5, rng.integers(0, 4))),
             ("cross_entropy of integer scores", rng.integers(-5, 6, size=(4, 3)),
              labels(rng, 4, 3))]
    s = scores(rng)
    y = labels(rng, *s.shape)
    cases += [(f"cross_entropy with labels of dtype {np.dtype(t).name}", s, y.astype(t))
              for t in LABEL_DTYPES]
    for what, s, y in cases:
        assert_close(student.cross_entropy(s, y), reference.cross_entropy(s, y), what,
                     mistakes=mistakes.cross_entropy(s, y))


@pytest.mark.function("cross_entropy")
@pytest.mark.points(0.75)
@pytest.mark.visibility("hidden")
def test_cross_entropy_stable(student, reference, rng):
    """cross_entropy is exact at logits of magnitude 1e3, with mixed signs and all equal"""
    y = labels(rng, 6, 4)

    def args_for(s):
        # every other example is confidently wrong (label at its lowest score): there a clipped
        # or underflowed probability cannot give the exact loss
        return s, np.where(np.arange(6) % 2 == 0, np.argmin(s, axis=1), y)
    assert_stable_probes(student, "cross_entropy", args_for, reference.cross_entropy,
                         "cross_entropy(scores, y)", rng=rng, shape=(6, 4),
                         mistakes_for=mistakes.cross_entropy)


@pytest.mark.function("cross_entropy")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_cross_entropy_not_mutated(student, reference, rng):
    """cross_entropy leaves its inputs unchanged"""
    s = scores(rng)
    mutation_check(student, reference, "cross_entropy", (s, labels(rng, *s.shape)), ["scores", "y"])


# --- soft_cross_entropy ------------------------------------------------------------------

@pytest.mark.function("soft_cross_entropy")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_soft_cross_entropy_known(student):
    """H(P, uniform) = log 4 and H(P, P) = H(P) = 1.279854 for P = [0.2, 0.4, 0.1, 0.3]"""
    assert_close(student.soft_cross_entropy(np.zeros(4), P_NOTES), np.log(4),
                 "soft_cross_entropy(zeros(4), P)",
                 mistakes=mistakes.soft_cross_entropy(np.zeros(4), P_NOTES))
    assert_close(student.soft_cross_entropy(np.log(P_NOTES), P_NOTES), 1.2798542258336676,
                 "soft_cross_entropy(log P, P)",
                 mistakes=mistakes.soft_cross_entropy(np.log(P_NOTES), P_NOTES))


@pytest.mark.function("soft_cross_entropy")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_soft_cross_entropy_random(student, reference, rng):
    """soft_cross_entropy with soft targets on random batches"""
    s = scores(rng)
    t = probabilities(rng, reference, *s.shape)
    assert_close(student.soft_cross_entropy(s, t), reference.soft_cross_entropy(s, t),
                 "soft_cross_entropy(scores, targets)",
                 mistakes=mistakes.soft_cross_entropy(s, t))


@pytest.mark.function("soft_cross_entropy")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_soft_cross_entropy_onehot(student, reference, rng):
    """with one-hot targets soft_cross_entropy is the ordinary cross-entropy"""
    s = scores(rng)
    t = np.eye(s.shape[1])[labels(rng, *s.shape)]
    assert_close(student.soft_cross_entropy(s, t), reference.soft_cross_entropy(s, t),
                 "soft_cross_entropy with one-hot targets",
                 mistakes=mistakes.soft_cross_entropy(s, t))


@pytest.mark.function("soft_cross_entropy")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_soft_cross_entropy_edges(student, reference, rng):
    """soft_cross_entropy of 1-D input, N = 1, C = 2 and one class for every example"""
    one_class = np.zeros((5, 4))
    one_class[:, rng.integers(0, 4)] = 1.0
    cases = [("soft_cross_entropy of 1-D input", rng.normal(0, 3, 6),
              probabilities(rng, reference, 1, 6)[0]),
             ("soft_cross_entropy of a single example (N = 1)", scores(rng, n=1, c=4),
              probabilities(rng, reference, 1, 4)),
             ("soft_cross_entropy with two classes (C = 2)", scores(rng, n=5, c=2),
              probabilities(rng, reference, 5, 2)),
             ("soft_cross_entropy with every example in the same class",
              scores(rng, n=5, c=4), one_class)]
    for what, s, t in cases:
        assert_close(student.soft_cross_entropy(s, t), reference.soft_cross_entropy(s, t),
                     what, mistakes=mistakes.soft_cross_entropy(s, t))


@pytest.mark.function("soft_cross_entropy")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_soft_cross_entropy_stable(student, reference, rng):
    """soft_cross_entropy is exact at logits of magnitude 1e3, mixed signs and all equal"""
    t = probabilities(rng, reference, 6, 4)
    assert_stable_probes(student, "soft_cross_entropy", lambda s: (s, t),
                         reference.soft_cross_entropy, "soft_cross_entropy(scores, targets)",
                         rng=rng, shape=(6, 4), mistakes_for=mistakes.soft_cross_entropy)


@pytest.mark.function("soft_cross_entropy")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_soft_cross_entropy_not_mutated(student, reference, rng):
    """soft_cross_entropy leaves its inputs unchanged"""
    s = scores(rng)
    mutation_check(student, reference,
                   "soft_cross_entropy", (s, probabilities(rng, reference, *s.shape)),
                   ["scores", "targets"])


# --- kl_divergence -----------------------------------------------------------------------

@pytest.mark.function("kl_divergence")
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_kl_known(student):
    """KL(P || uniform) = CE - H(P) = 0.106440, and KL(P || P) = 0"""
    uniform = np.full(4, 0.25)
    assert_close(student.kl_divergence(P_NOTES, uniform), np.log(4) - 1.2798542258336676,
                 "kl_divergence(P, uniform)",
                 mistakes=mistakes.kl_divergence(P_NOTES, uniform))
    assert_close(student.kl_divergence(P_NOTES, P_NOTES), 0.0, "kl_divergence(P, P)",
                 mistakes=mistakes.kl_divergence(P_NOTES, P_NOTES))


@pytest.mark.function("kl_divergence")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_kl_random(student, reference, rng):
    """kl_divergence of random distributions, averaged over rows"""
    p, q = probabilities(rng, reference), probabilities(rng, reference)
    assert_close(student.kl_divergence(p, q), reference.kl_divergence(p, q),
                 "kl_divergence(p, q)", mistakes=mistakes.kl_divergence(p, q))


@pytest.mark.function("kl_divergence")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_kl_zeros(student, reference, rng):
    """kl_divergence treats 0 log 0 as 0, without warnings"""
    p = probabilities(rng, reference)
    p[rng.random(p.shape) < 0.4] = 0.0
    p[:, 0] = np.where(p.sum(axis=1) == 0, 1.0, p[:, 0])
    p /= p.sum(axis=1, keepdims=True)
    q = probabilities(rng, reference)
    out = student.run("kl_divergence", p, q, fp=True)
    value = assert_stable(out, "kl_divergence(p, q) with zeros in p", fn="kl_divergence",
                          hint=mistakes.KL_ZERO)
    assert_close(value, reference.kl_divergence(p, q), "kl_divergence(p, q) with zeros in p",
                 mistakes=mistakes.kl_divergence(p, q))


@pytest.mark.function("kl_divergence")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_kl_onehot(student, reference, rng):
    """kl_divergence of one-hot p (every example in the same class) is -log q_y"""
    q = probabilities(rng, reference, 5, 4)
    p = np.zeros((5, 4))
    p[:, rng.integers(0, 4)] = 1.0
    out = student.run("kl_divergence", p, q, fp=True)
    value = assert_stable(out, "kl_divergence with one-hot p", fn="kl_divergence",
                          hint=mistakes.KL_ZERO)
    assert_close(value, reference.kl_divergence(p, q), "kl_divergence with one-hot p",
                 mistakes=mistakes.kl_divergence(p, q))


@pytest.mark.function("kl_divergence")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_kl_edges(student, reference, rng):
    """kl_divergence of 1-D input, N = 1, C = 2, and of p with itself"""
    p = probabilities(rng, reference)
    cases = [("kl_divergence of 1-D input", probabilities(rng, reference, 1, 6)[0],
              probabilities(rng, reference, 1, 6)[0]),
             ("kl_divergence of a single row (N = 1)", probabilities(rng, reference, 1, 4),
              probabilities(rng, reference, 1, 4)),
             ("kl_divergence with two classes (C = 2)", probabilities(rng, reference, 5, 2),
              probabilities(rng, reference, 5, 2)),
             ("kl_divergence(p, p)", p, p.copy())]
    for what, p, q in cases:
        assert_close(student.kl_divergence(p, q), reference.kl_divergence(p, q), what,
                     mistakes=mistakes.kl_divergence(p, q))


@pytest.mark.function("kl_divergence")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_kl_not_mutated(student, reference, rng):
    """kl_divergence leaves its inputs unchanged"""
    p = probabilities(rng, reference)
    p[:, 0] = 0.0
    p /= p.sum(axis=1, keepdims=True)
    mutation_check(student, reference,
                   "kl_divergence", (p, probabilities(rng, reference)), ["p", "q"])


# --- cross_entropy_grad ------------------------------------------------------------------

@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("visible")
def test_grad_known(student, reference):
    """gradient at o = [1, 2, 3], y = 0 is [-0.909969, 0.244728, 0.665241]"""
    o = np.array([1.0, 2.0, 3.0])
    assert_close(student.cross_entropy_grad(o, 0), reference.cross_entropy_grad(o, 0),
                 "cross_entropy_grad([1, 2, 3], 0)",
                 mistakes=mistakes.cross_entropy_grad(o, 0))
    batch, y = np.stack([o, o]), np.array([0, 0])
    assert_close(student.cross_entropy_grad(batch, y), reference.cross_entropy_grad(batch, y),
                 "cross_entropy_grad of two copies of [1, 2, 3] (each row divided by N = 2)",
                 mistakes=mistakes.cross_entropy_grad(batch, y))


@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_grad_random(student, reference, rng):
    """cross_entropy_grad matches (softmax - onehot) / N on random batches"""
    s = scores(rng)
    y = labels(rng, *s.shape)
    assert_close(student.cross_entropy_grad(s, y), reference.cross_entropy_grad(s, y),
                 "cross_entropy_grad(scores, y)", mistakes=mistakes.cross_entropy_grad(s, y))


@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_grad_numerical(student, reference, rng):
    """cross_entropy_grad passes a full numerical gradient check of the cross-entropy"""
    s = scores(rng, n=4, c=3, scale=1.0)
    y = labels(rng, 4, 3)
    assert_gradient_matches(student.cross_entropy_grad(s, y), s,
                            trusted_losses(lambda p: reference.cross_entropy(p, y)),
                            "cross_entropy_grad(scores, y)", threshold=1e-7,
                            mistakes=gradient_mistakes(4))


@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_grad_1d(student, reference, rng):
    """cross_entropy_grad of 1-D scores and a single label has the shape of the scores"""
    v = rng.normal(0.0, 3.0, size=6)
    for label in (int(rng.integers(0, 6)), np.uint8(rng.integers(0, 6))):
        assert_close(student.cross_entropy_grad(v, label),
                     reference.cross_entropy_grad(v, label),
                     "cross_entropy_grad of 1-D scores with a single label",
                     mistakes=mistakes.cross_entropy_grad(v, label))


@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_grad_edges(student, reference, rng):
    """cross_entropy_grad with N = 1, C = 2, one class for every example, any label dtype"""
    cases = [("cross_entropy_grad of a single example (N = 1)", scores(rng, n=1, c=4),
              labels(rng, 1, 4)),
             ("cross_entropy_grad with two classes (C = 2)", scores(rng, n=5, c=2),
              labels(rng, 5, 2)),
             ("cross_entropy_grad with every example in the same class",
              scores(rng, n=5, c=4), np.full(5, rng.integers(0, 4))),
             ("cross_entropy_grad of integer scores", rng.integers(-5, 6, size=(4, 3)),
              labels(rng, 4, 3))]
    s = scores(rng)
    y = labels(rng, *s.shape)
    cases += [(f"cross_entropy_grad with labels of dtype {np.dtype(t).name}", s, y.astype(t))
              for t in LABEL_DTYPES]
    for what, s, y in cases:
        assert_close(student.cross_entropy_grad(s, y), reference.cross_entropy_grad(s, y),
                     what, mistakes=mistakes.cross_entropy_grad(s, y))


@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_grad_stable(student, reference, rng):
    """cross_entropy_grad is stable at logits of magnitude 1e3, mixed signs and all equal"""
    y = labels(rng, 6, 4)
    assert_stable_probes(student, "cross_entropy_grad", lambda s: (s, y),
                         reference.cross_entropy_grad, "cross_entropy_grad(scores, y)",
                         rng=rng, shape=(6, 4), mistakes_for=mistakes.cross_entropy_grad)


@pytest.mark.function("cross_entropy_grad")
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_grad_not_mutated(student, reference, rng):
    """cross_entropy_grad leaves its inputs unchanged"""
    s = scores(rng)
    mutation_check(student, reference,
                   "cross_entropy_grad", (s, labels(rng, *s.shape)), ["scores", "y"])
