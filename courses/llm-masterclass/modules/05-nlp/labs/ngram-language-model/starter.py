"""Character n-gram language models on Shakespeare: count, smooth, score, sample.

Fill in the four TODOs of NGramLM (fit, prob, perplexity, generate), then run.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict

import numpy as np

from masterclass import SMOKE, data_path, log, report, save_artifact

MAX_N = 4


def load_corpus(smoke: bool = SMOKE) -> tuple[str, str, list[str]]:
    """Return (train text, held-out text, vocabulary): the last 10% of the works is held out."""
    text = data_path("shakespeare/shakespeare.txt").read_text(encoding="utf-8")
    vocab = sorted(set(text))  # closed vocabulary: every character gets a probability
    if smoke:
        text = text[:400_000]
    cut = int(0.9 * len(text))
    return text[:cut], text[cut:], vocab


class NGramLM:
    """A character n-gram model with add-k smoothing: P(c | h) = (N(h,c) + k) / (N(h) + kV)."""

    def __init__(self, n: int, vocab: list[str], k: float = 0.1) -> None:
        self.n = n
        self.k = k
        self.vocab = list(vocab)
        # counts[h][c] = N(h, c), how often character c followed the (n-1)-character context h;
        # totals[h] = N(h) = sum over c of N(h, c). For n = 1 the context is the empty string.
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.totals: Counter[str] = Counter()

    def fit(self, text: str) -> NGramLM:
        """Count every n-gram of the text, grouped by its (n-1)-character context."""
        # TODO: for every i, take gram = text[i : i + n]; add 1 to counts[gram[:-1]][gram[-1]].
        # Then fill totals[h] for every context h. Return self.
        raise NotImplementedError("fit(): count the n-grams of the training text")

    def _context(self, history: str) -> str:
        return history[len(history) - (self.n - 1) :] if self.n > 1 else ""

    def prob(self, history: str, char: str) -> float:
        """Return the smoothed probability of `char` after `history` (only its last n-1 chars count)."""
        context = self._context(history)
        # TODO: return (N(context, char) + k) / (N(context) + k * V), V = len(self.vocab).
        # Careful: an unseen context has N = 0 everywhere (do not create entries while reading).
        raise NotImplementedError("prob(): add-k smoothed P(char | context)")

    def distribution(self, history: str) -> np.ndarray:
        """Return the next-character distribution over the vocabulary (sums to 1)."""
        return np.array([self.prob(history, ch) for ch in self.vocab])

    def perplexity(self, text: str) -> float:
        """Return exp of the mean negative log-probability over positions i >= n-1 of the text."""
        # TODO: for i in range(n - 1, len(text)): add -log prob(text[i-n+1:i], text[i]).
        # Divide by the number of positions, then exponentiate.
        raise NotImplementedError("perplexity(): exp(mean negative log-likelihood)")

    def generate(self, length: int, rng: np.random.Generator, prompt: str = "") -> str:
        """Sample `length` characters after `prompt`, one at a time from the model's distribution."""
        # TODO: repeat `length` times: p = self.distribution(prompt + generated so far),
        # pick an index with rng.choice(len(self.vocab), p=p), append that character.
        # Return only the new characters.
        raise NotImplementedError("generate(): sample one character at a time")


def main() -> None:
    """Fit n = 1..4, report held-out perplexity per n, and save samples."""
    rng = np.random.default_rng(0)
    train, val, vocab = load_corpus()
    log(f"{len(train):,} training and {len(val):,} held-out characters, {len(vocab)} symbols")
    results: dict[int, dict[str, float]] = {}
    samples = []
    for n in range(1, MAX_N + 1):
        model = NGramLM(n, vocab, k=0.1).fit(train)
        val_ppl = model.perplexity(val)
        train_ppl = model.perplexity(train[:200_000])
        results[n] = {"perplexity": val_ppl, "train_perplexity": train_ppl}
        report(step=n, perplexity=val_ppl, train_perplexity=train_ppl)
        prompt = "\nThe king "
        text = prompt + model.generate(200, rng, prompt=prompt)
        samples.append(f"--- n = {n}, held-out perplexity {val_ppl:.2f} ---{text}\n")
        log(f"n={n}: held-out perplexity {val_ppl:.2f} (train {train_ppl:.2f})")
    with open("samples.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(samples))
    save_artifact("samples.txt")
    with open("perplexity.json", "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    save_artifact("perplexity.json")
    print("\n".join(samples))
    print(f"{math.log(len(vocab)):.2f} nats is the uniform baseline (perplexity {len(vocab)})")


if __name__ == "__main__":
    try:
        main()
    except NotImplementedError as todo:
        print(f"Not finished yet: {todo}")
