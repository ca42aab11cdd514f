"""Optimizers from scratch: SGD, momentum, RMSprop and Adam, raced against torch.optim."""

from __future__ import annotations

import copy
from collections.abc import Iterable

import numpy as np
import torch
from masterclass import SMOKE, log, report
from sklearn.datasets import load_digits
from torch import nn


class Optimizer:
    """Hold a list of parameters; subclasses update them in place from their .grad."""

    def __init__(self, params: Iterable[torch.Tensor], lr: float) -> None:
        self.params: list[torch.Tensor] = list(params)
        self.lr = lr

    def zero_grad(self) -> None:
        """Forget the gradients of the last backward pass."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Update every parameter once."""
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent: p <- p - lr * g."""

    @torch.no_grad()
    def step(self) -> None:
        """Take one step against the gradient."""
        for p in self.params:
            p -= self.lr * p.grad


class Momentum(Optimizer):
    """Heavy-ball momentum as torch.optim.SGD(momentum=mu): v <- mu v + g; p <- p - lr v."""

    def __init__(self, params: Iterable[torch.Tensor], lr: float, momentum: float = 0.9) -> None:
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self) -> None:
        """Accumulate a velocity and move along it."""
        for p, v in zip(self.params, self.velocity, strict=True):
            v.mul_(self.momentum).add_(p.grad)
            p -= self.lr * v


class RMSprop(Optimizer):
    """Divide each step by a running RMS of the gradient: s <- a s + (1 - a) g^2."""

    def __init__(
        self, params: Iterable[torch.Tensor], lr: float, alpha: float = 0.99, eps: float = 1e-8
    ) -> None:
        super().__init__(params, lr)
        self.alpha, self.eps = alpha, eps
        self.square_avg = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self) -> None:
        """Scale each coordinate's step by 1 / (sqrt(s) + eps)."""
        for p, s in zip(self.params, self.square_avg, strict=True):
            s.mul_(self.alpha).add_((1 - self.alpha) * p.grad**2)
            p -= self.lr * p.grad / (s.sqrt() + self.eps)


class Adam(Optimizer):
    """Momentum plus RMS scaling, with bias correction for the zero-initialised averages."""

    def __init__(
        self, params, lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
    ) -> None:
        super().__init__(params, lr)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.t = 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self) -> None:
        """Update the moment estimates, correct their bias, and step."""
        self.t += 1
        for p, m, v in zip(self.params, self.m, self.v, strict=True):
            m.mul_(self.beta1).add_((1 - self.beta1) * p.grad)
            v.mul_(self.beta2).add_((1 - self.beta2) * p.grad**2)
            m_hat = m / (1 - self.beta1**self.t)
            v_hat = v / (1 - self.beta2**self.t)
            p -= self.lr * m_hat / (v_hat.sqrt() + self.eps)


# name -> (hand-written factory, torch.optim factory); both get identical hyperparameters.
RACE = {
    "sgd": (lambda ps: SGD(ps, lr=0.05), lambda ps: torch.optim.SGD(ps, lr=0.05)),
    "momentum": (
        lambda ps: Momentum(ps, lr=0.05, momentum=0.9),
        lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9),
    ),
    "rmsprop": (lambda ps: RMSprop(ps, lr=1e-3), lambda ps: torch.optim.RMSprop(ps, lr=1e-3)),
    "adam": (lambda ps: Adam(ps, lr=1e-3), lambda ps: torch.optim.Adam(ps, lr=1e-3)),
}


def load_data(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return the 8x8 digits as flat float64 vectors in [0, 1], split 75/25."""
    digits = load_digits()
    X = torch.tensor(digits.data / 16.0)
    y = torch.tensor(digits.target)
    order = torch.tensor(np.random.default_rng(seed).permutation(len(y)))
    cut = int(0.75 * len(y))
    return X[order[:cut]], y[order[:cut]], X[order[cut:]], y[order[cut:]]


def make_model(seed: int = 0) -> nn.Module:
    """Build the small MLP every optimizer starts from."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 10)).double()


def race(steps: int, batch: int = 32, every: int = 10, seed: int = 0) -> dict[str, nn.Module]:
    """Train one copy of the model per optimizer on identical batches; report every loss."""
    X, y, Xv, yv = load_data(seed)
    start = make_model(seed)
    runs: dict[str, tuple[nn.Module, object]] = {}
    for name, (hand, ref) in RACE.items():
        for label, factory in ((name, hand), (f"torch_{name}", ref)):
            model = copy.deepcopy(start)
            runs[label] = (model, factory(model.parameters()))
    batches = np.random.default_rng(seed).integers(0, len(y), size=(steps, batch))
    window: dict[str, list[float]] = {label: [] for label in runs}
    for step in range(1, steps + 1):
        idx = torch.from_numpy(batches[step - 1])
        for label in list(runs):
            model, opt = runs[label]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            loss.backward()
            try:
                opt.step()
            except NotImplementedError:
                log(f"{label}: step() is still a TODO, so it leaves the race")
                del runs[label]
                continue
            window[label].append(loss.item())
        if step % every == 0:
            # Average the last few mini-batch losses so the curves are readable, not jagged.
            report(step=step, **{f"loss_{k}": sum(window[k]) / len(window[k]) for k in runs})
            window = {label: [] for label in runs}
    with torch.no_grad():
        for label, (model, _) in runs.items():
            val_loss = nn.functional.cross_entropy(model(Xv), yv).item()
            acc = (model(Xv).argmax(1) == yv).double().mean().item()
            report(**{f"val_loss_{label}": val_loss, f"val_acc_{label}": acc})
            log(f"{label:>16}: validation loss {val_loss:.4f}, accuracy {acc:.3f}")
        for name in RACE:
            if name in runs and f"torch_{name}" in runs:
                gap = max(
                    (a - b).abs().max().item()
                    for a, b in zip(
                        runs[name][0].parameters(), runs[f"torch_{name}"][0].parameters(), strict=True
                    )
                )
                report(**{f"param_gap_{name}": gap})
    return {label: model for label, (model, _) in runs.items()}


def main() -> None:
    """Run the race."""
    # The matrices here are tiny: a second thread only adds synchronisation (it ran 20x slower
    # on a busy 2-core machine), so one thread is both faster and steadier.
    torch.set_num_threads(1)
    steps = 150 if SMOKE else 1500
    race(steps)
    log(f"ran {steps} steps; the loss curves of each pair should lie on top of each other")


if __name__ == "__main__":
    main()
