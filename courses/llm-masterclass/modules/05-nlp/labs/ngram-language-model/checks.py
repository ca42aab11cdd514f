"""Checks for the n-gram language model lab."""

from __future__ import annotations

import math
import random


def _fresh_corpus(seed: int, length: int = 300) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("ab c.") for _ in range(length))


def _reference_perplexity(train: str, test: str, n: int, k: float, vocab: list[str]) -> float:
    counts: dict[str, int] = {}
    contexts: dict[str, int] = {}
    for i in range(len(train) - n + 1):
        gram = train[i : i + n]
        counts[gram] = counts.get(gram, 0) + 1
        contexts[gram[:-1]] = contexts.get(gram[:-1], 0) + 1
    total = 0.0
    for i in range(n - 1, len(test)):
        gram = test[i - n + 1 : i + 1]
        p = (counts.get(gram, 0) + k) / (contexts.get(gram[:-1], 0) + k * len(vocab))
        total -= math.log(p)
    return math.exp(total / (len(test) - n + 1))


def check_probabilities_sum_to_one(run):
    """P(c | history) sums to 1 over the vocabulary, for seen and unseen histories"""
    vocab = list("ab c.x")  # 'x' never occurs: its probability must come from smoothing alone
    train = _fresh_corpus(1)
    for n in (1, 2, 3):
        model = run.module.NGramLM(n, vocab, k=0.5).fit(train)
        for history in ("", "a", "ab", "xx", "c.", "zzq"):
            if len(history) < n - 1:
                continue
            probs = [model.prob(history, ch) for ch in vocab]
            assert all(p > 0 for p in probs), (
                f"n={n}, history {history!r}: some probabilities are 0; add-k smoothing gives "
                "every character at least k / (N(h) + kV)"
            )
            total = sum(probs)
            assert abs(total - 1) < 1e-9, (
                f"n={n}, history {history!r}: probabilities sum to {total:.6f}, not 1; "
                "divide by N(h) + k*V where V is the vocabulary size"
            )


def check_perplexity_matches_reference(run):
    """perplexity() matches a reference add-k computation on a tiny fresh corpus"""
    vocab = list("ab c.")
    train, test = _fresh_corpus(2, 400), _fresh_corpus(3, 120)
    for n, k in ((1, 1.0), (2, 0.1), (3, 0.5)):
        model = run.module.NGramLM(n, vocab, k=k).fit(train)
        got = float(model.perplexity(test))
        want = _reference_perplexity(train, test, n, k, vocab)
        assert math.isclose(got, want, rel_tol=1e-6), (
            f"n={n}, k={k}: your perplexity is {got:.5f}, the reference gives {want:.5f}. "
            "Average -log P(x_i | previous n-1 chars) over positions i >= n-1, then exponentiate"
        )


def check_reported_perplexity(run):
    """Held-out perplexity was reported for n = 1, 2, 3, 4"""
    values = run.series("perplexity")
    assert len(values) >= 4, (
        f"found {len(values)} perplexity reports; call report(step=n, perplexity=...) once per n"
    )
    assert all(math.isfinite(v) and 1 < v < 84 for v in values[:4]), (
        f"perplexities {values[:4]} are not between 1 and the vocabulary size (84)"
    )


def check_bigram_beats_unigram(run):
    """Context helps: the bigram's held-out perplexity is well below the unigram's"""
    values = run.series("perplexity")
    assert len(values) >= 2, "report held-out perplexity for n = 1 and n = 2 first"
    uni, bi = values[0], values[1]
    assert bi < 0.7 * uni, f"bigram perplexity {bi:.2f} is not well below unigram {uni:.2f}"


def check_higher_order_helps(run):
    """The 4-gram model reaches a low held-out perplexity"""
    values = run.series("perplexity")
    assert len(values) >= 4, "report held-out perplexity for n = 1..4"
    limit = 8.0 if run.smoke else 6.5
    assert values[3] < limit, (
        f"4-gram held-out perplexity {values[3]:.2f} is not below {limit}; "
        "try a smaller k (0.1 works well), too much smoothing flattens the distribution"
    )


def check_sampling_follows_model(run):
    """generate() samples from the model: a bigram trained on 'abc' repeats the pattern"""
    import numpy as np

    vocab = list("abcd")
    model = run.module.NGramLM(2, vocab, k=0.001).fit("abc" * 200)
    text = model.generate(300, np.random.default_rng(5), prompt="a")
    assert isinstance(text, str) and len(text) == 300, (
        f"generate(300, rng, prompt) should return exactly 300 new characters, got {len(text)!r}"
    )
    assert set(text) <= set(vocab), "generated characters must come from the vocabulary"
    follows = {"a": "b", "b": "c", "c": "a"}
    pairs = list(zip("a" + text, text))
    good = sum(follows.get(prev) == cur for prev, cur in pairs)
    assert good / len(pairs) > 0.95, (
        f"only {good}/{len(pairs)} sampled transitions follow the training pattern; sample each "
        "character from distribution(history) of the text generated so far"
    )
