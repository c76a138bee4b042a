"""Hidden tests for the regularization assignment: l2_penalty, l1_penalty,
elastic_net_penalty, train_linear_classifier and predict.

Inputs come from `rng` (the grading run's seed), so memorised values earn nothing. Messages
describe the size of an error, never an input or an expected value; a matching entry of the
catalog in mistakes.py adds a hint that names the mistake. Training runs get their loss_fn
from the worker's registry (wire.Fn("softmax_loss")), and the reference repeats the spec's
recipe with the same loss here: the weights and losses must agree bit for bit.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.runner import load_module
from autograder import wire
from autograder.proxy import StudentError
from autograder.checks import (CheckFailed, as_float, as_pair, as_training,
                               assert_accuracy, assert_close, assert_gradient,
                               assert_not_mutated, assert_reg_shrinks, assert_same_weights,
                               assert_unchanged, near_l1_kink, value_of)


mistakes = load_module(Path(__file__).with_name("mistakes.py"))

L2, L1, EN = "l2_penalty", "l1_penalty", "elastic_net_penalty"
TRAIN, PREDICT = "train_linear_classifier", "predict"
LOSS_FN = wire.Fn("softmax_loss")
"""The loss every training check hands to the student: built by the worker from its registry."""
W_SMALL = np.array([[1.0, -2.0], [0.0, 3.0]])


# --- penalties: helpers ------------------------------------------------------------------------


def weights(rng, shape=(5, 4), zeros=0):
    """Random weights of both signs, none near 0 unless `zeros` entries are set exactly to 0."""
    W = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.05, 2.0, size=shape)
    if zeros:
        W.flat[rng.choice(W.size, zeros, replace=False)] = 0.0
    return W


def check_penalty(student, reference, fn, args, what):
    """Value and gradient of a penalty against the reference, with the catalog's hints."""
    catalog = {L2: mistakes.l2_mistakes, L1: mistakes.l1_mistakes, EN: mistakes.elastic_mistakes}
    value, grad = as_pair(getattr(student, fn)(*args), fn)
    expected_value, expected_grad = getattr(reference, fn)(*args)
    value_mistakes, grad_mistakes = catalog[fn](*args)
    assert_close(as_float(value, f"the value of {fn}{what}"), expected_value,
                 f"the value of {fn}{what}", mistakes=value_mistakes)
    assert_close(grad, expected_grad, f"the gradient of {fn}{what}", mistakes=grad_mistakes)


def random_penalties(student, reference, rng, fn, extra=()):
    for shape in ((5, 4), (7,)):
        W = weights(rng, shape)
        args = (W, float(rng.uniform(0.01, 2.0)), *extra)
        check_penalty(student, reference, fn, args, f" of a {len(shape)}-D W")


def not_mutated(student, reference, rng, fn, extra=()):
    """W unchanged, and the right value (a wrong function earns nothing here)."""
    assert_unchanged(student, fn, (weights(rng, zeros=2), 0.3, *extra), ["W", "reg", "beta"],
                     getattr(reference, fn))


def numerical(student, reference, rng, fn, extra=()):
    """The penalty's gradient against centered differences of its own value (kinks skipped).

    The value must be right first: a wrong penalty with a consistent gradient (say, 0 and 0)
    earns nothing here.
    """
    W = rng.normal(size=(4, 3))
    args = (W, float(rng.uniform(0.1, 1.0)), *extra)
    value, grad = as_pair(getattr(student, fn)(*args), fn)
    assert_close(as_float(value, f"the value of {fn}"), getattr(reference, fn)(*args)[0],
                 f"the value of {fn}")
    assert_gradient(student, fn, args, 0, grad, select=0, threshold=1e-7,
                    skip=near_l1_kink(W), reference=getattr(reference, fn))


# --- l2_penalty --------------------------------------------------------------------------------


@pytest.mark.function(L2)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_l2_random(student, reference, rng):
    """l2_penalty: value and gradient on random weights (2-D and 1-D)"""
    random_penalties(student, reference, rng, L2)


@pytest.mark.function(L2)
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_l2_known(student, reference):
    """l2_penalty: w1 = [1, 0, 0, 0] costs 1.0, w2 = [0.25] * 4 costs 0.25; 0.5 * 14 = 7"""
    for W, reg, expected in ((np.array([1.0, 0.0, 0.0, 0.0]), 1.0, 1.0),
                             (np.full(4, 0.25), 1.0, 0.25), (W_SMALL, 0.5, 7.0)):
        value, grad = as_pair(student.l2_penalty(W, reg), L2)
        values, grads = mistakes.l2_mistakes(W, reg)
        assert_close(as_float(value, f"l2_penalty({W.tolist()}, {reg})"), expected,
                     f"l2_penalty({W.tolist()}, {reg})", mistakes=values)
        assert_close(grad, 2 * reg * W, f"the gradient of l2_penalty({W.tolist()}, {reg})",
                     mistakes=grads)


