"""Checks for the text-preprocessing lab."""

from __future__ import annotations

import re

import numpy as np



def _call(run, name, *args):
    """Call the learner's function, turning a TODO into a clear failure."""
    try:
        return getattr(run.module, name)(*args)
    except NotImplementedError:
        raise AssertionError(f"{name}() is still a TODO: implement it in main.py") from None


FRESH = "Now is the winter of our discontent made glorious summer by this sun of York; 'Tis o'er, KING'S men - 1592!"


def check_tokenize(run):
    """tokenize() lower-cases and keeps words with inner apostrophes"""
    got = _call(run, "tokenize", FRESH)
    want = re.findall(r"[a-z]+(?:'[a-z]+)?", FRESH.lower())
    assert isinstance(got, list), "tokenize() must return a list of strings"
    assert got == want, (
        f"tokenize() gave {got[:12]}...; expected {want[:12]}...: lower-case first, keep runs of letters "
        "with at most one inner apostrophe (o'er, king's), drop digits and punctuation"
    )


def check_stopwords(run):
    """remove_stopwords() drops modern and archaic function words only"""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    archaic = run.module.ARCHAIC_STOPWORDS
    tokens = ["thou", "art", "the", "winter", "of", "our", "discontent", "hath", "york", "and", "glorious"]
    got = _call(run, "remove_stopwords", tokens)
    want = [t for t in tokens if t not in ENGLISH_STOP_WORDS and t not in archaic]
    assert got == want, f"remove_stopwords gave {got}; expected {want} (keep order, drop both lists)"


def check_stem(run):
    """stem() matches NLTK's Porter stemmer"""
    from nltk.stem import PorterStemmer

    words = ["generously", "studies", "running", "happiness", "conditional", "hopping", "relational"]
    want = [PorterStemmer().stem(w) for w in words]
    got = _call(run, "stem", words)
    assert got == want, f"stem({words}) gave {got}; expected {want}: use nltk.stem.PorterStemmer().stem"


def check_lemmatize(run):
    """lemmatize() maps irregular forms to their dictionary form"""
    words = ["mice", "went", "children", "studies", "was", "better"]
    got = _call(run, "lemmatize", words)
    assert got[:4] == ["mouse", "go", "child", "study"], (
        f"lemmatize({words[:4]}) gave {got[:4]}; expected ['mouse', 'go', 'child', 'study']. "
        "A stemmer cannot do this: use simplemma.lemmatize(word, lang='en') and lower-case the result"
    )
    assert all(g == g.lower() for g in got), "lower-case the lemmas so they share one vocabulary"


def check_tfidf(run):
    """tfidf() matches scikit-learn's TfidfVectorizer to 1e-6"""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [
        "To be, or not to be: that is the question.",
        "The question is whether 'tis nobler in the mind to suffer.",
        "Be not afraid of greatness; be bold, be bold, be bold.",
        "Greatness is thrust upon some, and the mind is its own place.",
    ]
    vocab, matrix = _call(run, "tfidf", docs)
    ref = TfidfVectorizer().fit(docs)
    want_vocab = list(ref.get_feature_names_out())
    assert list(vocab) == want_vocab, (
        f"vocabulary differs: got {list(vocab)[:8]}..., want {want_vocab[:8]}... (sklearn keeps tokens "
        r"matching (?u)\b\w\w+\b after lower-casing, sorted alphabetically)"
    )
    want = ref.transform(docs).toarray()
    matrix = np.asarray(matrix, dtype=float)
    assert matrix.shape == want.shape, f"matrix shape {matrix.shape}, expected {want.shape}"
    diff = float(np.abs(matrix - want).max())
    assert diff < 1e-6, (
        f"max |difference| {diff:.3g}: use idf = ln((1 + n) / (1 + df)) + 1 and divide each row by its L2 norm"
    )
    reported = run.require("tfidf_max_abs_diff")
    assert reported < 1e-6, f"on the Shakespeare paragraphs your TF-IDF differed by {reported:.3g}"


def check_bpe_tokenizer(run):
    """The BPE tokenizer has the requested size and round-trips any text exactly"""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(run.artifact("tokenizer.json")))
    want_size = 2000 if run.smoke else 8000
    size = tokenizer.get_vocab_size()
    assert size == want_size, f"vocabulary has {size} entries; train with vocab_size={want_size}"
    sample = "Naïve café, Æsop & Co. 'Tis 3.14159 — o'er the hills\n\twith ☃!"
    decoded = tokenizer.decode(tokenizer.encode(sample).ids)
    assert decoded == sample, (
        f"decode(encode(text)) gave {decoded!r}: use a ByteLevel pre-tokenizer and decoder with the full "
        "256-byte initial alphabet so nothing maps to an unknown token"
    )
    assert run.require("bpe_roundtrip") == 1.0, "report bpe_roundtrip=1.0 only when the round trip holds"


def check_compression(run):
    """BPE compresses held-out Shakespeare and Milton well"""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(run.artifact("tokenizer.json")))
    text = "Of Mans First Disobedience, and the Fruit of that Forbidden Tree, whose mortal tast brought Death"
    want = len(text) / len(tokenizer.encode(text).ids)
    got = _call(run, "compression_ratio", tokenizer, text)
    assert abs(got - want) < 1e-9, f"compression_ratio gave {got:.4f}; expected characters/tokens = {want:.4f}"
    floor = 2.3 if run.smoke else 2.8
    ratio = run.require("chars_per_token")
    assert ratio > floor, f"only {ratio:.2f} characters per token on held-out text (expected > {floor})"
    milton = run.require("chars_per_token_milton")
    assert milton > floor - 0.2, f"only {milton:.2f} characters per token on Milton (expected > {floor - 0.2:.1f})"
