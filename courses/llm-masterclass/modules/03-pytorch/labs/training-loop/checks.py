"""Checks for the training-loop lab: data pipeline, accuracy, schedule, checkpoints, resume."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader

torch.set_num_threads(2)

# The reference reaches 0.932 in smoke mode (200 steps) and 0.967 in full mode (1,000 steps).
MIN_VAL_ACC = {"smoke": 0.88, "full": 0.95}


def _get(run, name):
    """Return an attribute of the learner's main.py, failing with a clear message."""
    value = getattr(run.module, name, None)
    assert value is not None, f"main.py has no {name}: keep the names used by the starter"
    return value


def _todo(func, *args):
    """Call learner code, turning a TODO into a readable failure."""
    try:
        return func(*args)
    except NotImplementedError as exc:
        raise AssertionError(f"still a TODO: {exc}") from None


def check_dataset(run):
    """DigitsDataset has the right __len__ and __getitem__ and batches in a DataLoader"""
    dataset_cls = _get(run, "DigitsDataset")
    rng = np.random.default_rng(7)
    images = rng.integers(0, 256, size=(13, 784), dtype=np.uint8)
    labels = rng.integers(0, 10, size=13).astype(np.int64)
    dataset = dataset_cls(images, labels)
    n = _todo(len, dataset)
    assert n == 13, f"len(dataset) must be the number of examples (13), got {n}"
    x, y = _todo(dataset.__getitem__, 5)
    assert isinstance(x, torch.Tensor) and x.dtype == torch.float32, "images must be float32 tensors"
    assert tuple(x.shape) == (1, 28, 28), f"an image must have shape (1, 28, 28) (channels first), got {tuple(x.shape)}"
    want = torch.tensor(images[5], dtype=torch.float32).reshape(1, 28, 28) / 255
    assert torch.allclose(x, want), "dataset[i] must be image i scaled to [0, 1] (divide by 255)"
    assert int(y) == int(labels[5]), "dataset[i] must return label i"
    xb, yb = next(iter(DataLoader(dataset, batch_size=4)))
    assert tuple(xb.shape) == (4, 1, 28, 28) and yb.dtype == torch.int64, (
        "a DataLoader batch must be (4, 1, 28, 28) images and int64 labels (return the label as int)"
    )


def check_accuracy(run):
    """The trained model reaches the target validation accuracy"""
    acc = run.require("val_acc")
    run.require("val_loss")
    threshold = MIN_VAL_ACC["smoke" if run.smoke else "full"]
    assert acc >= threshold, (
        f"validation accuracy {acc:.3f} is below {threshold}: check the loop (zero_grad, backward, "
        "step, scheduler.step once per batch) and that evaluate() uses model.eval() and no_grad"
    )
    return f"val_acc {acc:.3f}"


check_accuracy.points = 2


def check_live_curve(run):
    """The loop reports loss and learning rate regularly, and the loss falls"""
    losses, lrs = run.series("loss"), run.series("lr")
    assert len(losses) >= 10, f"report(step=..., loss=...) every few steps: only {len(losses)} points"
    assert len(lrs) >= 10, "report the learning rate too: report(step=..., loss=..., lr=scheduler.get_last_lr()[0])"
    assert len(set(round(v, 12) for v in lrs)) > 3, "the learning rate never changes: step the scheduler every batch"
    head, tail = np.mean(losses[:3]), np.mean(losses[-3:])
    assert tail < 0.5 * head, f"the training loss only went from {head:.3f} to {tail:.3f}"


def check_resume_in_run(run):
    """After the resume the step count and the schedule continue where they stopped"""
    points = [(p["step"], p["values"]) for p in run.metrics if p.get("step") is not None and "loss" in p.get("values", {})]
    steps = [s for s, _ in points]
    assert steps, "report(step=..., loss=...) while training"
    assert all(b > a for a, b in zip(steps, steps[1:], strict=False)), (
        "reported steps go backwards: after load_checkpoint continue counting from the saved step"
    )
    lrs = [v["lr"] for _, v in points if v.get("lr") is not None]
    peak = int(np.argmax(lrs))
    rises = [i for i in range(peak + 1, len(lrs)) if lrs[i] > lrs[i - 1] * (1 + 1e-9)]
    assert not rises, (
        "the learning rate climbs again after its peak, as if the schedule restarted: load the "
        "scheduler's state_dict when resuming"
    )


def check_resume_is_exact(run):
    """save_checkpoint + load_checkpoint resume training exactly (model, optimizer, scheduler)"""
    net_cls, make_optimizer = _get(run, "DigitNet"), _get(run, "make_optimizer")
    save, load = _get(run, "save_checkpoint"), _get(run, "load_checkpoint")
    g = torch.Generator().manual_seed(3)
    batches = [(torch.rand(16, 1, 28, 28, generator=g), torch.randint(0, 10, (16,), generator=g)) for _ in range(8)]

    def steps(model, optimizer, scheduler, chunk):
        model.train()
        for i, (x, y) in chunk:
            torch.manual_seed(100 + i)  # the same dropout masks in both runs
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()

    torch.manual_seed(0)
    straight = net_cls()
    opt, sched = make_optimizer(straight, 8)
    steps(straight, opt, sched, enumerate(batches))

    torch.manual_seed(0)
    first = net_cls()
    opt1, sched1 = make_optimizer(first, 8)
    steps(first, opt1, sched1, list(enumerate(batches))[:4])
    # The run's work dir is read-only while grading: write scratch files to a temp dir.
    path = Path(tempfile.mkdtemp(prefix="check-")) / "check_resume.pt"
    _todo(save, path, first, opt1, sched1, 4)
    torch.manual_seed(1)  # a different initialisation: the checkpoint must overwrite it
    second = net_cls()
    opt2, sched2 = make_optimizer(second, 8)
    step = _todo(load, path, second, opt2, sched2)
    assert step == 4, f"load_checkpoint must return the saved step (4), got {step}"
    assert sched2.get_last_lr() == sched1.get_last_lr(), "the learning rate after loading differs: save and load the scheduler state"
    steps(second, opt2, sched2, list(enumerate(batches))[4:])
    for (name, a), b in zip(straight.state_dict().items(), second.state_dict().values(), strict=False):
        assert torch.allclose(a, b, atol=1e-6), (
            f"after resuming, {name} differs from an uninterrupted run: the optimizer state "
            "(AdamW's moment estimates) and scheduler state must be saved and loaded too"
        )


check_resume_is_exact.points = 2


def check_checkpoint_reload(run):
    """The model.pt artifact loads into DigitNet and reproduces the saved logits exactly"""
    net_cls = _get(run, "DigitNet")
    checkpoint = torch.load(run.artifact("model.pt"), weights_only=True)
    assert isinstance(checkpoint, dict) and "model" in checkpoint, (
        "model.pt must be a dict with the model's state_dict under 'model' (see save_checkpoint)"
    )
    model = net_cls()
    model.load_state_dict(checkpoint["model"])
    model.eval()
    probe = torch.load(run.artifact("probe.pt"), weights_only=True)
    with torch.no_grad():
        logits = model(probe["inputs"])
    diff = (logits - probe["logits"]).abs().max().item()
    assert diff <= 1e-5, (
        f"reloaded logits differ by up to {diff:.3g}: compute both in eval mode (dropout off) and "
        "save the final weights"
    )
    in_run = run.require("reload_max_diff")
    assert in_run == 0, (
        f"inside your run the reloaded model's logits differed by {in_run:.3g}: both models must be "
        "in eval mode, and the reload must use the weights saved at the end"
    )
    return f"max |difference| {diff:.2g} here, {in_run:.2g} in the run"
