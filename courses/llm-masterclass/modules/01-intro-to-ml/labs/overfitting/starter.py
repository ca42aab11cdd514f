"""Under- and overfitting: sweep the degree of a polynomial fit and watch validation error.

Finish the TODOs in fit_poly, sweep and pick_degree, then press Run. The chart plots training
error (loss) and validation error (val_loss) against the polynomial degree (the step axis).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from masterclass import SMOKE, log, report, save_artifact

SEED = 0
NOISE = 0.3
N_TRAIN = 20
N_VAL = 500
DEGREES = list(range(0, 12))
REPEATS = 10 if SMOKE else 100


def make_data(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Draw n points of y = sin(pi x) + noise with x uniform on [-1, 1]."""
    x = rng.uniform(-1.0, 1.0, size=n)
    y = np.sin(np.pi * x) + rng.normal(0.0, NOISE, size=n)
    return x, y


def predict(x: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Evaluate the polynomial coef[0] + coef[1] x + ... + coef[d] x^d."""
    return np.polynomial.polynomial.polyval(x, coef)


def mse(x: np.ndarray, y: np.ndarray, coef: np.ndarray) -> float:
    """Return the mean squared error of the polynomial on (x, y)."""
    return float(np.mean((predict(x, coef) - y) ** 2))


def fit_poly(x: np.ndarray, y: np.ndarray, degree: int) -> np.ndarray:
    """Return the degree+1 least-squares coefficients [c0, c1, ..., cd] of a polynomial fit."""
    # TODO: build the design matrix V with columns 1, x, x^2, ..., x^degree
    # (np.polynomial.polynomial.polyvander(x, degree) does it), then solve the least-squares
    # problem V c = y with np.linalg.lstsq(V, y, rcond=None) and return c.
    raise NotImplementedError("fit_poly: least-squares fit of a degree-d polynomial")


def sweep(degrees: list[int], *, repeats: int, seed: int = SEED) -> dict[str, list[float]]:
    """Return median training and validation MSE per degree over `repeats` training sets."""
    rng = np.random.default_rng(seed)
    x_val, y_val = make_data(N_VAL, rng)
    train = np.zeros((repeats, len(degrees)))
    val = np.zeros((repeats, len(degrees)))
    for r in range(repeats):  # noqa: B007 - r, j and degree are for your TODO
        x, y = make_data(N_TRAIN, rng)
        for j, degree in enumerate(degrees):  # noqa: B007
            # TODO: fit a polynomial of this degree on the training set (x, y), then store
            # its error on the training set in train[r, j] and on (x_val, y_val) in val[r, j].
            raise NotImplementedError("sweep: fit each degree and record train and validation MSE")
    # The median, not the mean: one wild high-degree fit would otherwise swamp the curve.
    return {
        "degree": [int(d) for d in degrees],
        "train": np.median(train, axis=0).tolist(),
        "val": np.median(val, axis=0).tolist(),
    }


def pick_degree(degrees: list[int], val_errors: list[float]) -> int:
    """Return the degree with the lowest validation error."""
    # TODO: return the degree whose validation error is smallest (np.argmin helps).
    # Why not the lowest training error? Look at the chart once the sweep works.
    raise NotImplementedError("pick_degree: choose by validation error")


def held_out_error(degree: int, seed: int = SEED + 1) -> float:
    """Fit the chosen degree on a fresh training set and score it once on an untouched test set."""
    rng = np.random.default_rng(seed)
    x, y = make_data(N_TRAIN, rng)
    x_test, y_test = make_data(N_VAL, rng)
    return mse(x_test, y_test, fit_poly(x, y, degree))


def main() -> None:
    """Sweep polynomial degrees, stream train/validation error, pick a degree, test it once."""
    try:
        result = sweep(DEGREES, repeats=REPEATS)
    except NotImplementedError as exc:
        log(f"TODO: {exc}")
        return
    for degree, tr, va in zip(result["degree"], result["train"], result["val"], strict=True):
        report(step=degree, loss=tr, val_loss=va)
        log(f"degree {degree:2d}  train {tr:8.4f}  validation {va:8.4f}")
    try:
        best = pick_degree(result["degree"], result["val"])
    except NotImplementedError as exc:
        log(f"TODO: {exc}")
        return
    test = held_out_error(best)
    report(best_degree=best, test_mse=test)
    log(f"best degree {best}; test MSE {test:.4f} (noise floor {NOISE**2:.4f})")
    path = Path("sweep.json")
    path.write_text(json.dumps({**result, "best_degree": best, "test_mse": test}, indent=2))
    save_artifact(path)


if __name__ == "__main__":
    main()
