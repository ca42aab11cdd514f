"""Generate the Plotly figures of Module 4 (Data and Preprocessing) as JSON files.

Usage: python courses/llm-masterclass/tools/figures_04.py
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.utils
from plotly.subplots import make_subplots

COURSE = Path(__file__).resolve().parents[1]
OUT = COURSE / "modules" / "04-data-preprocessing" / "figures"
DATA = COURSE / "data"


def _round(value: Any) -> Any:
    """Round every float to 4 significant digits, recursively."""
    if isinstance(value, float):
        if value == 0 or not math.isfinite(value):
            return value
        return round(value, 3 - int(math.floor(math.log10(abs(value)))))
    if isinstance(value, list):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


def save(fig: go.Figure, name: str) -> None:
    """Write a figure as compact, rounded JSON and check its size."""
    fig.update_layout(template="plotly_white", margin={"t": 60, "l": 60, "r": 20, "b": 50})
    plain = json.loads(json.dumps(fig.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder))
    plain["layout"].pop("template", None)  # the site applies its own theme; keeps files small
    text = json.dumps(_round(plain), separators=(",", ":"))
    assert len(text) < 150_000, f"{name} is {len(text)} bytes"
    (OUT / f"{name}.json").write_text(text)
    print(f"{name}.json: {len(text) / 1000:.1f} kB")


def penguins():
    from palmerpenguins import load_penguins

    return load_penguins()


def fig_scaling() -> None:
    """Show the same penguins raw, min-max scaled and standardised."""
    df = penguins().dropna(subset=["bill_depth_mm", "body_mass_g"])
    x = df[["bill_depth_mm", "body_mass_g"]].to_numpy()
    minmax = (x - x.min(0)) / (x.max(0) - x.min(0))
    standard = (x - x.mean(0)) / x.std(0)
    fig = make_subplots(rows=1, cols=3, subplot_titles=(
        "raw units (mm vs g)", "min-max scaled to [0, 1]", "standardised (z-scores)"))
    for col, (data, unit) in enumerate([(x, ("mm", "g")), (minmax, ("", "")), (standard, ("sd", "sd"))], 1):
        fig.add_trace(go.Scatter(
            x=data[:, 0], y=data[:, 1], mode="markers", marker={"size": 5, "opacity": 0.6},
            text=df["species"], showlegend=False,
            hovertemplate=f"%{{text}}<br>bill depth %{{x:.2f}} {unit[0]}<br>body mass %{{y:.2f}} {unit[1]}<extra></extra>",
        ), row=1, col=col)
        fig.update_xaxes(title_text="bill depth", row=1, col=col)
        fig.update_yaxes(title_text="body mass", row=1, col=col)
    # Equal axis scales on the raw panel show how grams dwarf millimetres in any distance.
    fig.update_xaxes(scaleanchor="y", scaleratio=1, row=1, col=1)
    fig.update_layout(title="One data set, three scales: distances are dominated by whichever feature has big numbers",
                      height=420)
    save(fig, "scaling")


def fig_tfidf() -> None:
    """Show TF-IDF weights of a few famous lines."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    lines = [
        "To be, or not to be, that is the question",
        "Now is the winter of our discontent made glorious summer by this sun of York",
        "But soft, what light through yonder window breaks? It is the east, and Juliet is the sun",
        "Friends, Romans, countrymen, lend me your ears",
        "All the world's a stage, and all the men and women merely players",
        "Is this a dagger which I see before me",
    ]
    vec = TfidfVectorizer()
    weights = vec.fit_transform(lines).toarray()
    vocab = vec.get_feature_names_out()
    cols = np.argsort(-weights.max(0))[:24]
    cols = cols[np.argsort(vocab[cols])]
    labels = [line[:28] + "..." for line in lines]
    fig = go.Figure(go.Heatmap(
        z=weights[:, cols], x=vocab[cols].tolist(), y=labels, colorscale="Blues",
        hovertemplate="line: %{y}<br>term: %{x}<br>tf-idf: %{z:.3f}<extra></extra>",
        colorbar={"title": {"text": "weight"}},
    ))
    fig.update_layout(title="TF-IDF weights: words unique to one line score high, shared words ('the', 'is') low",
                      xaxis_title="term", yaxis_title="document (line)", height=430)
    save(fig, "tfidf_weights")


