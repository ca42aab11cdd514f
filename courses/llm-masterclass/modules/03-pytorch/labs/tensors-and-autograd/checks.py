"""Checks for the tensors-and-autograd lab: each exercise is called on fresh inputs."""

from __future__ import annotations

import torch
from torch import nn

torch.set_num_threads(2)


def _call(run, name, *args):
    """Call the learner's function, turning a TODO into a readable failure."""
    func = getattr(run.module, name, None)
    assert func is not None, f"main.py has no function {name}(): keep the names of the starter"
    try:
        return func(*args)
    except NotImplementedError as exc:
        raise AssertionError(f"{name} is still a TODO: {exc}") from None
    except RuntimeError as exc:
        if "leaf Variable" in str(exc):
            raise AssertionError(
                f"{name}: autograd refuses in-place changes to parameters it is tracking; "
                "wrap the update in `with torch.no_grad():`"
            ) from None
        raise


def check_broadcasting(run):
    """pairwise_sq_distances uses broadcasting correctly"""
    g = torch.Generator().manual_seed(11)
    a, b = torch.randn(7, 5, generator=g), torch.randn(9, 5, generator=g)
    got = _call(run, "pairwise_sq_distances", a, b)
    assert isinstance(got, torch.Tensor), "return a tensor"
    assert got.shape == (7, 9), f"for a (7, 5) and b (9, 5) the result must be (7, 9), got {tuple(got.shape)}"
    want = torch.cdist(a, b) ** 2
    assert torch.allclose(got, want, atol=1e-4), (
        "entry [i, j] must be sum_k (a[i, k] - b[j, k])**2: insert axes with a[:, None, :] and "
        "b[None, :, :] and sum over the last axis"
    )


def check_indexing(run):
    """pick_targets selects one logit per row"""
    g = torch.Generator().manual_seed(12)
    logits = torch.randn(6, 4, generator=g)
    targets = torch.tensor([3, 0, 1, 1, 2, 3])
    got = _call(run, "pick_targets", logits, targets)
    want = torch.stack([logits[i, t] for i, t in enumerate(targets.tolist())])
    assert got.shape == (6,), f"expected a 1-D tensor of 6 values, got shape {tuple(got.shape)}"
    assert torch.equal(got, want), (
        "row i must give logits[i, targets[i]]; logits[:, targets] picks whole columns instead: "
        "index with two tensors, torch.arange(n) and targets"
    )


def check_reshaping(run):
    """to_patches cuts images into the right patches, in row-major order"""
    images = torch.arange(2 * 6 * 4, dtype=torch.float32).reshape(2, 6, 4)
    got = _call(run, "to_patches", images, 2)
    assert got.shape == (2, 6, 4), f"(2, 6, 4) images with p=2 give (2, 6, 4) patches, got {tuple(got.shape)}"
    want = torch.stack([
        torch.stack([images[b, i:i + 2, j:j + 2].reshape(-1) for i in range(0, 6, 2) for j in range(0, 4, 2)])
        for b in range(2)
    ])
    assert torch.equal(got, want), (
        "the shape is right but patches are mixed up: a plain reshape interleaves rows of different "
        "patches; reshape to (B, H/p, p, W/p, p), permute to (B, H/p, W/p, p, p), then reshape"
    )


def check_grad_of_f(run):
    """grad_of_f matches the analytic derivative 3x^2 sin x + x^3 cos x"""
    x = torch.linspace(-2.0, 3.0, 11)
    got = _call(run, "grad_of_f", x.clone())
    assert isinstance(got, torch.Tensor) and got.shape == x.shape, "return x.grad, a tensor shaped like x"
    want = 3 * x**2 * torch.sin(x) + x**3 * torch.cos(x)
    assert torch.allclose(got, want, atol=1e-4), (
        "wrong gradient: make x a leaf with requires_grad_(True), build f = (x**3 * sin x).sum(), "
        "call f.backward() and return x.grad"
    )


