"""Who wrote this passage, Shakespeare or Milton? Bag-of-words and TF-IDF with a linear model.

Fill in the TODOs of split_by_work and build_classifier, then run.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.pipeline import Pipeline, make_pipeline

from masterclass import SMOKE, data_path, log, report, save_artifact

CHUNK_SIZES = [10, 25, 50, 100] if SMOKE else [10, 25, 50, 100, 200]
MAX_CHUNKS_PER_WORK = 20 if SMOKE else 40


@dataclass
class Work:
    """One document: a play, a poem, a book of Paradise Lost, or a prose tract."""

    author: str
    title: str
    text: str


def _split_on_headings(text: str, pattern: str) -> list[tuple[str, str]]:
    heads = list(re.finditer(pattern, text, flags=re.MULTILINE))
    return [
        (m.group(0).strip(), text[m.end() : heads[i + 1].start() if i + 1 < len(heads) else None])
        for i, m in enumerate(heads)
    ]


def clean(text: str) -> str:
    """Drop speaker names, stage directions and layout dots, which are clues about format, not style."""
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\.{3,}", " ", text)
    lines = [ln for ln in text.splitlines() if not (ln.strip() and ln.strip().upper() == ln.strip())]
    return "\n".join(lines)


def load_works() -> list[Work]:
    """Read the 42 Shakespeare works and 15 Milton documents as separate works."""
    works = []
    plays = data_path("shakespeare/shakespeare.txt").read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^by William Shakespeare", plays, flags=re.MULTILINE)]
    titles = [plays[: s].rstrip().splitlines()[-1] for s in starts]
    title_pos = [plays.rfind(t, 0, s) for t, s in zip(titles, starts)]
    for i, (title, begin) in enumerate(zip(titles, title_pos)):
        end = title_pos[i + 1] if i + 1 < len(title_pos) else len(plays)
        works.append(Work("shakespeare", string.capwords(title.lower()), clean(plays[begin:end])))
    milton = data_path("milton")
    lost = (milton / "paradiselost.txt").read_text(encoding="utf-8")
    for head, body in _split_on_headings(lost, r"^BOOK [IVX]+\.? *$"):
        works.append(Work("milton", f"Paradise Lost, Book {head.split()[1].rstrip('.')}", clean(body)))
    poems = (milton / "allegro.txt").read_text(encoding="utf-8")
    for head, body in _split_on_headings(poems, r"^(L'ALLEGRO|IL PENSEROSO|COMUS|LYCIDAS)$"):
        works.append(Work("milton", string.capwords(head.lower()), clean(body)))
    # comus.txt is mostly a Victorian editor's notes, so only the Areopagitica is added from prose.
    tract = (milton / "areopagitica.txt").read_text(encoding="utf-8")
    works.append(Work("milton", "Areopagitica", clean(tract)))
    return works


def chunk_words(text: str, n_words: int, max_chunks: int) -> list[str]:
    """Cut a text into passages of n_words words; keep at most max_chunks, evenly spread."""
    words = text.split()
    chunks = [" ".join(words[i : i + n_words]) for i in range(0, len(words) - n_words + 1, n_words)]
    if len(chunks) > max_chunks:
        keep = np.linspace(0, len(chunks) - 1, max_chunks).round().astype(int)
        chunks = [chunks[i] for i in keep]
    return chunks


def split_by_work(
    works: list[Work], test_fraction: float = 0.25, seed: int = 0
) -> tuple[list[Work], list[Work]]:
    """Hold out whole works, about test_fraction of each author's, so no work is on both sides."""
    # TODO: for each author separately, shuffle that author's works with
    # np.random.default_rng(seed), put about test_fraction of them (at least 1, and at least 1
    # left for training) in the test list and the rest in the train list. Passages of one work
    # must never be on both sides: neighbouring passages share names and topics, and a split by
    # passage would reward memorising them.
    raise NotImplementedError("split_by_work(): hold out whole works for each author")


def make_dataset(works: list[Work], n_words: int) -> tuple[list[str], list[str], list[str]]:
    """Return passages, their authors and the title of the work each came from."""
    texts, labels, groups = [], [], []
    for work in works:
        for chunk in chunk_words(work.text, n_words, MAX_CHUNKS_PER_WORK):
            texts.append(chunk)
            labels.append(work.author)
            groups.append(work.title)
    return texts, labels, groups


def build_classifier(kind: str) -> Pipeline:
    """Return a text -> author pipeline: word counts ('bow') or TF-IDF ('tfidf'), then logistic regression."""
    # TODO: kind "bow" -> CountVectorizer, kind "tfidf" -> TfidfVectorizer (try sublinear_tf=True);
    # lowercase, min_df=2. Follow it with LogisticRegression(max_iter=2000, C=10.0,
    # class_weight="balanced") and return make_pipeline(vectorizer, model).
    raise NotImplementedError(f"build_classifier({kind!r}): build a vectorizer + linear model pipeline")


def top_features(pipe: Pipeline, k: int = 20) -> dict[str, list[str]]:
    """Return the k words that push hardest towards each author."""
    vectorizer, model = pipe.steps[0][1], pipe.steps[-1][1]
    words = np.array(vectorizer.get_feature_names_out())
    order = np.argsort(model.coef_[0])
    negative, positive = model.classes_
    return {positive: words[order[::-1][:k]].tolist(), negative: words[order[:k]].tolist()}


def main() -> None:
    """Compare BoW and TF-IDF across passage lengths on held-out works."""
    works = load_works()
    train_works, test_works = split_by_work(works, test_fraction=0.25, seed=0)
    log(f"{len(works)} works; held out: {', '.join(w.title for w in test_works)}")
    with open("split.json", "w", encoding="utf-8") as f:
        json.dump({"train": [w.title for w in train_works], "test": [w.title for w in test_works]}, f, indent=1)
    save_artifact("split.json")
    for n_words in CHUNK_SIZES:
        x_train, y_train, _ = make_dataset(train_works, n_words)
        x_test, y_test, _ = make_dataset(test_works, n_words)
        scores = {}
        for kind in ("bow", "tfidf"):
            pipe = build_classifier(kind).fit(x_train, y_train)
            pred = pipe.predict(x_test)
            scores[f"{kind}_accuracy"] = accuracy_score(y_test, pred)
            scores[f"{kind}_balanced_accuracy"] = balanced_accuracy_score(y_test, pred)
            if kind == "tfidf" and n_words == 100:
                with open("top_features.json", "w", encoding="utf-8") as f:
                    json.dump(top_features(pipe), f, indent=1)
                save_artifact("top_features.json")
        report(step=n_words, **scores)
        log(f"{n_words:>4} words: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()))
    print(Path("top_features.json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    try:
        main()
    except NotImplementedError as todo:
        print(f"Not finished yet: {todo}")
