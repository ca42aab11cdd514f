"""Tensors and autograd: eight small exercises on the tools every PyTorch program uses."""

from __future__ import annotations

from collections.abc import Callable

import torch
from masterclass import SMOKE, log, report
from torch import nn

torch.set_num_threads(2)


# 1. Broadcasting ----------------------------------------------------------------------------
def pairwise_sq_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Return the (n, m) matrix of squared distances between rows of a (n, d) and b (m, d)."""
    # (n, 1, d) - (1, m, d) broadcasts to (n, m, d): no Python loop, no copies of a or b.
    diff = a[:, None, :] - b[None, :, :]
    return (diff**2).sum(dim=-1)


# 2. Indexing ---------------------------------------------------------------------------------
def pick_targets(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Return logits[i, targets[i]] for every row i, as a 1-D tensor."""
    return logits[torch.arange(logits.shape[0]), targets]


# 3. Reshaping --------------------------------------------------------------------------------
def to_patches(images: torch.Tensor, p: int) -> torch.Tensor:
    """Cut (B, H, W) images into non-overlapping p x p patches: (B, H/p * W/p, p * p)."""
    b, h, w = images.shape
    x = images.reshape(b, h // p, p, w // p, p)  # split each axis into (block, offset)
    x = x.permute(0, 1, 3, 2, 4)  # bring the two block axes together, then the two offsets
    return x.reshape(b, (h // p) * (w // p), p * p)


# 4. Gradient of a custom function with autograd ----------------------------------------------
def grad_of_f(x: torch.Tensor) -> torch.Tensor:
    """Return d/dx of f(x) = sum(x**3 * sin(x)) at x, using backward()."""
    x = x.detach().clone().requires_grad_(True)
    f = (x**3 * torch.sin(x)).sum()
    f.backward()
    return x.grad


# 5. torch.autograd.grad and higher derivatives ----------------------------------------------
def second_derivative(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """Return f''(x) elementwise for a scalar function f applied elementwise to x."""
    x = x.detach().clone().requires_grad_(True)
    y = f(x).sum()
    # create_graph=True records the first derivative's own graph so we can differentiate again.
    (dy,) = torch.autograd.grad(y, x, create_graph=True)
    (d2y,) = torch.autograd.grad(dy.sum(), x)
    return d2y


# 6. Gradient accumulation --------------------------------------------------------------------
def accumulated_grads(model: nn.Module, x: torch.Tensor, y: torch.Tensor, micro_batches: int) -> list[torch.Tensor]:
    """Return the full-batch MSE gradients of every parameter, computed in micro-batches."""
    model.zero_grad()
    n = x.shape[0]
    for xb, yb in zip(x.chunk(micro_batches), y.chunk(micro_batches), strict=True):
        # Weight each chunk's mean loss by its share of the batch so the sum equals the full mean.
        loss = nn.functional.mse_loss(model(xb), yb) * (xb.shape[0] / n)
        loss.backward()  # .grad accumulates (adds) across calls until zero_grad
    return [p.grad.detach().clone() for p in model.parameters()]


# 7. no_grad for updates that must not be recorded -------------------------------------------
def ema_update(target: nn.Module, source: nn.Module, decay: float) -> None:
    """Move target's parameters in place towards source's: t = decay * t + (1 - decay) * s."""
    with torch.no_grad():
        for t, s in zip(target.parameters(), source.parameters(), strict=True):
            t.mul_(decay).add_(s, alpha=1 - decay)


# 8. A custom autograd.Function ---------------------------------------------------------------
class SiLU(torch.autograd.Function):
    """x * sigmoid(x) with a hand-written backward pass."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_out: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        # d/dx [x s(x)] = s + x s (1 - s)
        return grad_out * (s + x * s * (1 - s))


def silu(x: torch.Tensor) -> torch.Tensor:
    """Apply the custom SiLU function."""
    return SiLU.apply(x)


def demo() -> int:
    """Run every exercise once on small inputs; return how many ran without a TODO."""
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(4, 3, generator=g), torch.randn(5, 3, generator=g)
    x, y = torch.randn(8, 3, generator=g), torch.randn(8, 1, generator=g)
    exercises: dict[str, Callable[[], object]] = {
        "pairwise_sq_distances": lambda: pairwise_sq_distances(a, b).shape,
        "pick_targets": lambda: pick_targets(a, torch.tensor([0, 2, 1, 1])).tolist(),
        "to_patches": lambda: to_patches(torch.arange(32.0).reshape(2, 4, 4), 2).shape,
        "grad_of_f": lambda: grad_of_f(torch.tensor([0.0, 1.0, 2.0])).tolist(),
        "second_derivative": lambda: second_derivative(lambda t: t**4, torch.tensor([1.0, 2.0])).tolist(),
        "accumulated_grads": lambda: len(accumulated_grads(nn.Linear(3, 1), x, y, 4)),
        "ema_update": lambda: ema_update(nn.Linear(2, 2), nn.Linear(2, 2), 0.9),
        "silu": lambda: silu(torch.tensor([-1.0, 0.0, 1.0])).tolist(),
    }
    done = 0
    for name, exercise in exercises.items():
        try:
            log(f"{name}: {exercise()}")
            done += 1
        except NotImplementedError as exc:
            log(f"{name}: TODO ({exc})")
    return done


if __name__ == "__main__":
    torch.manual_seed(0)
    completed = demo()
    report(step=0, exercises_done=completed)
    log(f"{completed}/8 exercises run ({'smoke' if SMOKE else 'full'} mode)")
