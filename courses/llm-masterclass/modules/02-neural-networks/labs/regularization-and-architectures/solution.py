"""Regularization and architectures: dropout and L2 against overfitting; MLP vs CNN vs GRU."""

from __future__ import annotations

import numpy as np
import torch
from masterclass import SMOKE, log, report
from sklearn.datasets import load_digits, make_moons
from torch import nn

Split = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]


def dropout(x: torch.Tensor, p: float, training: bool) -> torch.Tensor:
    """Zero each entry with probability p while training and scale survivors by 1 / (1 - p)."""
    if not training or p == 0.0:
        return x
    keep = (torch.rand_like(x) >= p).to(x.dtype)
    # Inverted dropout: scaling now keeps E[output] = x, so evaluation needs no rescaling.
    return x * keep / (1.0 - p)


class Dropout(nn.Module):
    """Wrap dropout() as a layer that follows model.train() / model.eval()."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return dropout(x, self.p, self.training)


def l2_penalty(model: nn.Module) -> torch.Tensor:
    """Return the sum of squared weights of every weight matrix or kernel (biases excluded)."""
    return sum((p**2).sum() for p in model.parameters() if p.dim() > 1)


class MLP(nn.Module):
    """Flatten the 8x8 image and classify it with two hidden layers."""

    def __init__(self, hidden: int = 128, p_drop: float = 0.0) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(64, hidden),
            nn.ReLU(),
            Dropout(p_drop),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            Dropout(p_drop),
            nn.Linear(hidden, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class CNN(nn.Module):
    """Two 3x3 convolutions and a pooling step see the digit as a 1x8x8 image."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.head = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).flatten(1))


class GRUClassifier(nn.Module):
    """Read the digit row by row (8 steps of 8 pixels) and classify from the last state."""

    def __init__(self, hidden: int = 64) -> None:
        super().__init__()
        self.rnn = nn.GRU(8, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, h_last = self.rnn(x)  # h_last: (layers, batch, hidden)
        return self.head(h_last[-1])


def load_digits_split(seed: int = 0) -> Split:
    """Return digits as (N, 8, 8) float images in [0, 1] with a 75/25 train/validation split."""
    digits = load_digits()
    X = torch.tensor(digits.images / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target)
    order = torch.from_numpy(np.random.default_rng(seed).permutation(len(y)))
    cut = int(0.75 * len(y))
    return X[order[:cut]], y[order[:cut]], X[order[cut:]], y[order[cut:]]


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Return (loss, accuracy) in evaluation mode, so dropout is off."""
    model.eval()
    with torch.no_grad():
        logits = model(X)
        loss = nn.functional.cross_entropy(logits, y).item()
        acc = (logits.argmax(1) == y).float().mean().item()
    model.train()
    return loss, acc


def moons_split(n_train: int = 100, seed: int = 0) -> Split:
    """Return a small, noisy two-moons training set and a large validation set."""
    X, y = make_moons(n_samples=n_train + 1000, noise=0.35, random_state=seed)
    X_t, y_t = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
    return X_t[:n_train], y_t[:n_train], X_t[n_train:], y_t[n_train:]


def wide_mlp(p_drop: float, hidden: int = 256) -> nn.Module:
    """Build a network with far more weights (66k) than training points (100)."""
    return nn.Sequential(
        nn.Linear(2, hidden),
        nn.ReLU(),
        Dropout(p_drop),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        Dropout(p_drop),
        nn.Linear(hidden, 2),
    )


def overfitting_study(epochs: int, seed: int = 0) -> dict[str, float]:
    """Train the wide MLP with and without dropout + L2; report train and validation loss."""
    X, y, Xv, yv = moons_split(seed=seed)
    results: dict[str, float] = {}
    for tag, p_drop, lam in (("plain", 0.0, 0.0), ("reg", 0.3, 3e-3)):
        torch.manual_seed(seed)
        model = wide_mlp(p_drop)
        opt = torch.optim.Adam(model.parameters(), lr=3e-3)
        for epoch in range(1, epochs + 1):
            loss = nn.functional.cross_entropy(model(X), y)
            if lam:
                loss = loss + lam * l2_penalty(model)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if epoch % 10 == 0:
                # Measure both losses with dropout off and without the penalty, so they compare.
                train_loss, _ = evaluate(model, X, y)
                val_loss, _ = evaluate(model, Xv, yv)
                report(step=epoch, **{f"train_loss_{tag}": train_loss, f"val_loss_{tag}": val_loss})
        train_loss, _ = evaluate(model, X, y)
        val_loss, val_acc = evaluate(model, Xv, yv)
        results.update(
            {
                f"gap_{tag}": val_loss - train_loss,
                f"final_val_loss_{tag}": val_loss,
                f"moons_val_acc_{tag}": val_acc,
            }
        )
        log(f"{tag:>5}: train loss {train_loss:.4f}, val loss {val_loss:.4f}, val acc {val_acc:.3f}")
    report(**results)
    return results


def fit(name: str, model: nn.Module, shape: tuple[int, ...], epochs: int, seed: int = 0) -> float:
    """Train one architecture on all training digits; report its curves and validation accuracy."""
    X, y, Xv, yv = load_digits_split(seed)
    X, Xv = X.reshape(-1, *shape), Xv.reshape(-1, *shape)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(1, epochs + 1):
        for idx in torch.randperm(len(y), generator=gen).split(64):
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        train_loss, _ = evaluate(model, X, y)
        val_loss, val_acc = evaluate(model, Xv, yv)
        report(step=epoch, **{f"loss_{name}": train_loss, f"val_loss_{name}": val_loss})
    params = sum(p.numel() for p in model.parameters())
    report(**{f"val_acc_{name}": val_acc})
    log(f"{name:>4}: {params:6d} parameters, validation accuracy {val_acc:.3f}")
    return val_acc


def compare_architectures(epochs: int, seed: int = 0) -> dict[str, float]:
    """Train the MLP, the CNN and the GRU on the same split with the same budget."""
    builders = {
        "mlp": (lambda: MLP(hidden=128), (8, 8)),
        "cnn": (CNN, (1, 8, 8)),  # channels, height, width
        "gru": (GRUClassifier, (8, 8)),  # 8 time steps of 8 features
    }
    accs = {}
    for name, (build, shape) in builders.items():
        torch.manual_seed(seed)
        try:
            model = build()
        except NotImplementedError as exc:
            log(f"{name}: skipped, not done yet ({exc})")
            continue
        accs[name] = fit(name, model, shape, epochs, seed)
    return accs


def main() -> None:
    """Run the overfitting study, then the architecture comparison."""
    # Small models: a second thread mostly adds synchronisation overhead.
    torch.set_num_threads(1)
    overfitting_study(epochs=150 if SMOKE else 600)
    compare_architectures(epochs=4 if SMOKE else 25)


if __name__ == "__main__":
    main()
