"""Text preprocessing: regex tokens, stopwords, stems, lemmas, TF-IDF from scratch, and BPE.

Fill in every function marked TODO, run, and read the checks' messages.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import simplemma  # noqa: F401 - you will need it in lemmatize()
from masterclass import SMOKE, data_path, log, report, save_artifact
from nltk.stem import PorterStemmer  # noqa: F401 - you will need it in stem()
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # noqa: F401
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers  # noqa: F401

# Early Modern English function words that a modern stopword list does not know.
ARCHAIC_STOPWORDS = frozenset({"thou", "thee", "thy", "thine", "art", "hath", "doth", "o", "ye", "tis"})


def tokenize(text: str) -> list[str]:
    """Lower-case the text and return its words in order."""
    # TODO: lower-case, then re.findall a pattern for runs of letters a-z that may contain ONE
    # inner apostrophe ("o'er", "king's"). Digits and punctuation are not words.
    raise NotImplementedError("tokenize")


def remove_stopwords(tokens: list[str]) -> list[str]:
    """Drop tokens in scikit-learn's English stopword list or in ARCHAIC_STOPWORDS."""
    # TODO: keep the order; drop tokens found in ENGLISH_STOP_WORDS or ARCHAIC_STOPWORDS.
    raise NotImplementedError("remove_stopwords")


def stem(tokens: list[str]) -> list[str]:
    """Return the Porter stem of each token."""
    # TODO: use nltk's PorterStemmer (it needs no downloaded data).
    raise NotImplementedError("stem")


def lemmatize(tokens: list[str]) -> list[str]:
    """Return the dictionary form (lemma) of each token."""
    # TODO: simplemma.lemmatize(token, lang="en"), lower-cased (it capitalises known names).
    raise NotImplementedError("lemmatize")


def tfidf(docs: list[str]) -> tuple[list[str], np.ndarray]:
    """Return (sorted vocabulary, L2-normalised TF-IDF matrix) with smoothed idf, as sklearn."""
    # TODO: 1. tokens per doc: re.findall(r"(?u)\b\w\w+\b", doc.lower())
    #       2. vocab = sorted set of all tokens; tf[i, j] = count of vocab[j] in doc i
    #       3. df[j] = number of docs containing vocab[j]; idf = ln((1 + n) / (1 + df)) + 1
    #       4. x = tf * idf, then divide each row by its L2 norm
    raise NotImplementedError("tfidf")


def train_bpe(lines: list[str], vocab_size: int) -> Tokenizer:
    """Train a byte-level BPE tokenizer with exactly vocab_size entries."""
    # TODO: Tokenizer(models.BPE()) with pre_tokenizers.ByteLevel(add_prefix_space=False) and
    # decoders.ByteLevel(); train_from_iterator with trainers.BpeTrainer(vocab_size=...,
    # initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False).
    raise NotImplementedError("train_bpe")


def compression_ratio(tokenizer: Tokenizer, text: str) -> float:
    """Return characters per token when the tokenizer encodes text."""
    # TODO: len(text) divided by the number of token ids.
    raise NotImplementedError("compression_ratio")


def attempt(step: Callable[..., Any], *args: Any) -> Any:
    """Call one step; on a TODO log it and return None so the rest still runs."""
    try:
        return step(*args)
    except NotImplementedError as exc:
        log(f"TODO: implement {exc}()")
        return None


def main() -> None:
    text = data_path("shakespeare/shakespeare.txt").read_text(encoding="utf-8")
    sample = "O Romeo, Romeo! wherefore art thou Romeo? Deny thy father and refuse thy name."
    tokens = attempt(tokenize, sample)
    if tokens is not None:
        content = attempt(remove_stopwords, tokens)
        log(f"tokens: {tokens}")
        if content is not None:
            log(f"content words: {content}")
            log(f"stems: {attempt(stem, content)}")
            log(f"lemmas: {attempt(lemmatize, content)}")
        words = tokenize(text)
        counts = Counter(words)
        kept = attempt(remove_stopwords, words)
        report(n_words=len(words), vocab_words=len(counts))
        if kept is not None:
            report(stopword_share=1 - len(kept) / len(words))

    paragraphs = [p for p in text.split("\n\n") if len(p) > 200][:300]
    result = attempt(tfidf, paragraphs)
    if result is not None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vocab, ours = result
        ref = TfidfVectorizer().fit(paragraphs)
        theirs = ref.transform(paragraphs).toarray()
        same_vocab = list(vocab) == list(ref.get_feature_names_out())
        report(tfidf_max_abs_diff=float(np.abs(ours - theirs).max()) if same_vocab else math.inf)

    split = int(0.9 * len(text))
    train_text, held_out = text[:split], text[split:]
    if SMOKE:
        train_text = train_text[: len(train_text) // 5]
    vocab_size = 2000 if SMOKE else 8000
    tokenizer = attempt(train_bpe, train_text.splitlines(keepends=True), vocab_size)
    if tokenizer is None:
        return
    tokenizer.save("tokenizer.json")
    save_artifact("tokenizer.json")
    milton = data_path("milton/paradiselost.txt").read_text(encoding="utf-8")[:200_000]
    held_out = held_out[:200_000]
    roundtrip = all(tokenizer.decode(tokenizer.encode(s).ids) == s for s in (held_out, milton))
    report(bpe_vocab_size=tokenizer.get_vocab_size(), bpe_roundtrip=float(roundtrip))
    ratio = attempt(compression_ratio, tokenizer, held_out)
    if ratio is not None:
        report(chars_per_token=ratio, chars_per_token_milton=compression_ratio(tokenizer, milton))


if __name__ == "__main__":
    main()
