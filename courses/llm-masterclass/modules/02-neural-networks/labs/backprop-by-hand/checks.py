"""Grade the backpropagation lab: compare the learner's gradients with PyTorch autograd."""

from __future__ import annotations

import math

import numpy as np
import torch


def _problem(seed: int = 123) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Make a fresh network (3 inputs, 7 hidden, 4 classes) and batch the learner never saw."""
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.normal(0, 0.8, size=(3, 7)),
        "b1": rng.normal(0, 0.3, size=7),
        "W2": rng.normal(0, 0.8, size=(7, 4)),
        "b2": rng.normal(0, 0.3, size=4),
    }
    X = rng.normal(size=(11, 3))
    y = rng.integers(0, 4, size=11)
    return params, X, y


def _autograd(
    params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray
) -> tuple[float, dict[str, np.ndarray]]:
    """Return the reference loss and gradients of a tanh network with softmax cross-entropy."""
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    hidden = torch.tanh(torch.tensor(X) @ t["W1"] + t["b1"])
    loss = torch.nn.functional.cross_entropy(hidden @ t["W2"] + t["b2"], torch.tensor(y))
    loss.backward()
    return loss.item(), {k: v.grad.numpy() for k, v in t.items()}


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), 1e-12))


def _call(func, *args):
    try:
        return func(*args)
    except NotImplementedError as exc:
        raise AssertionError(f"{func.__name__} is still a TODO: {exc}") from None


def check_forward(run):
    """forward() returns the mean softmax cross-entropy of the network"""
    params, X, y = _problem()
    out = _call(run.module.forward, {k: v.copy() for k, v in params.items()}, X, y)
    assert isinstance(out, tuple) and len(out) == 2, "forward(params, X, y) must return (loss, cache)"
    loss, _ = out
    expected, _ = _autograd(params, X, y)
    assert math.isclose(float(loss), expected, rel_tol=1e-9), (
        f"forward gives loss {float(loss):.6f} but the network's mean cross-entropy is {expected:.6f}: "
        "compute H = tanh(X W1 + b1), logits = H W2 + b2, then -mean(log softmax(logits)[y])"
    )


def check_backward(run):
    """backward() matches PyTorch autograd for every parameter"""
    params, X, y = _problem(7)
    _, cache = _call(run.module.forward, {k: v.copy() for k, v in params.items()}, X, y)
    grads = _call(run.module.backward, {k: v.copy() for k, v in params.items()}, cache)
    _, expected = _autograd(params, X, y)
    # Walk in backward order so the first mismatch reported is the earliest mistake.
    for name in ("W2", "b2", "W1", "b1"):
        ref = expected[name]
        assert name in grads, f"backward must return a gradient for {name!r}"
        got = np.asarray(grads[name])
        assert got.shape == ref.shape, f"d loss/d {name} has shape {got.shape}, expected {ref.shape}"
        err = _rel(got, ref)
        hint = (
            " (did you divide by the batch size?)"
            if name in ("W2", "b2")
            else " (remember tanh'(z) = 1 - tanh(z)^2)"
        )
        assert err < 1e-8, f"d loss/d {name} differs from autograd: relative error {err:.1e}{hint}"


check_backward.points = 2


def check_numerical_gradient(run):
    """numerical_gradient() estimates gradients by central differences"""
    params, X, y = _problem(11)
    grads = _call(run.module.numerical_gradient, {k: v.copy() for k, v in params.items()}, X, y)
    _, expected = _autograd(params, X, y)
    for name, ref in expected.items():
        got = np.asarray(grads[name])
        assert got.shape == ref.shape, (
            f"numerical gradient of {name} has shape {got.shape}, expected {ref.shape}"
        )
        err = _rel(got, ref)
        assert err < 1e-6, (
            f"numerical gradient of {name} is off by {err:.1e}: use (f(p + eps) - f(p - eps)) / (2 eps) "
            "with a small eps such as 1e-6, and restore each entry after perturbing it"
        )


def check_gradient_check_passes(run):
    """The program's gradient check reports a relative error below 1e-5"""
    error = run.require("grad_rel_error")
    assert error < 1e-5, (
        f"your gradient check reported {error:.2e}; backward() and the numerical gradient disagree"
    )
    assert error > 0, "a relative error of exactly 0 means the two gradients were not computed independently"


def check_training_loss_falls(run):
    """The training loss falls well below its starting value"""
    losses = [v for v in run.series("loss") if not math.isnan(v)]
    assert len(losses) >= 5, "report(step=..., loss=..., val_loss=...) every few steps while training"
    assert losses[-1] < 0.4 * losses[0], f"training loss only went from {losses[0]:.3f} to {losses[-1]:.3f}"


def check_validation_accuracy(run):
    """The trained network separates the two moons (validation accuracy >= 0.94)"""
    assert run.series("val_loss"), "report val_loss as well, so you can see generalization"
    acc = run.require("val_acc")
    assert acc >= 0.94, (
        f"validation accuracy {acc:.3f}: a tanh network with 32 hidden units should reach 0.94"
    )
