"""A GRU encoder-decoder with additive (Bahdanau) attention learns to reverse sequences."""

from __future__ import annotations

import json

import numpy as np
import torch
from torch import nn

from masterclass import SMOKE, log, report, save_artifact

PAD, BOS, EOS = 0, 1, 2
N_SYMBOLS = 10  # tokens 3..12 stand for the digits 0..9
VOCAB = 3 + N_SYMBOLS
MIN_LEN, MAX_LEN = 4, 10
STEPS = 150 if SMOKE else 1200
BATCH = 64
HIDDEN = 64
EXAMPLE = [3, 1, 4, 1, 5, 9, 2, 6]  # digits shown in the attention map


def make_batch(rng: np.random.Generator, size: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (source, decoder input, target) for random digit strings; the target is the reverse."""
    lengths = rng.integers(MIN_LEN, MAX_LEN + 1, size=size)
    src = np.full((size, MAX_LEN), PAD)
    tgt = np.full((size, MAX_LEN + 1), PAD)
    for i, n in enumerate(lengths):
        digits = rng.integers(0, N_SYMBOLS, size=n) + 3
        src[i, :n] = digits
        tgt[i, :n] = digits[::-1]
        tgt[i, n] = EOS
    dec_in = np.concatenate([np.full((size, 1), BOS), tgt[:, :-1]], axis=1)
    dec_in[dec_in == EOS] = PAD  # nothing is fed after the end token
    return torch.tensor(src), torch.tensor(dec_in), torch.tensor(tgt)


class AdditiveAttention(nn.Module):
    """Bahdanau attention: score(q, k_j) = v . tanh(W_q q + W_k k_j), softmax over source positions."""

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.w_query = nn.Linear(hidden, hidden, bias=False)
        self.w_key = nn.Linear(hidden, hidden, bias=True)
        self.v = nn.Linear(hidden, 1, bias=False)

    def forward(
        self, query: torch.Tensor, keys: torch.Tensor, mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Return (context (B, H), weights (B, S)); mask (B, S) is True at real tokens."""
        scores = self.v(torch.tanh(self.w_query(query).unsqueeze(1) + self.w_key(keys))).squeeze(-1)
        scores = scores.masked_fill(~mask, float("-inf"))  # padding gets exactly zero weight
        weights = torch.softmax(scores, dim=-1)
        context = torch.bmm(weights.unsqueeze(1), keys).squeeze(1)
        return context, weights


class Seq2Seq(nn.Module):
    """GRU encoder; GRU decoder whose new state queries the encoder states at every step."""

    def __init__(self, vocab: int = VOCAB, hidden: int = HIDDEN, embed: int = 32) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, embed, padding_idx=PAD)
        self.encoder = nn.GRU(embed, hidden, batch_first=True)
        self.attention = AdditiveAttention(hidden)
        self.decoder = nn.GRUCell(embed, hidden)
        self.out = nn.Linear(2 * hidden, vocab)

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Return encoder states, the mask of real tokens, and the state after the last real token."""
        mask = src != PAD
        states, _ = self.encoder(self.embed(src))
        last = mask.sum(1) - 1
        hidden = states[torch.arange(src.size(0)), last]
        return states, mask, hidden

    def step(self, token: torch.Tensor, hidden: torch.Tensor, states: torch.Tensor, mask: torch.Tensor):
        """Run one decoder step: read the previous token, attend with the new state, predict."""
        hidden = self.decoder(self.embed(token), hidden)
        context, weights = self.attention(hidden, states, mask)
        logits = self.out(torch.cat([hidden, context], dim=-1))
        return logits, hidden, weights

    def forward(self, src: torch.Tensor, dec_in: torch.Tensor) -> torch.Tensor:
        """Return logits (B, T, V) with teacher forcing: the decoder reads the true previous token."""
        states, mask, hidden = self.encode(src)
        logits = []
        for t in range(dec_in.size(1)):
            step_logits, hidden, _ = self.step(dec_in[:, t], hidden, states, mask)
            logits.append(step_logits)
        return torch.stack(logits, dim=1)

    @torch.no_grad()
    def greedy(self, src: torch.Tensor, max_len: int = MAX_LEN + 1) -> tuple[torch.Tensor, torch.Tensor]:
        """Decode by feeding back the most likely token; return tokens (B, T) and attention (B, T, S)."""
        states, mask, hidden = self.encode(src)
        token = torch.full((src.size(0),), BOS, dtype=torch.long)
        tokens, maps = [], []
        for _ in range(max_len):
            logits, hidden, weights = self.step(token, hidden, states, mask)
            token = logits.argmax(-1)
            tokens.append(token)
            maps.append(weights)
        return torch.stack(tokens, 1), torch.stack(maps, 1)


def exact_match(model: Seq2Seq, src: torch.Tensor, tgt: torch.Tensor) -> float:
    """Return the share of sequences whose greedy output equals the target up to and including EOS."""
    pred, _ = model.greedy(src, max_len=tgt.size(1))
    real = tgt != PAD
    return float(((pred == tgt) | ~real).all(dim=1).float().mean())


def attention_figure(model: Seq2Seq, digits: list[int]) -> dict:
    """Return a Plotly heatmap of the attention of each output token over the source tokens."""
    src = torch.tensor([[d + 3 for d in digits] + [PAD] * (MAX_LEN - len(digits))])
    pred, maps = model.greedy(src, max_len=len(digits) + 1)
    z = maps[0, :, : len(digits)].numpy().round(4).tolist()
    names = [str(t - 3) if t >= 3 else "<eos>" for t in pred[0].tolist()]
    x = [f"{i}:{d}" for i, d in enumerate(digits)]
    y = [f"{i}:{n}" for i, n in enumerate(names)]
    return {
        "data": [{"type": "heatmap", "z": z, "x": x, "y": y, "colorscale": "Blues", "zmin": 0, "zmax": 1,
                  "hovertemplate": "output %{y}<br>source %{x}<br>weight %{z:.3f}<extra></extra>"}],
        "layout": {"title": {"text": "Attention while reversing " + "".join(map(str, digits))},
                   "xaxis": {"title": {"text": "source position:digit"}},
                   "yaxis": {"title": {"text": "output step:digit"}, "autorange": "reversed"}},
    }


def train(steps: int = STEPS, seed: int = 0) -> Seq2Seq:
    """Train with teacher forcing and cross-entropy, streaming losses and exact-match accuracy."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Seq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
    val_src, val_in, val_tgt = make_batch(np.random.default_rng(seed + 1), 512)
    for step in range(1, steps + 1):
        src, dec_in, tgt = make_batch(rng, BATCH)
        logits = model(src, dec_in)
        loss = loss_fn(logits.reshape(-1, VOCAB), tgt.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 25 == 0 or step == steps:
            model.eval()
            with torch.no_grad():
                val_loss = loss_fn(model(val_src, val_in).reshape(-1, VOCAB), val_tgt.reshape(-1))
            metrics = {"loss": loss.item(), "val_loss": val_loss.item()}
            if step % 100 == 0 or step == steps:
                metrics["exact_match"] = exact_match(model, val_src, val_tgt)
            report(step=step, **metrics)
            model.train()
    return model


def main() -> None:
    """Train, report the final accuracy, and save the attention map."""
    torch.set_num_threads(2)
    model = train()
    model.eval()
    test_src, _, test_tgt = make_batch(np.random.default_rng(123), 1000)
    acc = exact_match(model, test_src, test_tgt)
    report(step=STEPS, test_exact_match=acc)
    log(f"exact match on 1000 fresh sequences: {acc:.3f}")
    with open("attention.json", "w", encoding="utf-8") as f:
        json.dump(attention_figure(model, EXAMPLE), f)
    save_artifact("attention.json")
    torch.save(model.state_dict(), "model.pt")
    save_artifact("model.pt")


if __name__ == "__main__":
    main()
