"""Imputation, SMOTE inside cross-validation, and leak-free text augmentation."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline as ImbPipeline
from masterclass import SMOKE, data_path, log, report
from palmerpenguins import load_penguins
from sklearn.compose import ColumnTransformer
from sklearn.experimental import enable_iterative_imputer  # noqa: F401 - registers IterativeImputer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
CATEGORICAL = ["island", "sex"]
Augment = Callable[[list[str], np.ndarray], tuple[list[str], np.ndarray]]


# ---------- 1. Missing values ----------
def missing_counts(df: pd.DataFrame) -> dict[str, int]:
    """Return the number of missing values per column, for columns that have any."""
    counts = df.isna().sum()
    return {col: int(n) for col, n in counts.items() if n > 0}


def make_imputer(kind: str):
    """Return an unfitted imputer: 'mean', 'median', 'knn' (5 neighbours) or 'iterative'."""
    if kind in ("mean", "median"):
        return SimpleImputer(strategy=kind)
    if kind == "knn":
        return KNNImputer(n_neighbors=5)
    if kind == "iterative":
        return IterativeImputer(max_iter=10, random_state=0)
    raise ValueError(f"unknown imputer {kind!r}")


def imputation_rmse(x: np.ndarray, column: int, kind: str, frac: float, seed: int) -> float:
    """Hide frac of one column at random, impute on standardised data, return the RMSE."""
    rng = np.random.default_rng(seed)
    hidden = rng.random(len(x)) < frac
    holed = x.copy()
    holed[hidden, column] = np.nan
    # Scale first so KNN distances are not all body mass in grams; StandardScaler skips NaNs.
    scaler = StandardScaler().fit(holed)
    filled = scaler.inverse_transform(make_imputer(kind).fit_transform(scaler.transform(holed)))
    return float(np.sqrt(np.mean((filled[hidden, column] - x[hidden, column]) ** 2)))


def species_pipeline() -> Pipeline:
    """Return a classifier of penguin species that imputes, encodes and scales inside itself."""
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categorical = make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore"))
    features = ColumnTransformer([("num", numeric, NUMERIC), ("cat", categorical, CATEGORICAL)])
    return Pipeline([("features", features), ("model", LogisticRegression(max_iter=1000))])


# ---------- 2. A rare class and SMOTE ----------
def rare_chinstrap(df: pd.DataFrame, n_rare: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (X, y): Chinstrap (1) against the rest (0) without bill length, Chinstrap thinned to n_rare."""
    rows = df.dropna(subset=NUMERIC)
    y = (rows["species"] == "Chinstrap").to_numpy().astype(int)
    # Without bill length Chinstrap overlaps Adelie, so the rare class is genuinely hard.
    x = rows[["bill_depth_mm", "flipper_length_mm", "body_mass_g"]].to_numpy()
    rng = np.random.default_rng(seed)
    keep = np.concatenate([np.flatnonzero(y == 0), rng.choice(np.flatnonzero(y == 1), n_rare, replace=False)])
    return x[keep], y[keep]


def smote_pipeline() -> ImbPipeline:
    """Return scaler -> SMOTE -> 5-NN classifier; SMOTE runs only when the pipeline is fitted."""
    return ImbPipeline([
        ("scale", StandardScaler()),
        ("smote", SMOTE(random_state=0)),
        ("model", KNeighborsClassifier(n_neighbors=5)),
    ])


def leaky_smote_f1(x: np.ndarray, y: np.ndarray, cv: StratifiedKFold) -> float:
    """Return F1 when SMOTE runs on all data BEFORE splitting: the mistake to recognise."""
    xs, ys = SMOTE(random_state=0).fit_resample(StandardScaler().fit_transform(x), y)
    model = KNeighborsClassifier(n_neighbors=5)
    return float(cross_val_score(model, xs, ys, cv=cv, scoring="f1").mean())


# ---------- 3. Text augmentation ----------
def load_synonyms(path: Path) -> dict[str, list[str]]:
    """Read 'word<TAB>syn1,syn2' lines (skipping '#' comments) into a dict."""
    table: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, synonyms = line.split("\t")
        table[word] = synonyms.split(",")
    return table


def synonym_replace(text: str, table: dict[str, list[str]], rng: np.random.Generator, p: float) -> str:
    """Replace each word found in table by a random synonym with probability p."""
    out = []
    for piece in re.findall(r"\w+|\W+", text):
        options = table.get(piece.lower())
        out.append(options[rng.integers(len(options))] if options and rng.random() < p else piece)
    return "".join(out)


