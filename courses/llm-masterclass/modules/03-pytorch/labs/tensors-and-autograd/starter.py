"""Tensors and autograd: eight small exercises on the tools every PyTorch program uses.

Complete every function marked TODO (replace the `raise NotImplementedError` lines), run, and
let the checks call your functions on fresh inputs.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from masterclass import SMOKE, log, report
from torch import nn

torch.set_num_threads(2)


# 1. Broadcasting ----------------------------------------------------------------------------
def pairwise_sq_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Return the (n, m) matrix of squared distances between rows of a (n, d) and b (m, d)."""
    # TODO: insert axes so a becomes (n, 1, d) and b (1, m, d), subtract, square, sum the last axis.
    raise NotImplementedError("pairwise_sq_distances: compute it with broadcasting, no loops")


# 2. Indexing ---------------------------------------------------------------------------------
def pick_targets(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Return logits[i, targets[i]] for every row i, as a 1-D tensor."""
    # TODO: index rows with torch.arange(n) and columns with targets at the same time.
    raise NotImplementedError("pick_targets: one logit per row, chosen by targets")


# 3. Reshaping --------------------------------------------------------------------------------
def to_patches(images: torch.Tensor, p: int) -> torch.Tensor:
    """Cut (B, H, W) images into non-overlapping p x p patches: (B, H/p * W/p, p * p)."""
    # TODO: reshape to (B, H/p, p, W/p, p), permute the axes, reshape to (B, H/p * W/p, p * p).
    raise NotImplementedError("to_patches: reshape, permute, reshape")


# 4. Gradient of a custom function with autograd ----------------------------------------------
def grad_of_f(x: torch.Tensor) -> torch.Tensor:
    """Return d/dx of f(x) = sum(x**3 * sin(x)) at x, using backward()."""
    # TODO: make x a leaf that requires grad, build f, call f.backward(), return x.grad.
    raise NotImplementedError("grad_of_f: let autograd compute the derivative")


# 5. torch.autograd.grad and higher derivatives ----------------------------------------------
def second_derivative(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """Return f''(x) elementwise for a scalar function f applied elementwise to x."""
    # TODO: torch.autograd.grad(y, x, create_graph=True), then differentiate the result again.
    raise NotImplementedError("second_derivative: call torch.autograd.grad twice")


# 6. Gradient accumulation --------------------------------------------------------------------
def accumulated_grads(model: nn.Module, x: torch.Tensor, y: torch.Tensor, micro_batches: int) -> list[torch.Tensor]:
    """Return the full-batch MSE gradients of every parameter, computed in micro-batches."""
    # TODO: clear old gradients, then for each chunk (x.chunk / y.chunk) backward() a loss scaled
    # by the chunk's share of the batch; finally return a copy of every parameter's .grad.
    raise NotImplementedError("accumulated_grads: accumulate .grad over micro-batches")


# 7. no_grad for updates that must not be recorded -------------------------------------------
def ema_update(target: nn.Module, source: nn.Module, decay: float) -> None:
    """Move target's parameters in place towards source's: t = decay * t + (1 - decay) * s."""
    # TODO: inside torch.no_grad(), update every target parameter in place (mul_, add_).
    raise NotImplementedError("ema_update: in-place update without recording it in the graph")


# 8. A custom autograd.Function ---------------------------------------------------------------
class SiLU(torch.autograd.Function):
    """x * sigmoid(x) with a hand-written backward pass."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_out: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        # TODO: read x from ctx.saved_tensors and return grad_out * d/dx [x * sigmoid(x)].
        raise NotImplementedError("SiLU.backward: write the derivative by hand")


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
