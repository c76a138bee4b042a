# kind: correct
# replaces: reg-train-impl
import numpy as np


def train_linear_classifier(X, y, loss_fn, learning_rate=1e-3, reg=1e-5, num_iters=100,
                            batch_size=200, seed=0):
    """rng.integers (the same numbers as rng.choice with replacement), an in-place update,
    a while loop and a numpy array of losses."""
    X, y = np.asarray(X), np.asarray(y)
    rng = np.random.default_rng(seed)
    W = 0.001 * rng.standard_normal((X.shape[1], int(y.max()) + 1))
    losses = np.zeros(num_iters)
    it = 0
    while it < num_iters:
        batch = rng.integers(0, X.shape[0], size=batch_size)
        losses[it], grad = loss_fn(W, X[batch], y[batch], reg)
        W -= learning_rate * grad
        it += 1
    return W, losses


def predict(W, X):
    """argmax over the last axis."""
    return (np.asarray(X) @ np.asarray(W)).argmax(axis=-1)

