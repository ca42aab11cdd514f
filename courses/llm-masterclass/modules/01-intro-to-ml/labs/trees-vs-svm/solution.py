"""Decision tree vs random forest vs SVM, compared fairly with k-fold cross-validation (reference)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from masterclass import SMOKE, log, report, save_artifact
from sklearn.base import ClassifierMixin
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

SEED = 0
FOLDS = 5
N_TREES = 40 if SMOKE else 300


def load_datasets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return the two bundled data sets as {name: (X, y)}."""
    return {
        "breast_cancer": load_breast_cancer(return_X_y=True),
        "digits": load_digits(return_X_y=True),
    }


def make_models(seed: int = SEED) -> dict[str, ClassifierMixin]:
    """Return the three models to compare, keyed 'tree', 'forest' and 'svm'."""
    return {
        "tree": DecisionTreeClassifier(random_state=seed),
        "forest": RandomForestClassifier(n_estimators=N_TREES, random_state=seed, n_jobs=2),
        # The scaler sits inside the pipeline so each fold learns its own mean and std.
        "svm": Pipeline([("scale", StandardScaler()), ("svm", SVC(kernel="rbf", C=10.0))]),
    }


def cross_validate(
    model: ClassifierMixin, X: np.ndarray, y: np.ndarray, *, folds: int = FOLDS, seed: int = SEED
) -> np.ndarray:
    """Return the accuracy of the model on each of `folds` stratified, shuffled folds."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return cross_val_score(model, X, y, cv=splitter, scoring="accuracy")


def main() -> None:
    """Score every model on every data set and save the table as results.json."""
    results: dict[str, dict[str, dict[str, object]]] = {}
    step = 0
    for data_name, (X, y) in load_datasets().items():
        results[data_name] = {}
        for model_name, model in make_models().items():
            scores = cross_validate(model, X, y)
            results[data_name][model_name] = {
                "mean": float(np.mean(scores)),
                "std": float(np.std(scores)),
                "folds": [float(s) for s in scores],
            }
            step += 1
            report(step=step, **{f"{data_name}_{model_name}": float(np.mean(scores))})
            log(f"{data_name:13s} {model_name:6s} {np.mean(scores):.4f} +/- {np.std(scores):.4f}")
    path = Path("results.json")
    path.write_text(json.dumps(results, indent=2))
    save_artifact(path)


if __name__ == "__main__":
    main()
