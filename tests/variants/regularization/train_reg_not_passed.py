# kind: buggy
# replaces: reg-train-impl
# catches: test_train_reg_shrinks, test_train_recipe
# hint: reg is not passed
import numpy as np


def train_linear_classifier(X, y, loss_fn, learning_rate=1e-3, reg=1e-5, num_iters=100,
                            batch_size=200, seed=0):
    """Calls the loss without regularization."""
    N, D = X.shape
    rng = np.random.default_rng(seed)
    W = 0.001 * rng.standard_normal((D, int(np.max(y)) + 1))
    history = []
    for _ in range(num_iters):
        idx = rng.choice(N, batch_size, replace=True)
        loss, dW = loss_fn(W, X[idx], y[idx], 0.0)
        history.append(float(loss))
        W = W - learning_rate * dW
    return W, history


def predict(W, X):
    return np.argmax(X @ W, axis=1)

