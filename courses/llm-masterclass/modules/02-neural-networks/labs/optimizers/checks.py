"""Grade the optimizers lab: each hand-written optimizer must track its torch.optim twin."""

from __future__ import annotations

import math

import torch

STEPS = 30


def _trajectory(make_opt) -> list[torch.Tensor]:
    """Run STEPS updates on a fresh non-quadratic problem; return the final parameters."""
    gen = torch.Generator().manual_seed(2024)
    X = torch.randn(40, 5, generator=gen, dtype=torch.float64)
    y = torch.randint(0, 3, (40,), generator=gen)
    w = torch.randn(5, 3, generator=gen, dtype=torch.float64).requires_grad_()
    b = torch.randn(3, generator=gen, dtype=torch.float64).requires_grad_()
    opt = make_opt([w, b])
    for _ in range(STEPS):
        opt.zero_grad()
        # Cross-entropy plus a quartic term: gradients change scale as training goes.
        loss = torch.nn.functional.cross_entropy(X @ w + b, y) + 0.05 * (w**4).sum()
        loss.backward()
        try:
            opt.step()
        except NotImplementedError as exc:
            raise AssertionError(f"{type(opt).__name__}.step is still a TODO: {exc}") from None
    return [w.detach(), b.detach()]


def _compare(name: str, mine, theirs, hint: str) -> None:
    got, ref = _trajectory(mine), _trajectory(theirs)
    gap = max((a - r).abs().max().item() for a, r in zip(got, ref, strict=True))
    moved = max(
        (r - s).abs().max().item() for r, s in zip(ref, _trajectory(lambda ps: _Frozen(ps)), strict=True)
    )
    assert moved > 1e-3, "internal: the reference optimizer did not move"
    assert gap < 1e-9, (
        f"after {STEPS} steps your {name} is {gap:.2e} away from torch.optim's parameters "
        f"(it moved them by {moved:.2e}); {hint}"
    )


class _Frozen:
    """An optimizer that never moves, for measuring how far the reference went."""

    def __init__(self, params) -> None:
        self.params = list(params)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        pass


def check_sgd(run):
    """SGD.step matches torch.optim.SGD"""
    m = run.module
    _compare(
        "SGD",
        lambda ps: m.SGD(ps, lr=0.1),
        lambda ps: torch.optim.SGD(ps, lr=0.1),
        "update each parameter in place with p -= lr * p.grad",
    )


def check_momentum(run):
    """Momentum.step matches torch.optim.SGD(momentum=...)"""
    m = run.module
    _compare(
        "Momentum",
        lambda ps: m.Momentum(ps, lr=0.05, momentum=0.8),
        lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8),
        "keep one velocity per parameter: v = momentum * v + g, then p -= lr * v",
    )


def check_rmsprop(run):
    """RMSprop.step matches torch.optim.RMSprop"""
    m = run.module
    _compare(
        "RMSprop",
        lambda ps: m.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-6),
        lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-6),
        "s = alpha * s + (1 - alpha) * g**2, then p -= lr * g / (sqrt(s) + eps), eps outside the root",
    )


def check_adam(run):
    """Adam.step matches torch.optim.Adam, bias correction included"""
    m = run.module
    _compare(
        "Adam",
        lambda ps: m.Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6),
        lambda ps: torch.optim.Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6),
        "increment t before the update, and divide m by (1 - beta1**t) and v by (1 - beta2**t)",
    )


check_adam.points = 2

NAMES = ("sgd", "momentum", "rmsprop", "adam")


def check_race_curves_overlay(run):
    """Each optimizer's loss curve lies on its torch.optim twin's curve"""
    for name in NAMES:
        mine, ref = run.series(f"loss_{name}"), run.series(f"loss_torch_{name}")
        assert len(ref) >= 10, f"loss_torch_{name} was reported {len(ref)} times; report every few steps"
        assert len(mine) == len(ref), (
            f"loss_{name} has {len(mine)} points but loss_torch_{name} has {len(ref)}: "
            f"your {name} optimizer left the race (is its step() still a TODO?)"
        )
        gap = max(abs(a - b) for a, b in zip(mine, ref, strict=True))
        assert gap < 1e-6, f"your {name} curve drifts from torch's by up to {gap:.2e}"


def check_losses_fall(run):
    """Every optimizer brings the training loss down"""
    for name in NAMES:
        losses = run.series(f"loss_{name}")
        assert losses, f"loss_{name} was never reported: is {name}'s step() still a TODO?"
        assert not any(math.isnan(v) for v in losses), f"loss_{name} diverged to nan"
        assert losses[-1] < 0.6 * losses[0], f"loss_{name} only went from {losses[0]:.3f} to {losses[-1]:.3f}"


def check_validation_accuracy(run):
    """Adam and momentum classify held-out digits well"""
    floor = 0.85 if run.smoke else 0.95
    for name in ("momentum", "adam"):
        acc = run.last(f"val_acc_{name}")
        assert acc is not None, f"val_acc_{name} was never reported: is {name}'s step() still a TODO?"
        assert acc >= floor, f"{name} reached validation accuracy {acc:.3f}, below {floor}"
