"""Text preprocessing: regex tokens, stopwords, stems, lemmas, TF-IDF from scratch, and BPE."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import simplemma
from masterclass import SMOKE, data_path, log, report, save_artifact
from nltk.stem import PorterStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

# Words are runs of letters, optionally joined by one inner apostrophe ("o'er", "king's").
WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
# The same token rule as scikit-learn's default, so the TF-IDF comparison is like for like.
TFIDF_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")
# Early Modern English function words that a modern stopword list does not know.
ARCHAIC_STOPWORDS = frozenset({"thou", "thee", "thy", "thine", "art", "hath", "doth", "o", "ye", "tis"})
_stemmer = PorterStemmer()


def tokenize(text: str) -> list[str]:
    """Lower-case the text and return its words in order."""
    return WORD_RE.findall(text.lower())


def remove_stopwords(tokens: list[str]) -> list[str]:
    """Drop tokens in scikit-learn's English stopword list or in ARCHAIC_STOPWORDS."""
    return [t for t in tokens if t not in ENGLISH_STOP_WORDS and t not in ARCHAIC_STOPWORDS]


def stem(tokens: list[str]) -> list[str]:
    """Return the Porter stem of each token."""
    return [_stemmer.stem(t) for t in tokens]


def lemmatize(tokens: list[str]) -> list[str]:
    """Return the dictionary form (lemma) of each token."""
    # simplemma capitalises names it knows ("Romeo"); lower-case to stay in one vocabulary.
    return [simplemma.lemmatize(t, lang="en").lower() for t in tokens]


def tfidf(docs: list[str]) -> tuple[list[str], np.ndarray]:
    """Return (sorted vocabulary, L2-normalised TF-IDF matrix) with smoothed idf, as sklearn."""
    tokenized = [TFIDF_TOKEN_RE.findall(d.lower()) for d in docs]
    vocab = sorted({t for toks in tokenized for t in toks})
    index = {t: j for j, t in enumerate(vocab)}
    n = len(docs)
    tf = np.zeros((n, len(vocab)))
    for i, toks in enumerate(tokenized):
        for t, c in Counter(toks).items():
            tf[i, index[t]] = c
    df = (tf > 0).sum(axis=0)
    idf = np.log((1 + n) / (1 + df)) + 1.0  # the +1s act as one extra document holding every word
    x = tf * idf
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return vocab, x / np.where(norms == 0, 1.0, norms)


def train_bpe(lines: list[str], vocab_size: int) -> Tokenizer:
    """Train a byte-level BPE tokenizer with exactly vocab_size entries."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),  # all 256 bytes: nothing is ever unknown
        show_progress=False,
    )
    tokenizer.train_from_iterator(lines, trainer)
    return tokenizer


def compression_ratio(tokenizer: Tokenizer, text: str) -> float:
    """Return characters per token when the tokenizer encodes text."""
    return len(text) / max(1, len(tokenizer.encode(text).ids))


def main() -> None:
    text = data_path("shakespeare/shakespeare.txt").read_text(encoding="utf-8")
    sample = "O Romeo, Romeo! wherefore art thou Romeo? Deny thy father and refuse thy name."
    tokens = tokenize(sample)
    content = remove_stopwords(tokens)
    log(f"tokens: {tokens}")
    log(f"content words: {content}")
    log(f"stems: {stem(content)}")
    log(f"lemmas: {lemmatize(content)}")

    words = tokenize(text)
    counts = Counter(words)
    kept = remove_stopwords(words)
    report(n_words=len(words), vocab_words=len(counts), stopword_share=1 - len(kept) / len(words))
    report(vocab_stems=len(set(stem(list(counts)))), vocab_lemmas=len(set(lemmatize(list(counts)))))

    paragraphs = [p for p in text.split("\n\n") if len(p) > 200][:300]
    vocab, ours = tfidf(paragraphs)
    from sklearn.feature_extraction.text import TfidfVectorizer

    ref = TfidfVectorizer().fit(paragraphs)
    theirs = ref.transform(paragraphs).toarray()
    same_vocab = vocab == list(ref.get_feature_names_out())
    diff = float(np.abs(ours - theirs).max()) if same_vocab else math.inf
    report(tfidf_max_abs_diff=diff)

    split = int(0.9 * len(text))
    train_text, held_out = text[:split], text[split:]
    if SMOKE:
        train_text = train_text[: len(train_text) // 5]
    vocab_size = 2000 if SMOKE else 8000
    tokenizer = train_bpe(train_text.splitlines(keepends=True), vocab_size)
    tokenizer.save("tokenizer.json")
    save_artifact("tokenizer.json")
    milton = data_path("milton/paradiselost.txt").read_text(encoding="utf-8")[:200_000]
    held_out = held_out[:200_000]
    roundtrip = all(tokenizer.decode(tokenizer.encode(s).ids) == s for s in (held_out, milton))
    report(
        bpe_vocab_size=tokenizer.get_vocab_size(),
        bpe_roundtrip=float(roundtrip),
        chars_per_token=compression_ratio(tokenizer, held_out),
        chars_per_token_milton=compression_ratio(tokenizer, milton),
    )
    log(f"BPE pieces: {tokenizer.encode(sample).tokens}")


if __name__ == "__main__":
    main()
