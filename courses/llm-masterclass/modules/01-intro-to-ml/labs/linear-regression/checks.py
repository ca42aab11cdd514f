"""Checks for the linear-regression lab."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.preprocessing import StandardScaler


def _call(name: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a learner function, turning an unfinished TODO into a helpful failure."""
    try:
        return func(*args, **kwargs)
    except NotImplementedError as exc:
        raise AssertionError(f"{name} is still a TODO: {exc}") from None


def _fresh_regression(seed: int, n: int = 240, d: int = 6, mix: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # mix < 1 keeps the features nearly uncorrelated, so plain gradient descent converges fast
    mixing = np.eye(d) + mix * rng.normal(size=(d, d))
    X = rng.normal(size=(n, d)) @ mixing * 0.5 + rng.normal(size=d)
    y = 7.0 + X @ rng.normal(size=d) * 3 + rng.normal(scale=2.0, size=n)
    return X, y


def _reference(run: Any) -> dict[str, float]:
    """Fit scikit-learn on the learner's split, scaled with training statistics only."""
    X_train, X_test, y_train, y_test = run.module.load_data()
    scaler = StandardScaler().fit(X_train)
    A, B = scaler.transform(X_train), scaler.transform(X_test)
    model = LinearRegression().fit(A, y_train)
    return {
        "train": float(np.mean((model.predict(A) - y_train) ** 2)),
        "test": float(np.mean((model.predict(B) - y_test) ** 2)),
    }


def check_split(run):
    """The data is split into disjoint training and test sets"""
    X_train, X_test, y_train, y_test = run.module.load_data()
    n = len(X_train) + len(X_test)
    assert n == 442, f"load_data should return all 442 diabetes rows between train and test, got {n}"
    assert 0.15 <= len(X_test) / n <= 0.35, (
        f"hold out 15-35% for testing (you hold out {len(X_test) / n:.0%})"
    )
    train_rows = {tuple(np.round(r, 8)) for r in X_train}
    overlap = sum(tuple(np.round(r, 8)) in train_rows for r in X_test)
    assert overlap == 0, f"{overlap} test rows also appear in the training set"


def check_standardize(run):
    """Features are standardized with training-set statistics only"""
    rng = np.random.default_rng(11)
    X_train = rng.normal(loc=5.0, scale=2.0, size=(300, 4))
    X_test = rng.normal(loc=-3.0, scale=0.5, size=(100, 4))
    A, B = _call("standardize", run.module.standardize, X_train.copy(), X_test.copy())
    A, B = np.asarray(A), np.asarray(B)
    assert np.allclose(A.mean(axis=0), 0, atol=1e-8), "standardized training columns should have mean 0"
    assert np.allclose(A.std(axis=0), 1, atol=1e-6), "standardized training columns should have std 1"
    expected = (X_test - X_train.mean(axis=0)) / X_train.std(axis=0)
    if np.allclose(B.mean(axis=0), 0, atol=1e-6):
        raise AssertionError(
            "the test set was scaled with its own mean: use the training mean and std for both sets"
        )
    assert np.allclose(B, expected, atol=1e-6), "scale X_test with the training set's mean and std"


def check_normal_equation(run):
    """The normal-equation weights match scikit-learn's LinearRegression"""
    X, y = _fresh_regression(3)
    model = LinearRegression().fit(X, y)
    expected = np.concatenate([[model.intercept_], model.coef_])
    module = run.module
    saved = getattr(module, "LinearRegression", None)
    module.LinearRegression = None  # the closed form must not borrow sklearn's answer
    try:
        w = np.asarray(_call("normal_equation", module.normal_equation, X, y), dtype=float).ravel()
    except TypeError as exc:
        raise AssertionError(
            f"normal_equation must compute the weights itself, not call sklearn ({exc})"
        ) from None
    finally:
        module.LinearRegression = saved
    assert w.shape == expected.shape, (
        f"return {expected.size} numbers [intercept, w1..w{X.shape[1]}], got shape {w.shape}"
    )
    gap = float(np.abs(w - expected).max())
    assert gap < 1e-6 * (1 + np.abs(expected).max()), (
        f"weights differ from sklearn's by up to {gap:.3g}: is the bias column w[0] the intercept?"
    )


check_normal_equation.points = 2


def check_gradient_descent(run):
    """Gradient descent reaches the least-squares error on fresh data"""
    X, y = _fresh_regression(5, mix=0.1)
    X = StandardScaler().fit_transform(X)
    model = LinearRegression().fit(X, y)
    best = float(np.mean((model.predict(X) - y) ** 2))
    seen: list[int] = []
    w = _call(
        "gradient_descent",
        run.module.gradient_descent,
        X,
        y,
        lr=0.1,
        steps=600,
        on_step=lambda step, w: seen.append(step),
    )
    w = np.asarray(w, dtype=float).ravel()
    assert w.shape == (X.shape[1] + 1,), f"return [intercept, w1..w{X.shape[1]}], got shape {w.shape}"
    got = float(np.mean((np.hstack([np.ones((len(X), 1)), X]) @ w - y) ** 2))
    assert np.isfinite(got), "the weights diverged: check the sign of the update (w - lr * gradient)"
    assert got <= best * 1.01 + 1e-9, (
        f"after 600 steps at lr=0.1 the MSE is {got:.4g}, the optimum is {best:.4g}: "
        "is the gradient (2/n) Xb^T (Xb w - y)?"
    )
    assert len(seen) >= 600, "call on_step(step, w) every step so the loss can be streamed"


check_gradient_descent.points = 2


def check_loss_curve(run):
    """The gradient-descent loss is streamed and falls to the optimum"""
    losses, val = run.series("loss"), run.series("val_loss")
    assert len(losses) >= 20, (
        f"report(step=..., loss=...) at least 20 times while training (got {len(losses)})"
    )
    assert len(val) >= 20, "report val_loss (the test MSE) alongside the training loss"
    assert all(np.isfinite(losses)), "the loss diverged (nan/inf): lower the learning rate"
    ref = _reference(run)
    assert losses[-1] < 0.2 * losses[0], f"the loss only went from {losses[0]:.1f} to {losses[-1]:.1f}"
    assert losses[-1] <= ref["train"] * 1.01, (
        f"final training MSE {losses[-1]:.1f} is not within 1% of the optimum {ref['train']:.1f}: "
        "standardize the features and train longer"
    )


def check_test_error(run):
    """Test error is measured on the held-out set and matches scikit-learn"""
    ref = _reference(run)
    normal = run.require("test_mse_normal")
    gd = run.require("test_mse_gd")
    assert abs(normal - ref["test"]) <= 1e-6 * ref["test"], (
        f"normal-equation test MSE {normal:.2f} should equal sklearn's {ref['test']:.2f} on the test set"
    )
    assert abs(gd - ref["test"]) <= 0.02 * ref["test"], (
        f"gradient-descent test MSE {gd:.2f} is more than 2% away from sklearn's {ref['test']:.2f}"
    )


def check_weights_artifact(run):
    """weights.json holds all three weight vectors"""
    data = json.loads(run.artifact("weights.json").read_text())
    for key in ("sklearn", "normal", "gd"):
        assert key in data and len(data[key]["w"]) == 11, f"weights.json needs 11 weights under {key!r}"
    gap = np.abs(np.array(data["normal"]["w"]) - np.array(data["sklearn"]["w"])).max()
    assert gap < 1e-6, f"normal-equation and sklearn weights differ by {gap:.3g}"