def fig_bpe() -> None:
    """Plot characters per token against BPE vocabulary size."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    text = (DATA / "shakespeare" / "shakespeare.txt").read_text(encoding="utf-8")
    train, held = text[:1_500_000], text[-300_000:]
    milton = (DATA / "milton" / "paradiselost.txt").read_text(encoding="utf-8")[:300_000]
    sizes = [260, 500, 1000, 2000, 4000, 8000, 16000]
    ours, theirs = [], []
    for size in sizes:
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.decoder = decoders.ByteLevel()
        tok.train_from_iterator(train.splitlines(keepends=True), trainers.BpeTrainer(
            vocab_size=size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
        ours.append(len(held) / len(tok.encode(held).ids))
        theirs.append(len(milton) / len(tok.encode(milton).ids))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=sizes, y=ours, mode="lines+markers", name="held-out Shakespeare",
                             hovertemplate="vocab %{x}<br>%{y:.2f} chars/token<extra>Shakespeare</extra>"))
    fig.add_trace(go.Scatter(x=sizes, y=theirs, mode="lines+markers", name="Milton (other author)",
                             hovertemplate="vocab %{x}<br>%{y:.2f} chars/token<extra>Milton</extra>"))
    fig.update_layout(title="Byte-level BPE trained on 1.5 M characters of Shakespeare: bigger vocabulary, fewer tokens",
                      xaxis={"title": {"text": "vocabulary size (log scale)"}, "type": "log"},
                      yaxis_title="characters per token", height=420)
    save(fig, "bpe_compression")


def fig_word_vectors() -> None:
    """Map selected Shakespeare word vectors onto two principal components."""
    from gensim.models import Word2Vec

    text = (DATA / "shakespeare" / "shakespeare.txt").read_text(encoding="utf-8")
    sents = [t for t in (re.findall(r"[a-z]+(?:'[a-z]+)?", line.lower()) for line in text.splitlines()) if len(t) > 1]
    model = Word2Vec(sents, vector_size=100, window=5, min_count=5, sg=1, negative=5, epochs=5, workers=1, seed=0)
    groups = {
        "royalty": ["king", "queen", "prince", "duke", "lord", "lady", "crown", "throne"],
        "family": ["father", "mother", "son", "daughter", "brother", "sister", "husband", "wife"],
        "places": ["france", "england", "rome", "venice", "london", "egypt"],
        "weapons": ["sword", "dagger", "knife", "spear"],
        "time": ["day", "night", "morning", "evening", "hour", "year"],
    }
    words = [w for ws in groups.values() for w in ws]
    x = np.array([model.wv[w] for w in words])
    centred = x - x.mean(0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    pts = centred @ vt[:2].T
    share = s[:2] ** 2 / (s**2).sum()
    fig = go.Figure()
    i = 0
    for name, ws in groups.items():
        neighbours = ["<br>nearest: " + ", ".join(n for n, _ in model.wv.most_similar(w, topn=4)) for w in ws]
        fig.add_trace(go.Scatter(
            x=pts[i:i + len(ws), 0], y=pts[i:i + len(ws), 1], mode="markers+text", text=ws,
            textposition="top center", name=name, customdata=neighbours,
            hovertemplate="<b>%{text}</b>%{customdata}<extra></extra>"))
        i += len(ws)
    fig.update_layout(title="Skip-gram vectors trained on Shakespeare, projected to 2-D with PCA (hover: nearest words)",
                      xaxis_title=f"PC1 ({share[0]:.0%} of variance)", yaxis_title=f"PC2 ({share[1]:.0%} of variance)",
                      height=500)
    save(fig, "word_vectors_pca")


def _toy_imbalanced(seed: int = 0):
    rng = np.random.default_rng(seed)
    majority = rng.normal([0, 0], [1.0, 1.0], size=(200, 2))
    minority = rng.normal([1.8, 1.5], [0.5, 0.5], size=(16, 2))
    return np.vstack([majority, minority]), np.array([0] * 200 + [1] * 16)


def fig_resampling() -> None:
    """Compare random over-, random under-sampling and SMOTE on a 2-D toy set."""
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from imblearn.under_sampling import RandomUnderSampler

    x, y = _toy_imbalanced()
    panels = [("original (200 vs 16)", x, y, None),
              ("random oversampling", *RandomOverSampler(random_state=0).fit_resample(x, y), None),
              ("random undersampling", *RandomUnderSampler(random_state=0).fit_resample(x, y), None),
              ("SMOTE", *SMOTE(random_state=0).fit_resample(x, y), len(x))]
    fig = make_subplots(rows=1, cols=4, subplot_titles=[p[0] for p in panels], shared_yaxes=True)
    rng = np.random.default_rng(1)
    for col, (title, xs, ys, n_orig) in enumerate(panels, 1):
        synthetic = np.zeros(len(ys), bool)
        if n_orig is not None:
            synthetic[n_orig:] = True
        jitter = rng.normal(0, 0.04, size=xs.shape) if title.startswith("random over") else 0
        for cls, colour, name in [(0, "#9aa5b1", "majority"), (1, "#d9480f", "minority")]:
            m = (ys == cls) & ~synthetic
            fig.add_trace(go.Scatter(x=(xs + jitter)[m, 0], y=(xs + jitter)[m, 1], mode="markers", name=name,
                                     marker={"color": colour, "size": 5, "opacity": 0.7}, legendgroup=name,
                                     showlegend=col == 1, hovertemplate=f"{name}<extra>{title}</extra>"),
                          row=1, col=col)
        if synthetic.any():
            fig.add_trace(go.Scatter(x=xs[synthetic, 0], y=xs[synthetic, 1], mode="markers", name="synthetic (SMOTE)",
                                     marker={"color": "#f59f00", "size": 6, "symbol": "x"},
                                     hovertemplate="synthetic minority point<extra>SMOTE</extra>"), row=1, col=col)
        fig.update_xaxes(title_text="feature 1", row=1, col=col)
    fig.update_yaxes(title_text="feature 2", row=1, col=1)
    fig.update_layout(title="Rebalancing 200 vs 16: duplicate, discard, or interpolate new minority points",
                      height=400)
    save(fig, "resampling")


def fig_imputation() -> None:
    """Show hidden body masses filled by the mean and by KNN against the truth."""
    from sklearn.impute import KNNImputer, SimpleImputer
    from sklearn.preprocessing import StandardScaler

    cols = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    x = penguins().dropna(subset=cols)[cols].to_numpy()
    rng = np.random.default_rng(0)
    hidden = rng.random(len(x)) < 0.2
    holed = x.copy()
    holed[hidden, 3] = np.nan
    scaler = StandardScaler().fit(holed)
    fills = {}
    for name, imp in [("mean", SimpleImputer()), ("KNN (k=5)", KNNImputer(n_neighbors=5))]:
        fills[name] = scaler.inverse_transform(imp.fit_transform(scaler.transform(holed)))[hidden, 3]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x[~hidden, 2], y=x[~hidden, 3], mode="markers", name="observed",
                             marker={"color": "#ced4da", "size": 5},
                             hovertemplate="flipper %{x} mm<br>mass %{y} g<extra>observed</extra>"))
    fig.add_trace(go.Scatter(x=x[hidden, 2], y=x[hidden, 3], mode="markers", name="hidden true value",
                             marker={"color": "black", "size": 6, "symbol": "circle-open"},
                             hovertemplate="flipper %{x} mm<br>true mass %{y} g<extra>truth</extra>"))
    for (name, fill), colour in zip(fills.items(), ["#e8590c", "#1971c2"], strict=True):
        rmse = np.sqrt(np.mean((fill - x[hidden, 3]) ** 2))
        fig.add_trace(go.Scatter(x=x[hidden, 2], y=fill, mode="markers", name=f"{name} fill (RMSE {rmse:.0f} g)",
                                 marker={"color": colour, "size": 6},
                                 hovertemplate=f"flipper %{{x}} mm<br>imputed %{{y:.0f}} g<extra>{name}</extra>"))
    fig.update_layout(title="20% of penguin body masses hidden, then imputed: the mean ignores every other feature",
                      xaxis_title="flipper length (mm)", yaxis_title="body mass (g)", height=450)
    save(fig, "imputation")


def fig_smote_leak() -> None:
    """Compare honest and leaky SMOTE cross-validation scores."""
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import Pipeline as ImbPipeline
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    df = penguins().dropna(subset=["bill_depth_mm", "flipper_length_mm", "body_mass_g"])
    y_all = (df["species"] == "Chinstrap").to_numpy().astype(int)
    x_all = df[["bill_depth_mm", "flipper_length_mm", "body_mass_g"]].to_numpy()
    rng = np.random.default_rng(0)
    keep = np.concatenate([np.flatnonzero(y_all == 0), rng.choice(np.flatnonzero(y_all == 1), 25, replace=False)])
    x, y = x_all[keep], y_all[keep]
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    knn = KNeighborsClassifier(5)
    scores = {}
    for metric in ("f1", "recall"):
        plain = cross_val_score(make_pipeline(StandardScaler(), knn), x, y, cv=cv, scoring=metric).mean()
        honest = cross_val_score(ImbPipeline([("s", StandardScaler()), ("smote", SMOTE(random_state=0)), ("m", knn)]),
                                 x, y, cv=cv, scoring=metric).mean()
        xs, ys = SMOTE(random_state=0).fit_resample(StandardScaler().fit_transform(x), y)
        leaky = cross_val_score(knn, xs, ys, cv=cv, scoring=metric).mean()
        scores[metric] = [plain, honest, leaky]
    names = ["no resampling", "SMOTE inside CV (honest)", "SMOTE before CV (leaky)"]
    fig = go.Figure()
    for metric, colour in [("f1", "#1971c2"), ("recall", "#74c0fc")]:
        fig.add_trace(go.Bar(x=names, y=scores[metric], name=f"minority {metric}", marker_color=colour,
                             text=[f"{v:.2f}" for v in scores[metric]], textposition="outside",
                             hovertemplate=f"%{{x}}<br>{metric} %{{y:.3f}}<extra></extra>"))
    fig.update_layout(title="Rare Chinstrap penguins (25 of 299), 5-NN, 5-fold CV: leaking SMOTE inflates every score",
                      yaxis={"title": {"text": "cross-validated score"}, "range": [0, 1.1]}, barmode="group", height=420)
    save(fig, "smote_leak")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for make in (fig_scaling, fig_tfidf, fig_bpe, fig_word_vectors, fig_resampling, fig_imputation, fig_smote_leak):
        make()


if __name__ == "__main__":
    main()
