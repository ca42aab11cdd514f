"""Linear regression two ways: the normal equation and batch gradient descent (reference)."""

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
LR = 0.1
STEPS = 500 if SMOKE else 2000
REPORT_EVERY = 5 if SMOKE else 10


def load_data(seed: int = SEED) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return X_train, X_test, y_train, y_test: a seeded 80/20 split of the diabetes data."""
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=seed)
    return X_train, X_test, y_train, y_test


def standardize(X_train: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale both sets to zero mean and unit variance using training-set statistics only."""
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std[std == 0] = 1.0  # a constant column stays constant instead of dividing by zero
    return (X_train - mean) / std, (X_test - mean) / std


def add_bias(X: np.ndarray) -> np.ndarray:
    """Prepend a column of ones so that w[0] is the intercept."""
    return np.hstack([np.ones((X.shape[0], 1)), X])


def mse(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Return the mean squared error of weights w = [b, w1, ..., wd] on (X, y)."""
    residual = add_bias(X) @ w - y
    return float(np.mean(residual**2))


def normal_equation(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return w = [b, w1, ..., wd] minimising the MSE, in closed form."""
    Xb = add_bias(X)
    # Solving the system is more accurate and cheaper than forming the inverse explicitly.
    return np.linalg.solve(Xb.T @ Xb, Xb.T @ y)


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
    n = Xb.shape[0]
    w = np.zeros(Xb.shape[1])
    for step in range(steps + 1):
        if on_step is not None:
            on_step(step, w)
        if step == steps:
            break
        gradient = (2.0 / n) * Xb.T @ (Xb @ w - y)
        w = w - lr * gradient
    return w


def main() -> None:
    """Fit the diabetes data three ways and compare weights and held-out error."""
    X_train, X_test, y_train, y_test = load_data()
    X_train, X_test = standardize(X_train, X_test)
    log(f"{len(X_train)} training rows, {len(X_test)} test rows, {X_train.shape[1]} features")

    sk = LinearRegression().fit(X_train, y_train)
    w_sk = np.concatenate([[sk.intercept_], sk.coef_])
    w_ne = normal_equation(X_train, y_train)
    log(f"largest weight difference normal equation vs sklearn: {np.abs(w_ne - w_sk).max():.2e}")

    def on_step(step: int, w: np.ndarray) -> None:
        if step % REPORT_EVERY == 0:
            report(step=step, loss=mse(X_train, y_train, w), val_loss=mse(X_test, y_test, w))

    w_gd = gradient_descent(X_train, y_train, lr=LR, steps=STEPS, on_step=on_step)

    results = {
        "sklearn": {"w": w_sk.tolist(), "test_mse": mse(X_test, y_test, w_sk)},
        "normal": {"w": w_ne.tolist(), "test_mse": mse(X_test, y_test, w_ne)},
        "gd": {"w": w_gd.tolist(), "test_mse": mse(X_test, y_test, w_gd)},
    }
    report(
        train_mse_normal=mse(X_train, y_train, w_ne),
        train_mse_gd=mse(X_train, y_train, w_gd),
        test_mse_sklearn=results["sklearn"]["test_mse"],
        test_mse_normal=results["normal"]["test_mse"],
        test_mse_gd=results["gd"]["test_mse"],
    )
    for name, entry in results.items():
        print(f"{name:8s} test MSE {entry['test_mse']:9.2f}")
    path = Path("weights.json")
    path.write_text(json.dumps(results, indent=2))
    save_artifact(path)


if __name__ == "__main__":
    main()
