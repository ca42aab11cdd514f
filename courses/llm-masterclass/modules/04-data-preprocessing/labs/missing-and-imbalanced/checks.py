"""Checks for the missing-and-imbalanced lab."""

from __future__ import annotations

import numpy as np


def _call(run, name, *args, **kwargs):
    """Call the learner's function, turning a TODO into a clear failure."""
    try:
        return getattr(run.module, name)(*args, **kwargs)
    except NotImplementedError:
        raise AssertionError(f"{name}() is still a TODO: implement it in main.py") from None


def check_missing_counts(run):
    """missing_counts() lists only the columns with gaps"""
    import pandas as pd

    df = pd.DataFrame({"a": [1.0, None, 3.0], "b": ["x", "y", "z"], "c": [None, None, 2.0]})
    got = _call(run, "missing_counts", df)
    assert got == {"a": 1, "c": 2}, f"got {got}; expected {{'a': 1, 'c': 2}} (df.isna().sum(), columns with > 0)"


def check_imputers(run):
    """KNN and iterative imputation beat the mean on hidden body masses"""
    from sklearn.impute import KNNImputer, SimpleImputer

    imp = _call(run, "make_imputer", "knn")
    assert isinstance(imp, KNNImputer) and imp.n_neighbors == 5, "make_imputer('knn') should be KNNImputer(n_neighbors=5)"
    med = _call(run, "make_imputer", "median")
    assert isinstance(med, SimpleImputer) and med.strategy == "median", "make_imputer('median'): SimpleImputer(strategy='median')"
    mean, knn, iterative = (run.require(f"rmse_{k}") for k in ("mean", "knn", "iterative"))
    assert knn < 0.6 * mean, f"KNN RMSE {knn:.0f} g is not well below the mean's {mean:.0f} g (reference: about 310 vs 750)"
    assert iterative < 0.7 * mean, f"iterative RMSE {iterative:.0f} g should beat the mean's {mean:.0f} g (reference: about 370)"


def check_species_pipeline(run):
    """The species classifier imputes and encodes inside its own pipeline"""
    from palmerpenguins import load_penguins
    from sklearn.pipeline import Pipeline

    pipe = _call(run, "species_pipeline")
    assert isinstance(pipe, Pipeline), "species_pipeline() must return a sklearn Pipeline"
    df = load_penguins()
    cols = run.module.NUMERIC + run.module.CATEGORICAL
    try:
        pipe.fit(df[cols], df["species"])
    except ValueError as exc:
        raise AssertionError(f"the pipeline cannot fit rows with missing values: {exc}") from None
    accuracy = run.require("species_accuracy")
    assert accuracy >= 0.97, f"cross-validated species accuracy {accuracy:.3f} is below 0.97 (reference: 0.994)"


def check_smote_in_pipeline(run):
    """SMOTE sits inside an imblearn Pipeline, before the classifier"""
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import Pipeline as ImbPipeline

    pipe = _call(run, "smote_pipeline")
    assert isinstance(pipe, ImbPipeline), "use imblearn.pipeline.Pipeline: sklearn's Pipeline cannot hold a sampler"
    kinds = [type(step).__name__ for _, step in pipe.steps]
    assert any(isinstance(step, SMOTE) for _, step in pipe.steps), f"no SMOTE step in {kinds}"
    smote_at = next(i for i, (_, s) in enumerate(pipe.steps) if isinstance(s, SMOTE))
    assert smote_at < len(pipe.steps) - 1, "SMOTE must come before the final classifier"
    rng = np.random.default_rng(5)
    x = rng.normal(size=(60, 3))
    y = np.array([1] * 8 + [0] * 52)
    pipe.fit(x, y)
    assert pipe.predict(x).shape == (60,), "the pipeline should fit and predict"


def check_smote_scores(run):
    """Honest SMOTE helps the rare class; the leaky version flatters itself"""
    none = run.require("f1_no_resampling")
    honest = run.require("f1_smote_in_cv")
    leaky = run.require("f1_smote_leaky")
    assert honest > none + 0.15, f"F1 with SMOTE in CV ({honest:.2f}) should clearly beat no resampling ({none:.2f})"
    assert honest < 0.7, f"F1 {honest:.2f} is suspiciously high: are synthetic points reaching validation folds?"
    assert leaky > honest + 0.3, f"the leaky F1 ({leaky:.2f}) should far exceed the honest one ({honest:.2f})"


def check_synonym_replace(run):
    """Synonyms load from the table and replace whole words only"""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "syn.tsv"
        path.write_text("# comment\nnight\tdark,evening\nsweet\tdulcet\n\n", encoding="utf-8")
        table = _call(run, "load_synonyms", path)
    assert table == {"night": ["dark", "evening"], "sweet": ["dulcet"]}, f"load_synonyms gave {table}"
    text = "Good night, good night! Parting is such sweet sorrow; sweetly."
    rng = np.random.default_rng(0)
    assert _call(run, "synonym_replace", text, table, rng, 0.0) == text, "with p=0 the text must not change"
    out = _call(run, "synonym_replace", text, table, rng, 1.0)
    assert "night" not in out.lower() and "dulcet sorrow" in out, f"with p=1 every table word is replaced: {out!r}"
    assert out.endswith("sweetly.") and ", " in out, f"keep punctuation and words not in the table: {out!r}"


def check_augment_labels(run):
    """Every augmented copy keeps the label of its own source"""
    texts = [f"line number {i} of the sweet night" for i in range(6)]
    labels = np.array([0, 1, 1, 0, 1, 0])
    table = {"sweet": ["dulcet"], "night": ["evening"]}
    out_texts, out_labels = _call(run, "augment_training", texts, labels, table, np.random.default_rng(0), 2, 1.0)
    assert len(out_texts) == len(out_labels) == 18, "return the 6 originals plus 2 copies each (18 texts, 18 labels)"
    for text, label in zip(out_texts, out_labels):
        number = int(text.split()[2])
        assert label == labels[number], (
            f"{text!r} got label {label} but its source has {labels[number]}: copies must inherit their own "
            "source's label (np.tile instead of np.repeat is the usual slip)"
        )


def check_augment_training_folds_only(run):
    """cv_accuracy() augments only the training part of each fold"""
    texts, labels = [], []
    for i in range(40):
        texts.append(f"thou art sweet {i}" if i % 2 else f"the night is dark {i}")
        labels.append(i % 2)
    labels = np.array(labels)
    seen: list[int] = []

    def spy(t, y):
        seen.append(len(t))
        assert len(t) < len(texts), "augment() received every text: validation lines leak into training"
        return list(t) + list(t), np.concatenate([y, y])

    try:
        _call(run, "cv_accuracy", texts, labels, spy)
    except AssertionError as exc:
        raise AssertionError(str(exc)) from None
    assert len(seen) == 5, f"augment() was called {len(seen)} times; call it once per fold (5 folds)"
    assert all(n == 32 for n in seen), f"augment() got {seen} texts per fold; expected the 32 training texts"


def check_text_scores(run):
    """Leak-free augmentation scores honestly; the leaky version does not"""
    plain = run.require("text_acc_plain")
    augmented = run.require("text_acc_augmented")
    leaky = run.require("text_acc_leaky")
    assert plain > 0.65, f"plain accuracy {plain:.2f} is below 0.65 (reference about 0.71-0.75)"
    assert abs(augmented - plain) < 0.08, f"augmented accuracy {augmented:.2f} strays far from plain {plain:.2f}"
    assert leaky > augmented + 0.15, f"leaky accuracy {leaky:.2f} should be far above the honest {augmented:.2f}"
