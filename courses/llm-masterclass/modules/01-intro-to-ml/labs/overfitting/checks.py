"""Checks for the overfitting lab."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np


def _call(name: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a learner function, turning an unfinished TODO into a helpful failure."""
    try:
        return func(*args, **kwargs)
    except NotImplementedError as exc:
        raise AssertionError(f"{name} is still a TODO: {exc}") from None


def _curves(run) -> tuple[list[float], list[float]]:
    train, val = run.series("loss"), run.series("val_loss")
    assert len(train) >= 10 and len(val) == len(train), (
        "report(step=degree, loss=train_mse, val_loss=val_mse) once per degree (at least 10 degrees)"
    )
    return train, val


def check_fit_poly(run):
    """fit_poly recovers a known polynomial"""
    rng = np.random.default_rng(4)
    x = rng.uniform(-1, 1, size=30)
    true = np.array([0.5, -2.0, 0.0, 3.0])
    y = true[0] + true[1] * x + true[2] * x**2 + true[3] * x**3
    coef = np.asarray(_call("fit_poly", run.module.fit_poly, x, y, 3), dtype=float).ravel()
    assert coef.shape == (4,), f"a degree-3 fit has 4 coefficients [c0, c1, c2, c3], got shape {coef.shape}"
    if np.allclose(coef[::-1], true, atol=1e-6):
        raise AssertionError("coefficients come out highest power first: return [c0, c1, ..., cd]")
    assert np.allclose(coef, true, atol=1e-6), f"expected {true.tolist()}, got {np.round(coef, 4).tolist()}"


def check_pick_degree(run):
    """pick_degree chooses by validation error"""
    degrees = [0, 1, 2, 3, 4, 5, 6]
    val = [0.9, 0.5, 0.31, 0.2, 0.26, 0.8, 3.0]
    got = _call("pick_degree", run.module.pick_degree, degrees, val)
    assert int(got) == 3, f"validation errors {val} are lowest at degree 3, pick_degree returned {got}"
    got = _call("pick_degree", run.module.pick_degree, [2, 4, 8], [0.4, 0.7, 0.1])
    assert int(got) == 8, "return the degree itself (from the degrees list), not its position"


def check_training_error_falls(run):
    """Training error never rises as the degree grows"""
    train, _ = _curves(run)
    rises = [i for i in range(1, len(train)) if train[i] > train[i - 1] * (1 + 1e-6) + 1e-12]
    assert not rises, (
        f"training error rose at steps {rises}: a higher-degree fit can always match a lower one, "
        "so fit and score each degree on the same training set"
    )


def check_u_shape(run):
    """Validation error is U-shaped: underfit at low degree, overfit at high degree"""
    train, val = _curves(run)
    best = int(np.argmin(val))
    degrees = [p["step"] for p in run.metrics if "val_loss" in (p.get("values") or {})]
    assert 2 <= best <= 7, (
        f"validation error is lowest at degree {degrees[best]}; expected about 3 (sin(pi x) is close to a cubic)"
    )
    assert val[1] > 1.5 * val[best], (
        "a straight line (degree 1) should underfit: validation error well above the best"
    )
    assert val[-1] > 3 * val[best], "the highest degree should overfit: validation error far above the best"
    assert val[-1] > 10 * train[-1], (
        "at the highest degree, training error should be far below validation error"
    )


check_u_shape.points = 2


def check_choice_and_test(run):
    """The chosen degree is tested once on fresh data"""
    _, val = _curves(run)
    best = run.require("best_degree")
    degrees = [p["step"] for p in run.metrics if "val_loss" in (p.get("values") or {})]
    assert best == degrees[int(np.argmin(val))], f"best_degree {best} is not where val_loss is lowest"
    test = run.require("test_mse")
    assert 0.05 < test < 0.25, f"test MSE {test:.3f} is out of the expected range (noise floor 0.09)"
    data = json.loads(run.artifact("sweep.json").read_text())
    assert data.get("best_degree") == best, "sweep.json should record the chosen best_degree"
