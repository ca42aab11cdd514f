"""Backpropagation by hand: a two-layer network in NumPy, checked against finite differences.

Fill in the three TODOs: forward(), backward() and numerical_gradient(). Then run the program:
it checks your gradients, trains the network and reports the loss curve.
"""

from __future__ import annotations

import numpy as np
from masterclass import SMOKE, log, report
from sklearn.datasets import make_moons

Params = dict[str, np.ndarray]


def make_data(n: int = 1000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return standardized two-moons train/validation splits (80/20)."""
    X, y = make_moons(n_samples=n, noise=0.2, random_state=seed)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    order = np.random.default_rng(seed).permutation(n)
    cut = int(0.8 * n)
    train, val = order[:cut], order[cut:]
    return X[train], y[train], X[val], y[val]


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int = 0) -> Params:
    """Draw weights with variance 1/fan_in (suits tanh) and zero biases, in float64."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0.0, 1.0 / np.sqrt(n_hidden), size=(n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def forward(params: Params, X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """Compute the mean softmax cross-entropy of a tanh network; return (loss, cache)."""
    # TODO 1: the forward pass.
    #   Z1 = X W1 + b1,  H = tanh(Z1),  Z2 = H W2 + b2   (logits, one column per class)
    #   P = softmax(Z2) row by row; subtract each row's max before exp() to avoid overflow
    #   loss = mean over the batch of -log P[i, y[i]]
    # Return (loss as a float, cache) where cache holds what backward() needs: X, y, H and P.
    raise NotImplementedError("write the forward pass (TODO 1)")


def backward(params: Params, cache: dict[str, np.ndarray]) -> Params:
    """Return the gradient of the loss with respect to every parameter (same keys and shapes)."""
    # TODO 2: the backward pass, from the loss back to each parameter (chain rule).
    #   dZ2 = (P - onehot(y)) / n          (softmax + cross-entropy, mean over n examples)
    #   dW2 = H^T dZ2,  db2 = column sums of dZ2
    #   dH  = dZ2 W2^T,  dZ1 = dH * (1 - H^2)   (derivative of tanh)
    #   dW1 = X^T dZ1,  db1 = column sums of dZ1
    # Return {"W1": ..., "b1": ..., "W2": ..., "b2": ...} with the same shapes as params.
    raise NotImplementedError("write the backward pass (TODO 2)")


def numerical_gradient(params: Params, X: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> Params:
    """Estimate every gradient entry by central differences (f(p+eps) - f(p-eps)) / (2 eps)."""
    # TODO 3: for every entry p of every parameter array (np.ndindex(value.shape) visits them),
    #   set p to p + eps and evaluate forward(...)[0], then p - eps, then restore p;
    #   the estimate is (f(p + eps) - f(p - eps)) / (2 eps).
    raise NotImplementedError("write the central-difference gradient (TODO 3)")


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """Return max |a - b| / max(|a| + |b|), a scale-free distance between two gradients."""
    scale = max(float(np.max(np.abs(a) + np.abs(b))), 1e-12)
    return float(np.max(np.abs(a - b)) / scale)


def accuracy(params: Params, X: np.ndarray, y: np.ndarray) -> float:
    """Return the fraction of points whose most probable class is the label."""
    _, cache = forward(params, X, y)
    return float((cache["P"].argmax(axis=1) == y).mean())


def gradient_check(seed: int = 1) -> float:
    """Compare backward() with numerical_gradient() on a small batch; return the worst error."""
    X, y, _, _ = make_data(200, seed)
    params = init_params(2, 5, 2, seed)
    _, cache = forward(params, X[:16], y[:16])
    analytic = backward(params, cache)
    numeric = numerical_gradient(params, X[:16], y[:16])
    return max(relative_error(analytic[k], numeric[k]) for k in params)


def train(steps: int, hidden: int = 32, lr: float = 0.5, batch: int = 64, seed: int = 0) -> Params:
    """Train with mini-batch gradient descent, reporting train and validation loss."""
    X, y, Xv, yv = make_data(1000, seed)
    params = init_params(2, hidden, 2, seed)
    rng = np.random.default_rng(seed)
    for step in range(steps + 1):
        idx = rng.integers(0, len(X), size=batch)
        loss, cache = forward(params, X[idx], y[idx])
        grads = backward(params, cache)
        for name in params:
            params[name] -= lr * grads[name]
        if step % 10 == 0:
            full_loss, _ = forward(params, X, y)
            val_loss, _ = forward(params, Xv, yv)
            report(step=step, loss=full_loss, val_loss=val_loss, val_acc=accuracy(params, Xv, yv))
    log(f"final validation accuracy {accuracy(params, Xv, yv):.3f}")
    return params


def main() -> None:
    """Check the gradients, then train."""
    try:
        error = gradient_check()
    except NotImplementedError as exc:
        log(f"not done yet: {exc}")
        print(f"Not done yet: {exc}. Fill in the TODOs in forward, backward and numerical_gradient.")
        return
    report(grad_rel_error=error)
    log(f"gradient check: worst relative error {error:.2e}")
    train(steps=300 if SMOKE else 3000)


if __name__ == "__main__":
    main()
