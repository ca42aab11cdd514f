"""Checks for the authorship attribution lab."""

from __future__ import annotations

import json


def _fake_works(module):
    work = module.Work
    works = [work("a", f"A{i}", f"text of a {i} " * 50) for i in range(8)]
    works += [work("b", f"B{i}", f"text of b {i} " * 50) for i in range(6)]
    return works


def check_split_is_by_work(run):
    """split_by_work keeps every work whole and tests on both authors"""
    module = run.module
    works = _fake_works(module)
    train, test = module.split_by_work(works, test_fraction=0.25, seed=3)
    train_titles = {w.title for w in train}
    test_titles = {w.title for w in test}
    assert train_titles and test_titles, "both the training and the test side need works"
    assert not train_titles & test_titles, (
        f"works {sorted(train_titles & test_titles)} are on both sides: split whole works, "
        "never passages of one work"
    )
    assert len(train) + len(test) == len(works), "every work must land on exactly one side"
    for author in ("a", "b"):
        assert any(w.author == author for w in test), f"no work by author {author!r} is held out"
        assert any(w.author == author for w in train), f"no work by author {author!r} is left to train on"
    share = len(test) / len(works)
    assert 0.1 <= share <= 0.5, f"{share:.0%} of works held out; test_fraction=0.25 asks for about 25%"
    again = module.split_by_work(works, test_fraction=0.25, seed=3)[1]
    assert [w.title for w in again] == [w.title for w in test], "the split must be repeatable for a seed"


def check_run_split_has_no_leak(run):
    """The run held out whole works of both authors (split.json)"""
    split = json.loads(run.artifact("split.json").read_text())
    train, test = set(split["train"]), set(split["test"])
    assert test, "split.json lists no held-out works"
    assert not train & test, f"works on both sides: {sorted(train & test)}"
    milton = [t for t in test if "Paradise" in t or t in {"Comus", "Lycidas", "Areopagitica", "L'allegro", "L'Allegro", "Il Penseroso"}]
    assert milton, "no Milton work is held out: the test set must contain both authors"


def check_classifiers(run):
    """build_classifier gives a BoW and a TF-IDF pipeline that learn word use"""
    module = run.module
    texts = ["thee thou hath doth " * 3 + f"w{i}" for i in range(20)]
    texts += ["heaven hell god chaos " * 3 + f"w{i}" for i in range(20)]
    labels = ["s"] * 20 + ["m"] * 20
    for kind in ("bow", "tfidf"):
        pipe = module.build_classifier(kind)
        pipe.fit(texts, labels)
        pred = list(pipe.predict(["thou hath thee", "chaos heaven god"]))
        assert pred == ["s", "m"], f"the {kind!r} pipeline predicts {pred} on obvious passages"
    steps = [type(s).__name__ for _, s in module.build_classifier("tfidf").steps]
    assert any("Tfidf" in s for s in steps), f"the 'tfidf' pipeline has steps {steps}: use TfidfVectorizer"
    steps = [type(s).__name__ for _, s in module.build_classifier("bow").steps]
    assert not any("Tfidf" in s for s in steps), f"the 'bow' pipeline has steps {steps}: use raw counts"


def check_heldout_accuracy(run):
    """TF-IDF reaches high balanced accuracy on 100-word passages of unseen works"""
    values = run.series("tfidf_balanced_accuracy")
    steps = [p["step"] for p in run.metrics if "tfidf_balanced_accuracy" in (p.get("values") or {})]
    assert 100 in steps, "report(step=n_words, tfidf_balanced_accuracy=...) for 100-word passages"
    score = values[steps.index(100)]
    limit = 0.85 if run.smoke else 0.9
    assert score >= limit, f"balanced accuracy {score:.3f} on 100-word passages is below {limit}"


def check_longer_passages_help(run):
    """Longer passages are easier to attribute than 10-word ones"""
    values = run.series("tfidf_balanced_accuracy")
    assert len(values) >= 3, "report accuracy for several passage lengths"
    assert values[-1] > values[0] + 0.05, (
        f"accuracy went from {values[0]:.3f} (shortest) to {values[-1]:.3f} (longest)"
    )


def check_top_features(run):
    """top_features.json lists the words that point to each author"""
    top = json.loads(run.artifact("top_features.json").read_text())
    assert set(top) == {"milton", "shakespeare"}, f"expected keys milton and shakespeare, got {sorted(top)}"
    for author, words in top.items():
        assert len(words) >= 10, f"list at least 10 words for {author}"
    assert not set(top["milton"]) & set(top["shakespeare"]), "a word cannot point both ways"
