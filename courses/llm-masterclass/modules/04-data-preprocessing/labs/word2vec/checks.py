"""Checks for the word2vec lab."""

from __future__ import annotations

import json

import numpy as np


def _call(run, name, *args):
    """Call the learner's function, turning a TODO into a clear failure."""
    try:
        return getattr(run.module, name)(*args)
    except NotImplementedError:
        raise AssertionError(f"{name}() is still a TODO: implement it in main.py") from None


def _random_vectors(n: int = 60, dim: int = 8, seed: int = 7):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(n)]
    return words, rng.normal(size=(n, dim)) * rng.uniform(0.2, 5.0, size=(n, 1))


def check_sentences(run):
    """sentences_from_text() gives one lower-case token list per line, dropping short lines"""
    text = "ROMEO.\nBut soft! What light through yonder window breaks?\n\nIt is the East, and Juliet is the sun.\nAy me."
    got = _call(run, "sentences_from_text", text)
    want = [["but", "soft", "what", "light", "through", "yonder", "window", "breaks"],
            ["it", "is", "the", "east", "and", "juliet", "is", "the", "sun"], ["ay", "me"]]
    assert got == want, f"got {got}; expected {want} (one list per line, lines with fewer than 2 words dropped)"


def check_nearest(run):
    """nearest() ranks by cosine similarity and leaves out the query"""
    words, vectors = _random_vectors()
    got = _call(run, "nearest", words, vectors, "w3", 5)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = unit @ unit[3]
    sims[3] = -np.inf
    want = [words[i] for i in np.argsort(-sims)[:5]]
    assert "w3" not in got, "leave the query word out of its own neighbours"
    dots = vectors @ vectors[3]
    dots[3] = -np.inf
    by_dot = [words[i] for i in np.argsort(-dots)[:5]]
    assert list(got) == want, (
        f"got {got}, expected {want}" + (": that is the dot-product order; divide by the norms (cosine)"
                                          if list(got) == by_dot else "")
    )


def check_analogy(run):
    """analogy() solves b - a + c on unit vectors, excluding the three inputs"""
    words, vectors = _random_vectors(seed=11)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    target = unit[1] - unit[0] + unit[2]
    sims = unit @ (target / np.linalg.norm(target))
    sims[[0, 1, 2]] = -np.inf
    want = [words[i] for i in np.argsort(-sims)[:4]]
    got = _call(run, "analogy", words, vectors, "w0", "w1", "w2", 4)
    assert not {"w0", "w1", "w2"} & set(got), "exclude a, b and c from the answers"
    assert list(got) == want, f"analogy(a=w0, b=w1, c=w2) gave {got}, expected {want} (normalise each vector first)"


def check_pca(run):
    """pca_2d() projects onto the two directions of largest variance"""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 6)) @ np.diag([5.0, 3.0, 1.0, 0.5, 0.2, 0.1]) + 10.0
    got = np.asarray(_call(run, "pca_2d", x), dtype=float)
    assert got.shape == (40, 2), f"pca_2d returned shape {got.shape}, expected (40, 2)"
    from sklearn.decomposition import PCA

    want = PCA(n_components=2).fit_transform(x)
    for j in range(2):
        err = min(np.abs(got[:, j] - want[:, j]).max(), np.abs(got[:, j] + want[:, j]).max())
        assert err < 1e-6, f"component {j + 1} differs from PCA (centre the data, then use the SVD's top rows)"


def check_queen(run):
    """king - man + woman lands near queen"""
    rank = run.require("queen_rank")
    assert rank <= 10, (
        f"queen is number {rank:.0f} for king - man + woman; a skip-gram model (sg=1, window 5, "
        "negative 5, min_count 5) trained as in the starter puts it in the top 10"
    )


def check_quality(run):
    """The vectors score on the standard analogy and similarity tests"""
    accuracy = run.require("analogy_accuracy")
    floor = 0.01 if run.smoke else 0.03
    assert accuracy >= floor, f"analogy accuracy {accuracy:.3f} is below {floor} (the reference reaches about 0.04)"
    if not run.smoke:
        spearman = run.require("wordsim_spearman")
        assert spearman >= 0.15, f"WordSim-353 Spearman {spearman:.3f} is below 0.15 (the reference reaches about 0.22)"
    losses = run.series("loss")
    assert len(losses) >= 5, "report(step=..., loss=...) while training so the curve streams"
    assert losses[-1] < losses[0], f"the loss did not fall ({losses[0]:.3f} -> {losses[-1]:.3f})"


def check_saved_vectors(run):
    """Saved vectors reproduce the neighbours you compute"""
    data = np.load(run.artifact("vectors.npz"))
    words, vectors = [str(w) for w in data["words"]], data["vectors"]
    assert len(words) >= 1000 and vectors.shape[0] == len(words), "save the 5,000 most frequent words with vectors"
    got = _call(run, "nearest", words, vectors, "night", 5)
    assert "day" in got or "morning" in got, f"nearest('night') = {got}: expected day or morning among them"


def check_pca_figure(run):
    """The PCA word map is a labelled Plotly figure"""
    fig = json.loads(run.artifact("pca_words.json").read_text())
    trace = fig["data"][0]
    labels = set(trace.get("text") or [])
    assert {"king", "queen", "man", "woman"} <= labels, "label the points with the words (king, queen, man, woman...)"
    assert len(trace["x"]) == len(trace["text"]) >= 10, "plot at least 10 labelled words"
    spread = np.std(np.asarray(trace["x"], dtype=float))
    assert spread > 0, "all points sit on one spot: project with pca_2d() first"
