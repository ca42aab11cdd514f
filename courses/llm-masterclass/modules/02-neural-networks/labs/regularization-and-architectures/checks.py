"""Grade the regularization and architectures lab."""

from __future__ import annotations

import torch
from torch import nn


def _build(cls):
    try:
        return cls()
    except NotImplementedError as exc:
        raise AssertionError(f"{cls.__name__} is still a TODO: {exc}") from None


def check_dropout_eval_is_identity(run):
    """dropout() leaves its input unchanged in evaluation mode"""
    x = torch.randn(50, 20)
    out = run.module.dropout(x, 0.5, False)
    assert torch.equal(out, x), "with training=False, dropout must return x unchanged"


def check_dropout_train(run):
    """dropout() zeroes a fraction p while training and rescales the survivors by 1/(1-p)"""
    torch.manual_seed(0)
    x = torch.rand(400, 500) + 0.5  # strictly positive, so a zero can only come from the mask
    p = 0.3
    out = run.module.dropout(x, p, True)
    assert out.shape == x.shape, f"dropout changed the shape from {tuple(x.shape)} to {tuple(out.shape)}"
    dropped = (out == 0).float().mean().item()
    assert abs(dropped - p) < 0.01, (
        f"with p={p}, {dropped:.3f} of the entries were zeroed (expected about {p})"
    )
    kept = out != 0
    ratio = out[kept] / x[kept]
    assert torch.allclose(ratio, torch.full_like(ratio, 1 / (1 - p)), rtol=1e-5), (
        "the kept entries must be scaled by 1 / (1 - p) (inverted dropout), so the expected output equals x"
    )
    again = run.module.dropout(x, p, True)
    assert not torch.equal(again, out), "each call must draw a fresh random mask"


def check_l2_penalty(run):
    """l2_penalty() sums the squared weights and leaves biases out"""
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Conv1d(1, 2, 3))
    expected = sum((p**2).sum() for p in model.parameters() if p.dim() > 1)
    got = run.module.l2_penalty(model)
    assert torch.is_tensor(got), "return a tensor, so the penalty can be backpropagated"
    with_bias = sum((p**2).sum() for p in model.parameters())
    assert not torch.isclose(got, with_bias), (
        "leave the biases out: penalise only parameters with p.dim() > 1"
    )
    assert torch.isclose(got, expected), f"l2_penalty gave {got.item():.4f}, expected {expected.item():.4f}"
    got.backward()
    assert model[0].weight.grad is not None, "the penalty must stay connected to the weights (no .item())"


def check_regularization_narrows_gap(run):
    """Dropout + L2 narrow the train/validation gap and lower the validation loss"""
    plain, reg = run.require("gap_plain"), run.require("gap_reg")
    assert reg < 0.5 * plain, (
        f"the gap (validation minus training loss) is {plain:.3f} without regularization and {reg:.3f} "
        "with it; a working dropout + L2 should at least halve it"
    )
    v_plain, v_reg = run.require("final_val_loss_plain"), run.require("final_val_loss_reg")
    assert v_reg < v_plain, f"validation loss with regularization {v_reg:.3f} is not below {v_plain:.3f}"


check_regularization_narrows_gap.points = 2


def check_cnn(run):
    """CNN uses convolutions and maps (N, 1, 8, 8) images to (N, 10) logits"""
    model = _build(run.module.CNN)
    assert any(isinstance(m, nn.Conv2d) for m in model.modules()), "the CNN needs at least one nn.Conv2d"
    out = model(torch.randn(5, 1, 8, 8))
    assert tuple(out.shape) == (5, 10), f"CNN output has shape {tuple(out.shape)}, expected (5, 10)"


def check_gru(run):
    """GRUClassifier is recurrent and maps (N, 8, 8) sequences to (N, 10) logits"""
    model = _build(run.module.GRUClassifier)
    assert any(isinstance(m, (nn.GRU, nn.LSTM)) for m in model.modules()), "use an nn.GRU (or nn.LSTM)"
    out = model(torch.randn(5, 8, 8))
    assert tuple(out.shape) == (5, 10), f"GRUClassifier output has shape {tuple(out.shape)}, expected (5, 10)"
    # Reading the sequence backwards changes the answer only if the model uses the order.
    x = torch.randn(3, 8, 8)
    assert not torch.allclose(model(x), model(x.flip(1))), "the output must depend on the order of the rows"


FLOORS = {"full": {"mlp": 0.95, "cnn": 0.96, "gru": 0.92}, "smoke": {"mlp": 0.90, "cnn": 0.90, "gru": 0.70}}


def check_validation_accuracy(run):
    """MLP, CNN and GRU each classify held-out digits well"""
    floors = FLOORS["smoke" if run.smoke else "full"]
    for name, floor in floors.items():
        acc = run.last(f"val_acc_{name}")
        assert acc is not None, f"val_acc_{name} was never reported: is the {name.upper()} still a TODO?"
        assert acc >= floor, f"the {name.upper()} reached validation accuracy {acc:.3f}, below {floor}"
    assert run.series("loss_cnn") and run.series("val_loss_gru"), "report each model's loss curves per epoch"


check_validation_accuracy.points = 2
