# kind: buggy
# replaces: reg-train-impl
# catches: test_train_recipe, test_train_recipe_digits
# hint: global generator
import numpy as np


def train_linear_classifier(X, y, loss_fn, learning_rate=1e-3, reg=1e-5, num_iters=100,
                            batch_size=200, seed=0):
    """numpy's legacy global generator, seeded."""
    N, D = X.shape
    np.random.seed(seed)
    W = 0.001 * np.random.randn(D, int(np.max(y)) + 1)
    history = []
    for _ in range(num_iters):
        idx = np.random.choice(N, batch_size)
        loss, dW = loss_fn(W, X[idx], y[idx], reg)
        history.append(float(loss))
        W = W - learning_rate * dW
    return W, history


def predict(W, X):
    return np.argmax(X @ W, axis=1)