def augment_training(texts: list[str], labels: np.ndarray, table: dict[str, list[str]],
                     rng: np.random.Generator, copies: int = 2, p: float = 0.3) -> tuple[list[str], np.ndarray]:
    """Return the originals plus `copies` altered versions of each, every copy keeping its source's label."""
    new_texts = list(texts)
    new_labels = list(labels)
    for text, label in zip(texts, labels, strict=True):
        for _ in range(copies):
            new_texts.append(synonym_replace(text, table, rng, p))
            new_labels.append(label)
    return new_texts, np.asarray(new_labels)


def text_model() -> Pipeline:
    """Return TF-IDF followed by logistic regression."""
    return make_pipeline(TfidfVectorizer(sublinear_tf=True), LogisticRegression(C=10, max_iter=2000))


def cv_accuracy(texts: list[str], labels: np.ndarray, augment: Augment | None, seed: int = 0) -> float:
    """Return 5-fold accuracy, augmenting only the training part of each fold."""
    accuracies = []
    for train, val in StratifiedKFold(5, shuffle=True, random_state=seed).split(texts, labels):
        x_train, y_train = [texts[i] for i in train], labels[train]
        if augment is not None:
            x_train, y_train = augment(x_train, y_train)
        model = text_model().fit(x_train, y_train)
        accuracies.append(float((model.predict([texts[i] for i in val]) == labels[val]).mean()))
    return float(np.mean(accuracies))


def author_lines(n: int, seed: int) -> tuple[list[str], np.ndarray]:
    """Return n verse lines of Shakespeare (label 0) and n of Milton's Paradise Lost (label 1)."""
    def lines(path: str) -> list[str]:
        found = []
        for line in data_path(path).read_text(encoding="utf-8").splitlines():
            words = re.findall(r"[A-Za-z']+", line)
            if 6 <= len(words) <= 14 and not line.strip().isupper():
                found.append(line.strip())
        return found

    rng = np.random.default_rng(seed)
    shakespeare = rng.choice(lines("shakespeare/shakespeare.txt"), n, replace=False).tolist()
    milton = rng.choice(lines("milton/paradiselost.txt"), n, replace=False).tolist()
    return shakespeare + milton, np.array([0] * n + [1] * n)


def main() -> None:
    df = load_penguins()
    gaps = missing_counts(df)
    log(f"missing values per column: {gaps}")
    report(missing_sex=gaps.get("sex", 0), missing_body_mass=gaps.get("body_mass_g", 0))

    complete = df.dropna(subset=NUMERIC)[NUMERIC].to_numpy()
    for kind in ("mean", "median", "knn", "iterative"):
        rmse = imputation_rmse(complete, NUMERIC.index("body_mass_g"), kind, frac=0.2, seed=0)
        report(**{f"rmse_{kind}": rmse})
        log(f"body mass imputed by {kind}: RMSE {rmse:.0f} g")

    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    y_species = df["species"].to_numpy()
    accuracy = cross_val_score(species_pipeline(), df[NUMERIC + CATEGORICAL], y_species, cv=cv).mean()
    report(species_accuracy=accuracy)

    x, y = rare_chinstrap(df, n_rare=25, seed=0)
    log(f"rare-class data: {len(y)} penguins, {y.mean():.1%} Chinstrap")
    plain = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5))
    report(
        f1_no_resampling=cross_val_score(plain, x, y, cv=cv, scoring="f1").mean(),
        f1_smote_in_cv=cross_val_score(smote_pipeline(), x, y, cv=cv, scoring="f1").mean(),
        f1_smote_leaky=leaky_smote_f1(x, y, cv),
    )

    table = load_synonyms(data_path("04-synonyms/synonyms.tsv"))
    texts, labels = author_lines(150 if SMOKE else 300, seed=0)
    rng = np.random.default_rng(1)
    example = next(t for t in texts if any(w.lower() in table for w in re.findall(r"\w+", t)))
    log(f"augmented example: {synonym_replace(example, table, rng, p=1.0)!r} <- {example!r}")

    def augment(t: list[str], y: np.ndarray) -> tuple[list[str], np.ndarray]:
        return augment_training(t, y, table, rng)

    # The mistake, for contrast: altered copies of validation lines end up in training folds.
    leaky_texts, leaky_labels = augment_training(texts, labels, table, np.random.default_rng(1))
    report(
        text_acc_plain=cv_accuracy(texts, labels, None),
        text_acc_augmented=cv_accuracy(texts, labels, augment),
        text_acc_leaky=cv_accuracy(leaky_texts, leaky_labels, None),
    )


if __name__ == "__main__":
    main()