@pytest.mark.function(L2)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_l2_edge_cases(student, reference, rng):
    """l2_penalty: reg = 0, a 3-D W, integer weights; W is not modified"""
    not_mutated(student, reference, rng, L2)
    check_penalty(student, reference, L2, (weights(rng), 0.0), " with reg = 0")
    check_penalty(student, reference, L2, (weights(rng, (2, 3, 2)), 0.7), " of a 3-D W")
    check_penalty(student, reference, L2, (rng.integers(-3, 4, size=(3, 3)), 0.5),
                  " of integer weights")


# --- l1_penalty --------------------------------------------------------------------------------


@pytest.mark.function(L1)
@pytest.mark.points(0.75)
@pytest.mark.visibility("hidden")
def test_l1_random(student, reference, rng):
    """l1_penalty: value and subgradient on random weights (2-D and 1-D)"""
    random_penalties(student, reference, rng, L1)


@pytest.mark.function(L1)
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_l1_known(student):
    """l1_penalty: w1 and w2 tie at 1.0; 0.5 * (1 + 2 + 0 + 3) = 3"""
    for W, reg, expected in ((np.array([1.0, 0.0, 0.0, 0.0]), 1.0, 1.0),
                             (np.full(4, 0.25), 1.0, 1.0), (W_SMALL, 0.5, 3.0)):
        value, grad = as_pair(student.l1_penalty(W, reg), L1)
        values, grads = mistakes.l1_mistakes(W, reg)
        assert_close(as_float(value, f"l1_penalty({W.tolist()}, {reg})"), expected,
                     f"l1_penalty({W.tolist()}, {reg})", mistakes=values)
        assert_close(grad, reg * np.sign(W), f"the subgradient of l1_penalty({W.tolist()}, "
                     f"{reg})", mistakes=grads)


@pytest.mark.function(L1)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_l1_zero_subgradient(student, reference, rng):
    """l1_penalty: the subgradient at a weight of exactly 0 is 0"""
    check_penalty(student, reference, L1, (weights(rng, (4, 5), zeros=6), 0.4),
                  " when some weights are exactly 0")


@pytest.mark.function(L1)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_l1_numerical(student, reference, rng):
    """l1_penalty: the subgradient matches a numerical gradient away from 0"""
    numerical(student, reference, rng, L1)


@pytest.mark.function(L1)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_l1_edge_cases(student, reference, rng):
    """l1_penalty: reg = 0, a 3-D W, integer weights; W is not modified"""
    not_mutated(student, reference, rng, L1)
    check_penalty(student, reference, L1, (weights(rng), 0.0), " with reg = 0")
    check_penalty(student, reference, L1, (weights(rng, (2, 3, 2)), 0.7), " of a 3-D W")
    check_penalty(student, reference, L1, (rng.integers(-3, 4, size=(3, 3)), 0.5),
                  " of integer weights")


# --- elastic_net_penalty -------------------------------------------------------------------------


@pytest.mark.function(EN)
@pytest.mark.points(0.75)
@pytest.mark.visibility("hidden")
def test_elastic_random(student, reference, rng):
    """elastic_net_penalty: value and subgradient on random weights (2-D and 1-D)"""
    random_penalties(student, reference, rng, EN, extra=(float(rng.uniform(0.1, 3.0)),))


@pytest.mark.function(EN)
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_elastic_known(student):
    """elastic_net_penalty: 0.5 * (0.1 * 14 + 6) = 3.7, gradient 0.5 * (0.2 * W + sign(W))"""
    value, grad = as_pair(student.elastic_net_penalty(W_SMALL, 0.5, 0.1), EN)
    values, grads = mistakes.elastic_mistakes(W_SMALL, 0.5, 0.1)
    assert_close(as_float(value, "elastic_net_penalty(W, 0.5, 0.1)"), 3.7,
                 "elastic_net_penalty(W, 0.5, 0.1)", mistakes=values)
    assert_close(grad, [[0.6, -0.7], [0.0, 0.8]], "the gradient of elastic_net_penalty(W, 0.5, "
                 "0.1)", mistakes=grads)


@pytest.mark.function(EN)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_elastic_beta(student, reference, rng):
    """elastic_net_penalty: beta = 0 is the L1 penalty; a large beta is mostly L2"""
    check_penalty(student, reference, EN, (weights(rng), 0.3, 0.0), " with beta = 0")
    check_penalty(student, reference, EN, (weights(rng), 0.3, 50.0), " with a large beta")


