"""Imputation, SMOTE inside cross-validation, and leak-free text augmentation.

Fill in every function marked TODO, run, and read the checks' messages.
"""

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
    # TODO: df.isna().sum(), then keep the columns whose count is above 0, as plain ints.
    raise NotImplementedError("missing_counts")


def make_imputer(kind: str):
    """Return an unfitted imputer: 'mean', 'median', 'knn' (5 neighbours) or 'iterative'."""
    # TODO: 'mean'/'median' -> SimpleImputer(strategy=kind); 'knn' -> KNNImputer(n_neighbors=5);
    # 'iterative' -> IterativeImputer(max_iter=10, random_state=0); anything else -> ValueError.
    raise NotImplementedError("make_imputer")


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
    # TODO: numeric columns: SimpleImputer(median) then StandardScaler; categorical columns:
    # SimpleImputer(most_frequent) then OneHotEncoder(handle_unknown='ignore'); join them with a
    # ColumnTransformer and end with LogisticRegression(max_iter=1000), all in one Pipeline.
    raise NotImplementedError("species_pipeline")


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
    # TODO: an imblearn Pipeline: StandardScaler -> SMOTE(random_state=0) -> KNeighborsClassifier(5).
    raise NotImplementedError("smote_pipeline")


def leaky_smote_f1(x: np.ndarray, y: np.ndarray, cv: StratifiedKFold) -> float:
    """Return F1 when SMOTE runs on all data BEFORE splitting: the mistake to recognise."""
    xs, ys = SMOTE(random_state=0).fit_resample(StandardScaler().fit_transform(x), y)
    model = KNeighborsClassifier(n_neighbors=5)
    return float(cross_val_score(model, xs, ys, cv=cv, scoring="f1").mean())


# ---------- 3. Text augmentation ----------
def load_synonyms(path: Path) -> dict[str, list[str]]:
    """Read 'word<TAB>syn1,syn2' lines (skipping '#' comments) into a dict."""
    # TODO: skip blank lines and lines starting with '#'; split 'word<TAB>a,b,c'.
    raise NotImplementedError("load_synonyms")


def synonym_replace(text: str, table: dict[str, list[str]], rng: np.random.Generator, p: float) -> str:
    """Replace each word found in table by a random synonym with probability p."""
    # TODO: split with re.findall(r"\w+|\W+", text) so punctuation survives; replace a piece
    # whose lower-case form is in the table, with probability p, by a random synonym (use rng).
    raise NotImplementedError("synonym_replace")


def augment_training(texts: list[str], labels: np.ndarray, table: dict[str, list[str]],
                     rng: np.random.Generator, copies: int = 2, p: float = 0.3) -> tuple[list[str], np.ndarray]:
    """Return the originals plus `copies` altered versions of each, every copy keeping its source's label."""
    # TODO: keep the originals, then add `copies` synonym_replace versions of each text with the
    # SAME label as that text.
    raise NotImplementedError("augment_training")


def text_model() -> Pipeline:
    """Return TF-IDF followed by logistic regression."""
    return make_pipeline(TfidfVectorizer(sublinear_tf=True), LogisticRegression(C=10, max_iter=2000))


def cv_accuracy(texts: list[str], labels: np.ndarray, augment: Augment | None, seed: int = 0) -> float:
    """Return 5-fold accuracy, augmenting only the training part of each fold."""
    # TODO: StratifiedKFold(5, shuffle=True, random_state=seed); in each fold call augment (if given)
    # on the TRAINING texts and labels only, fit text_model(), score accuracy on the validation part.
    raise NotImplementedError("cv_accuracy")


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


def attempt(step: Callable[..., object], *args: object) -> object:
    """Call one step; on a TODO log it and return None so the rest still runs."""
    try:
        return step(*args)
    except NotImplementedError as exc:
        log(f"TODO: implement {exc}()")
        return None


def main() -> None:
    df = load_penguins()
    gaps = attempt(missing_counts, df)
    if gaps is not None:
        log(f"missing values per column: {gaps}")
        report(missing_sex=gaps.get("sex", 0), missing_body_mass=gaps.get("body_mass_g", 0))

    complete = df.dropna(subset=NUMERIC)[NUMERIC].to_numpy()
    for kind in ("mean", "median", "knn", "iterative"):
        rmse = attempt(imputation_rmse, complete, NUMERIC.index("body_mass_g"), kind, 0.2, 0)
        if rmse is not None:
            report(**{f"rmse_{kind}": rmse})

    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    pipe = attempt(species_pipeline)
    if pipe is not None:
        report(species_accuracy=cross_val_score(pipe, df[NUMERIC + CATEGORICAL], df["species"], cv=cv).mean())

    x, y = rare_chinstrap(df, n_rare=25, seed=0)
    plain = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5))
    report(f1_no_resampling=cross_val_score(plain, x, y, cv=cv, scoring="f1").mean(),
           f1_smote_leaky=leaky_smote_f1(x, y, cv))
    honest = attempt(smote_pipeline)
    if honest is not None:
        report(f1_smote_in_cv=cross_val_score(honest, x, y, cv=cv, scoring="f1").mean())

    table = attempt(load_synonyms, data_path("04-synonyms/synonyms.tsv"))
    texts, labels = author_lines(150 if SMOKE else 300, seed=0)
    rng = np.random.default_rng(1)

    def augment(t: list[str], y: np.ndarray) -> tuple[list[str], np.ndarray]:
        return augment_training(t, y, table, rng)

    plain_acc = attempt(cv_accuracy, texts, labels, None)
    if plain_acc is None or table is None:
        return
    leaky = attempt(augment_training, texts, labels, table, np.random.default_rng(1))
    if leaky is None:
        return
    report(text_acc_plain=plain_acc, text_acc_augmented=cv_accuracy(texts, labels, augment),
           text_acc_leaky=cv_accuracy(leaky[0], leaky[1], None))


if __name__ == "__main__":
    main()
