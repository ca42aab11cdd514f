"""Skip-gram word vectors on Shakespeare: neighbours, analogies and a PCA map.

Fill in every function marked TODO, run, and read the checks' messages.
"""

from __future__ import annotations

import json
import re

import numpy as np
from gensim.models import Word2Vec
from gensim.test.utils import datapath
from masterclass import SMOKE, data_path, log, report, save_artifact

WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
MAP_WORDS = [
    "king", "queen", "prince", "princess", "duke", "duchess", "lord", "lady", "man", "woman",
    "father", "mother", "son", "daughter", "brother", "sister", "husband", "wife",
    "france", "england", "rome", "venice", "sword", "dagger", "love", "hate", "day", "night",
]


def sentences_from_text(text: str) -> list[list[str]]:
    """Split text into lines of lower-case word tokens, keeping lines with two or more words."""
    # TODO: for each line, WORD_RE.findall(line.lower()); keep the lists with >= 2 tokens.
    raise NotImplementedError("sentences_from_text")


def make_model(dim: int) -> Word2Vec:
    """Return an untrained skip-gram model with negative sampling."""
    # TODO: choose skip-gram (sg=1), window=5, min_count=5, negative=5, sample=1e-3.
    # Keep workers=1 and seed=0: one thread makes training repeat exactly.
    return Word2Vec(vector_size=dim, workers=1, seed=0)


def train(model: Word2Vec, sentences: list[list[str]], epochs: int, chunks: int = 10) -> None:
    """Train epoch by epoch in chunks, decaying the learning rate and reporting the loss."""
    model.build_vocab(sentences)
    start, end = 0.025, 0.0001
    total = epochs * chunks
    step = 0
    for epoch in range(epochs):
        for part in np.array_split(np.arange(len(sentences)), chunks):
            batch = sentences[part[0] : part[-1] + 1]
            a0 = start - (start - end) * step / total
            a1 = start - (start - end) * (step + 1) / total
            model.train(batch, total_examples=len(batch), epochs=1, start_alpha=a0, end_alpha=a1,
                        compute_loss=True)
            words = sum(len(s) for s in batch)
            step += 1
            report(step=step, loss=model.get_latest_training_loss() / words)
        report(step=step, wordsim_spearman=wordsim(model))
        log(f"epoch {epoch + 1}/{epochs} done")


def wordsim(model: Word2Vec) -> float:
    """Return the Spearman correlation with human similarity judgements (WordSim-353)."""
    _, spearman, _ = model.wv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    return float(spearman.statistic)


def nearest(words: list[str], vectors: np.ndarray, query: str, k: int) -> list[str]:
    """Return the k words with the highest cosine similarity to query (query excluded)."""
    # TODO: normalise every row to length 1, take dot products with the query's row,
    # exclude the query itself, return the k best words in order.
    raise NotImplementedError("nearest")


def analogy(words: list[str], vectors: np.ndarray, a: str, b: str, c: str, k: int) -> list[str]:
    """Return the k best answers to "a is to b as c is to ?" by b - a + c on unit vectors."""
    # TODO: on unit vectors, target = b - a + c; rank all words by cosine with target,
    # excluding a, b and c themselves; return the k best.
    raise NotImplementedError("analogy")


def pca_2d(x: np.ndarray) -> np.ndarray:
    """Project rows of x onto their first two principal components."""
    # TODO: centre the columns, take np.linalg.svd(centred, full_matrices=False),
    # and project onto the first two right singular vectors.
    raise NotImplementedError("pca_2d")


def word_map(words: list[str], points: np.ndarray) -> dict:
    """Return a Plotly figure (as a dict) of labelled 2-D word positions."""
    return {
        "data": [{
            "type": "scatter", "mode": "markers+text", "x": np.round(points[:, 0], 4).tolist(),
            "y": np.round(points[:, 1], 4).tolist(), "text": words, "textposition": "top center",
            "hovertemplate": "%{text}<br>PC1 %{x:.2f}<br>PC2 %{y:.2f}<extra></extra>",
        }],
        "layout": {"title": {"text": "Shakespeare word vectors, first two principal components"},
                   "xaxis": {"title": {"text": "PC1"}}, "yaxis": {"title": {"text": "PC2"}}},
    }


def main() -> None:
    text = data_path("shakespeare/shakespeare.txt").read_text(encoding="utf-8")
    try:
        sentences = sentences_from_text(text)
    except NotImplementedError:
        log("TODO: implement sentences_from_text() first; nothing to train on yet")
        return
    log(f"{len(sentences)} lines, {sum(map(len, sentences))} words")
    epochs, dim = (1, 50) if SMOKE else (8, 100)
    model = make_model(dim)
    train(model, sentences, epochs)

    words = list(model.wv.index_to_key[:5000])
    vectors = model.wv.vectors[:5000].astype(np.float32)
    np.savez_compressed("vectors.npz", words=np.array(words), vectors=vectors)
    save_artifact("vectors.npz")
    accuracy, _ = model.wv.evaluate_word_analogies(datapath("questions-words.txt"))
    report(analogy_accuracy=accuracy, wordsim_spearman=wordsim(model))

    try:
        for w in ("king", "love", "france", "night", "sword"):
            log(f"{w}: {nearest(words, vectors, w, 8)}")
        ranking = analogy(words, vectors, "man", "king", "woman", len(words) - 3)
        log(f"king - man + woman: {ranking[:10]}")
        report(queen_rank=ranking.index("queen") + 1)
        shown = [w for w in MAP_WORDS if w in words]
        points = pca_2d(vectors[[words.index(w) for w in shown]])
    except NotImplementedError as exc:
        log(f"TODO: implement {exc}()")
        return
    with open("pca_words.json", "w") as f:
        json.dump(word_map(shown, points), f)
    save_artifact("pca_words.json")


if __name__ == "__main__":
    main()
