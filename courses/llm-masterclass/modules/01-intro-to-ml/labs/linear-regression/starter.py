"""Linear regression two ways: the normal equation and batch gradient descent.

Fill in the three functions marked TODO, then press Run. The program compares your weights
with scikit-learn's LinearRegression and streams the gradient-descent loss to the chart.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
from masterclass import SMOKE, log, report, save_artifact
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split

SEED = 0
LR = 0.1  # try 0.3 once everything works: what happens to the loss curve, and why?
STEPS = 500 if SMOKE else 2000
REPORT_EVERY = 5 if SMOKE else 10


def load_data(seed: int = SEED) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return X_train, X_test, y_train, y_test: a seeded 80/20 split of the diabetes data."""
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=seed)
    return X_train, X_test, y_train, y_test


def standardize(X_train: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale both sets to zero mean and unit variance using training-set statistics only."""
    # TODO: compute the per-column mean and standard deviation of X_train (axis=0),
    # then return ((X_train - mean) / std, (X_test - mean) / std).
    # Never compute statistics on X_test: that leaks the test set into training.
    raise NotImplementedError("standardize: scale with the training set's mean and std")


def add_bias(X: np.ndarray) -> np.ndarray:
    """Prepend a column of ones so that w[0] is the intercept."""
    return np.hstack([np.ones((X.shape[0], 1)), X])


def mse(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Return the mean squared error of weights w = [b, w1, ..., wd] on (X, y)."""
    residual = add_bias(X) @ w - y
    return float(np.mean(residual**2))


def normal_equation(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return w = [b, w1, ..., wd] minimising the MSE, in closed form."""
    # TODO: with Xb = add_bias(X), solve (Xb^T Xb) w = Xb^T y for w.
    # Hint: np.linalg.solve(A, b) is more accurate than np.linalg.inv(A) @ b.
    raise NotImplementedError("normal_equation: solve (Xb^T Xb) w = Xb^T y")


def gradient_descent(
    X: np.ndarray,
    y: np.ndarray,
    *,
    lr: float = LR,
    steps: int = 1000,
    on_step: Callable[[int, np.ndarray], None] | None = None,
) -> np.ndarray:
    """Fit w = [b, w1, ..., wd] by batch gradient descent on the MSE; call on_step(step, w)."""
    Xb = add_bias(X)
    n = Xb.shape[0]  # noqa: F841 - the gradient you write needs it
    w = np.zeros(Xb.shape[1])
    for step in range(steps + 1):
        if on_step is not None:
            on_step(step, w)
        if step == steps:
            break
        # TODO: compute the gradient of mean((Xb @ w - y) ** 2) with respect to w
        # (it is (2 / n) * Xb^T (Xb w - y)) and take one step downhill: w = w - lr * gradient.
        raise NotImplementedError("gradient_descent: compute the gradient and update w")
    return w


def _attempt(what: str, func: Callable[[], object]) -> object | None:
    """Run one part of the lab; log a reminder instead of crashing while it is a TODO."""
    try:
        return func()
    except NotImplementedError as exc:
        log(f"TODO {what}: {exc}")
        return None


def main() -> None:
    """Fit the diabetes data three ways and compare weights and held-out error."""
    X_train, X_test, y_train, y_test = load_data()
    scaled = _attempt("standardize", lambda: standardize(X_train, X_test))
    if scaled is None:
        log("standardize is not done yet: using raw features (gradient descent will crawl)")
    else:
        X_train, X_test = scaled  # type: ignore[misc]
    log(f"{len(X_train)} training rows, {len(X_test)} test rows, {X_train.shape[1]} features")

    sk = LinearRegression().fit(X_train, y_train)
    w_sk = np.concatenate([[sk.intercept_], sk.coef_])
    results: dict[str, dict[str, object]] = {
        "sklearn": {"w": w_sk.tolist(), "test_mse": mse(X_test, y_test, w_sk)}
    }
    report(test_mse_sklearn=mse(X_test, y_test, w_sk))

    w_ne = _attempt("normal_equation", lambda: normal_equation(X_train, y_train))
    if w_ne is not None:
        results["normal"] = {"w": w_ne.tolist(), "test_mse": mse(X_test, y_test, w_ne)}
        report(train_mse_normal=mse(X_train, y_train, w_ne), test_mse_normal=mse(X_test, y_test, w_ne))

    def on_step(step: int, w: np.ndarray) -> None:
        if step % REPORT_EVERY == 0:
            report(step=step, loss=mse(X_train, y_train, w), val_loss=mse(X_test, y_test, w))

    w_gd = _attempt(
        "gradient_descent",
        lambda: gradient_descent(X_train, y_train, lr=LR, steps=STEPS, on_step=on_step),
    )
    if w_gd is not None:
        results["gd"] = {"w": w_gd.tolist(), "test_mse": mse(X_test, y_test, w_gd)}
        report(train_mse_gd=mse(X_train, y_train, w_gd), test_mse_gd=mse(X_test, y_test, w_gd))

    for name, entry in results.items():
        print(f"{name:8s} test MSE {entry['test_mse']:9.2f}")
    path = Path("weights.json")
    path.write_text(json.dumps(results, indent=2))
    save_artifact(path)


if __name__ == "__main__":
    main()
