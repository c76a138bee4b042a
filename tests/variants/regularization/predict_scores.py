# kind: buggy
# replaces: reg-train-impl
# catches: test_predict_random, test_predict_known, test_predict_edge_cases
# hint: returns the scores
import numpy as np


def train_linear_classifier(X, y, loss_fn, learning_rate=1e-3, reg=1e-5, num_iters=100,
                            batch_size=200, seed=0):
    N, D = X.shape
    rng = np.random.default_rng(seed)
    W = 0.001 * rng.standard_normal((D, int(np.max(y)) + 1))
    history = []
    for _ in range(num_iters):
        idx = rng.choice(N, batch_size, replace=True)
        loss, dW = loss_fn(W, X[idx], y[idx], reg)
        history.append(float(loss))
        W = W - learning_rate * dW
    return W, history


def predict(W, X):
    """Returns the scores."""
    return X @ W

