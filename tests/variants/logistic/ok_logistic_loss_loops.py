# kind: correct
# replaces: logistic-loss-impl
import math


def logistic_loss(w, X, y, reg):
    """Example by example with math (loops are allowed here)."""
    w = np.asarray(w, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    loss, dw = 0.0, np.zeros(d)
    for xi, yi in zip(X, np.asarray(y, dtype=np.float64)):
        z = float(xi @ w)
        loss += max(z, 0.0) + math.log1p(math.exp(-abs(z))) - yi * z
        p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
        dw += (p - yi) * xi
    return loss / n + reg * float(w @ w), dw / n + 2.0 * reg * w