@pytest.mark.function(EN)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_elastic_zero_subgradient(student, reference, rng):
    """elastic_net_penalty: the subgradient at a weight of exactly 0 is 0"""
    check_penalty(student, reference, EN, (weights(rng, (4, 5), zeros=6), 0.4, 0.5),
                  " when some weights are exactly 0")


@pytest.mark.function(EN)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_elastic_numerical(student, reference, rng):
    """elastic_net_penalty: the subgradient matches a numerical gradient away from 0"""
    numerical(student, reference, rng, EN, extra=(float(rng.uniform(0.1, 3.0)),))


@pytest.mark.function(EN)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_elastic_not_mutated(student, reference, rng):
    """elastic_net_penalty: W is not modified"""
    not_mutated(student, reference, rng, EN, extra=(0.5,))


# --- train_linear_classifier -------------------------------------------------------------------


def small_problem(rng, n=20, d=4, c=3, labels_dtype=np.int64):
    X = np.hstack([rng.normal(size=(n, d - 1)), np.ones((n, 1))])
    y = np.concatenate([np.arange(c), rng.integers(0, c, size=n - c)])
    return X, rng.permutation(y).astype(labels_dtype)


def train(student, X, y, lr, reg, iters, batch, seed, what):
    """The student's (W, history) for one run, as arrays of the expected shapes."""
    out = student.run(TRAIN, X, y, LOSS_FN, learning_rate=lr, reg=reg, num_iters=iters,
                      batch_size=batch, seed=seed)
    shape = (X.shape[1], int(np.max(y)) + 1)
    try:
        W, history = as_training(value_of(out, TRAIN), what, shape, iters)
    except CheckFailed as exc:
        got = np.shape(as_pair(value_of(out, TRAIN), what)[0])
        if len(got) == 2 and got[0] == shape[0] and got[1] != shape[1]:
            exc.hint = mistakes.NUM_CLASSES
        raise
    return W, history, out


def check_recipe(student, reference, X, y, lr, reg, iters, batch, seed, what):
    """Weights and loss history bit for bit equal to the spec's recipe run here."""
    W, history, out = train(student, X, y, lr, reg, iters, batch, seed, what)
    loss_fn = reference.softmax_loss
    W_ref, history_ref = reference.train(X, y, loss_fn, lr, reg, iters, batch, seed)
    weight_hints, loss_hints = mistakes.training_mistakes(X, y, loss_fn, lr, reg, iters,
                                                          batch, seed)
    assert_close(history, history_ref, f"the loss history of {what}", rtol=0.0, atol=0.0,
                 mistakes=loss_hints)
    assert_close(W, W_ref, f"the weights of {what}", rtol=0.0, atol=0.0, mistakes=weight_hints)
    return out


@pytest.mark.function(TRAIN)
@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_train_recipe(student, reference, rng):
    """train_linear_classifier: the spec's recipe, bit for bit, on a small problem"""
    X, y = small_problem(rng)
    check_recipe(student, reference, X, y, 0.1, 1e-3, 15, 8, int(rng.integers(1, 10**6)),
                 "training on a small problem")


@pytest.mark.function(TRAIN)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_train_recipe_digits(student, reference, rng):
    """train_linear_classifier: the spec's recipe, bit for bit, on the digits"""
    data = reference.digits()
    check_recipe(student, reference, data.X_train, data.y_train, 0.5, 1e-3, 40, 200,
                 int(rng.integers(1, 10**6)), "training on the digits")


@pytest.mark.function(TRAIN)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_train_history(student, reference, rng):
    """train_linear_classifier: a loss history of num_iters floats (also num_iters = 1)"""
    X, y = small_problem(rng)
    for iters in (int(rng.integers(3, 12)), 1):
        what = f"training for {iters} iteration(s)"
        _, history, _ = train(student, X, y, 0.1, 1e-3, iters, 5, 3, what)
        # the first entry is the loss of the initial weights on the first batch: a history
        # of the right length but not of this training run earns nothing
        first = reference.train(X, y, reference.softmax_loss, 0.1, 1e-3, 1, 5, 3)[1][0]
        assert_close(history[0], first, f"the first loss of the history ({what})")


@pytest.mark.function(TRAIN)
@pytest.mark.points(0.75)
@pytest.mark.visibility("hidden")
def test_train_accuracy(student, reference, rng):
    """train_linear_classifier: validation accuracy >= 0.90 on the digits in 500 iterations"""
    data = reference.digits()
    W, _, _ = train(student, data.X_train, data.y_train, 0.5, 1e-3, 500, 200,
                    int(rng.integers(1, 10**6)), "training on the digits")
    assert_accuracy(W, data.X_val, data.y_val, 0.90, "the weights trained on the digits")


