"""Checks for the transfer-learning lab: pooling, freezing, and pretrained versus scratch."""

from __future__ import annotations

import torch
from torch import nn

torch.set_num_threads(2)

# The reference reaches 0.742 (smoke, 120 training snippets) and 0.793 (full, 200), and beats
# the from-scratch model (0.667 and 0.700) by 0.075 and 0.093.
MIN_PRETRAINED_ACC = {"smoke": 0.70, "full": 0.75}
MIN_MARGIN = 0.03


def _get(run, name):
    """Return a function of the learner's main.py, failing with a clear message."""
    func = getattr(run.module, name, None)
    assert func is not None, f"main.py has no {name}(): keep the names used by the starter"
    return func


def _todo(func, *args):
    """Call learner code, turning a TODO into a readable failure."""
    try:
        return func(*args)
    except NotImplementedError as exc:
        raise AssertionError(f"still a TODO: {exc}") from None


def check_mean_pool(run):
    """mean_pool averages token vectors over real tokens only"""
    g = torch.Generator().manual_seed(21)
    hidden = torch.randn(3, 6, 4, generator=g)
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]])
    got = _todo(_get(run, "mean_pool"), hidden, mask)
    assert isinstance(got, torch.Tensor) and got.shape == (3, 4), "return one vector per sentence: shape (B, D)"
    want = torch.stack([hidden[0].mean(0), hidden[1, :3].mean(0), hidden[2, 0]])
    if torch.allclose(got, hidden.mean(1), atol=1e-5):
        raise AssertionError("this averages the padding too: multiply by the mask and divide by the number of real tokens")
    assert torch.allclose(got, want, atol=1e-5), (
        "expected sum(hidden * mask) / sum(mask) over the token axis (dim=1)"
    )


def check_freeze(run):
    """freeze turns off gradients and dropout for every part of the model"""
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.Sequential(nn.Linear(4, 2), nn.Dropout(0.1)))
    model.train()
    result = _todo(_get(run, "freeze"), model)
    frozen = result if isinstance(result, nn.Module) else model
    assert all(not p.requires_grad for p in frozen.parameters()), (
        "some parameters still require gradients: call model.requires_grad_(False)"
    )
    assert not any(m.training for m in frozen.modules()), (
        "the model is still in training mode, so dropout changes the features: call model.eval()"
    )


def check_pretrained_accuracy(run):
    """The linear head on frozen MiniLM features reaches the target accuracy"""
    acc = run.require("val_acc_pretrained")
    threshold = MIN_PRETRAINED_ACC["smoke" if run.smoke else "full"]
    assert acc >= threshold, (
        f"validation accuracy {acc:.3f} is below {threshold}: check the pooling and that "
        "the encoder is frozen and in eval mode"
    )
    return f"val_acc_pretrained {acc:.3f}"


check_pretrained_accuracy.points = 2


def check_transfer_beats_scratch(run):
    """Pretrained features beat the from-scratch model on this small data set"""
    pretrained, scratch = run.require("val_acc_pretrained"), run.require("val_acc_scratch")
    assert pretrained >= scratch + MIN_MARGIN, (
        f"pretrained {pretrained:.3f} versus scratch {scratch:.3f}: the frozen encoder should win by "
        f"at least {MIN_MARGIN}"
    )
    return f"pretrained {pretrained:.3f}, scratch {scratch:.3f}"


def check_head_artifact(run):
    """The saved head and validation features reproduce the reported accuracy"""
    state = torch.load(run.artifact("head.pt"), weights_only=True)
    saved = torch.load(run.artifact("val_features.pt"), weights_only=True)
    features, labels = saved["features"], saved["labels"]
    assert features.ndim == 2 and features.shape[1] == 384, (
        f"features must be (n, 384) sentence vectors, got {tuple(features.shape)}"
    )
    norms = features.norm(dim=1)
    assert torch.allclose(norms, torch.ones_like(norms), atol=1e-4), "embed() must return L2-normalised vectors"
    head = nn.Linear(384, 2)
    head.load_state_dict(state)
    with torch.no_grad():
        acc = (head(features).argmax(1) == labels).float().mean().item()
    reported = run.require("val_acc_pretrained")
    assert abs(acc - reported) < 1e-6, f"the saved head scores {acc:.3f} but the run reported {reported:.3f}"


def check_live_curve(run):
    """The head's training loss is reported and falls"""
    losses, val_losses = run.series("loss"), run.series("val_loss")
    assert len(losses) >= 5 and len(val_losses) >= 5, "report(step=..., loss=..., val_loss=...) while training the head"
    assert losses[-1] < 0.8 * losses[0], f"the training loss only went from {losses[0]:.3f} to {losses[-1]:.3f}"
