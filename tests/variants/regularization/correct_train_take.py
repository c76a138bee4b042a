# kind: correct
# replaces: reg-train-impl
import numpy as np


def train_linear_classifier(X, y, loss_fn, learning_rate=1e-3, reg=1e-5, num_iters=100,
                            batch_size=200, seed=0):
    """np.take for the batch, W += -lr * dW, np.float64 losses in a list."""
    gen = np.random.default_rng(seed)
    num_classes = int(np.max(y)) + 1
    W = gen.standard_normal((X.shape[1], num_classes)) * 0.001
    loss_history = []
    for iteration in range(num_iters):
        rows = gen.choice(len(X), size=batch_size)
        loss, dW = loss_fn(W, np.take(X, rows, axis=0), np.take(y, rows), reg)
        loss_history.append(np.float64(loss))
        W += -learning_rate * dW
    return W, loss_history


def predict(W, X):
    """einsum for the scores, labels as int32."""
    return np.argmax(np.einsum("nd,dc->nc", X, W), axis=1).astype(np.int32)