@pytest.mark.function(TRAIN)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_train_reg_shrinks(student, reference, rng):
    """train_linear_classifier: a larger reg gives weights of smaller norm"""
    data = reference.digits()
    X, y, seed = data.X_train[:400], data.y_train[:400], int(rng.integers(1, 10**6))
    small, _, _ = train(student, X, y, 0.5, 1e-4, 100, 100, seed, "training with a small reg")
    large, _, _ = train(student, X, y, 0.5, 1e-1, 100, 100, seed, "training with a large reg")
    assert_reg_shrinks(small, large, "training with a larger reg")


@pytest.mark.function(TRAIN)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_train_seed(student, rng):
    """train_linear_classifier: the same seed gives the same weights, another seed others"""
    X, y = small_problem(rng)
    seed = int(rng.integers(1, 10**6))
    first, _, _ = train(student, X, y, 0.1, 1e-3, 10, 8, seed, "training")
    again, _, _ = train(student, X, y, 0.1, 1e-3, 10, 8, seed, "training again")
    try:
        assert_same_weights(first, again, "two runs with the same seed")
    except CheckFailed as exc:
        exc.hint = mistakes.UNSEEDED
        raise
    other, _, _ = train(student, X, y, 0.1, 1e-3, 10, 8, seed + 1, "training")
    if np.array_equal(first, other):
        raise CheckFailed("two runs with different seeds gave the same weights",
                          hint=mistakes.IGNORES_SEED)


@pytest.mark.function(TRAIN)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_train_not_mutated(student, reference, rng):
    """train_linear_classifier: X and y are not modified"""
    X, y = small_problem(rng)
    out = check_recipe(student, reference, X, y, 0.1, 1e-3, 5, 8, 0, "training")
    assert_not_mutated(out, TRAIN, ["X", "y", "loss_fn"])


@pytest.mark.function(TRAIN)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_train_labels(student, reference, rng):
    """train_linear_classifier: small integer label dtypes; C = max(y) + 1 with a class unused"""
    X, y = small_problem(rng, c=4)
    y = np.where(y == 1, 0, y)  # no example of class 1: C is still 4
    for dtype in (np.int8, np.uint8, np.int32):
        try:
            check_recipe(student, reference, X, y.astype(dtype), 0.1, 1e-3, 6, 8,
                         int(rng.integers(1, 10**6)), f"training with labels of dtype "
                                                      f"{np.dtype(dtype).name}")
        except StudentError as exc:
            if "IndexError" in exc.message:  # a label beyond the columns of a too narrow W
                exc.hint = mistakes.NUM_CLASSES
            raise


# --- predict -----------------------------------------------------------------------------------


def check_predict(student, reference, W, X, what):
    labels = student.predict(W, X)
    assert_close(labels, reference.predict(W, X), f"the labels predicted{what}", rtol=0.0,
                 atol=0.0, mistakes=mistakes.predict_mistakes(W, X))
    if np.asarray(labels).dtype.kind not in "iu":
        raise CheckFailed(f"predict returns {np.asarray(labels).dtype} values; labels are "
                          "integers", hint=mistakes.FLOAT_LABELS)


@pytest.mark.function(PREDICT)
@pytest.mark.points(0.5)
@pytest.mark.visibility("hidden")
def test_predict_random(student, reference, rng):
    """predict: integer labels, the argmax of the scores of each example"""
    X = np.hstack([rng.normal(size=(30, 6)), np.ones((30, 1))])
    check_predict(student, reference, rng.normal(size=(7, 5)), X, "")


@pytest.mark.function(PREDICT)
@pytest.mark.points(0.25)
@pytest.mark.visibility("visible")
def test_predict_known(student, reference):
    """predict: with W = identity the labels are the argmax of the rows of X: [0, 1, 0]"""
    check_predict(student, reference, np.eye(2), np.array([[2.0, 1.0], [0.0, 3.0], [5.0, -1.0]]),
                  " with W = identity")


@pytest.mark.function(PREDICT)
@pytest.mark.points(0.25)
@pytest.mark.visibility("hidden")
def test_predict_edge_cases(student, reference, rng):
    """predict: a single example, two classes; W and X are not modified"""
    check_predict(student, reference, rng.normal(size=(4, 3)), rng.normal(size=(1, 4)),
                  " for a single example")
    W, X = rng.normal(size=(4, 2)), rng.normal(size=(9, 4))
    check_predict(student, reference, W, X, " with two classes")
    assert_unchanged(student, PREDICT, (W, X), ["W", "X"], reference.predict)