def check_second_derivative(run):
    """second_derivative uses torch.autograd.grad twice (create_graph=True)"""
    x = torch.tensor([-1.5, 0.5, 2.0])
    got = _call(run, "second_derivative", lambda t: torch.sin(t) * t**2, x.clone())
    want = 2 * torch.sin(x) + 4 * x * torch.cos(x) - x**2 * torch.sin(x)
    assert isinstance(got, torch.Tensor), "return a tensor"
    assert torch.allclose(got, want, atol=1e-4), (
        f"f(t) = t^2 sin t at {x.tolist()}: expected {want.tolist()}, got {got.tolist()}; the first "
        "torch.autograd.grad call needs create_graph=True so its result can be differentiated"
    )


def check_gradient_accumulation(run):
    """accumulated_grads equals the full-batch gradient"""
    torch.manual_seed(13)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
    x, y = torch.randn(12, 4), torch.randn(12, 2)
    reference = [p.detach().clone() for p in model.parameters()]
    model.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    want = [p.grad.clone() for p in model.parameters()]
    for p in model.parameters():
        p.grad = torch.full_like(p, 5.0)  # stale gradients the function must clear first
    got = _call(run, "accumulated_grads", model, x, y, 3)
    assert all(torch.equal(p, r) for p, r in zip(model.parameters(), reference, strict=False)), (
        "accumulated_grads must not change the parameters (no optimizer step)"
    )
    assert len(got) == len(want), f"return one gradient per parameter ({len(want)}), got {len(got)}"
    for g, w in zip(got, want, strict=False):
        if torch.allclose(g, 3 * w, atol=1e-5):
            raise AssertionError("gradients are 3x too large: scale each micro-batch loss by its share of the batch")
        assert torch.allclose(g, w, atol=1e-5), (
            "the accumulated gradient differs from the full-batch one: call model.zero_grad() first "
            "(stale .grad values add up), then backward() on each scaled micro-batch loss"
        )


def check_no_grad_update(run):
    """ema_update changes parameters in place without recording the update"""
    torch.manual_seed(14)
    target, source = nn.Linear(3, 2), nn.Linear(3, 2)
    before = [p.detach().clone() for p in target.parameters()]
    params = list(target.parameters())
    _call(run, "ema_update", target, source, 0.75)
    for p, b, s, q in zip(target.parameters(), before, source.parameters(), params, strict=False):
        assert p is q, "update the existing parameters in place; do not replace them with new tensors"
        assert torch.allclose(p, 0.75 * b + 0.25 * s.detach(), atol=1e-6), "expected t = decay*t + (1-decay)*s"
        assert p.is_leaf and p.requires_grad and p.grad_fn is None, (
            "the parameters must stay trainable leaves: do the update inside torch.no_grad()"
        )


def check_custom_function(run):
    """SiLU is a torch.autograd.Function with a correct hand-written backward"""
    cls = getattr(run.module, "SiLU", None)
    assert isinstance(cls, type) and issubclass(cls, torch.autograd.Function), "define class SiLU(torch.autograd.Function)"
    x = torch.randn(10, dtype=torch.float64, generator=torch.Generator().manual_seed(15)).requires_grad_(True)
    try:
        y = cls.apply(x)
        assert torch.allclose(y, nn.functional.silu(x)), "forward must return x * sigmoid(x)"
        y.sum().backward()
    except NotImplementedError as exc:
        raise AssertionError(f"SiLU is still a TODO: {exc}") from None
    s = torch.sigmoid(x.detach())
    want = s * (1 + x.detach() * (1 - s))
    assert x.grad is not None and torch.allclose(x.grad, want, atol=1e-8), (
        "backward returns the wrong gradient: d/dx [x sigmoid(x)] = s + x s (1 - s) with s = sigmoid(x), "
        "times grad_output"
    )
    ok = torch.autograd.gradcheck(cls.apply, (x.detach().clone().requires_grad_(True),), raise_exception=False)
    assert ok, "torch.autograd.gradcheck disagrees with your backward"


check_custom_function.points = 2
check_second_derivative.points = 2
check_gradient_accumulation.points = 2
