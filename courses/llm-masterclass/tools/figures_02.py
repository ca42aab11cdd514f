"""Generate the Plotly figures of Module 2 (neural networks) as JSON files.

Usage: python courses/llm-masterclass/tools/figures_02.py [--only NAME ...]
Every figure is seeded, rounded to 4 significant digits and written to
modules/02-neural-networks/figures/<name>.json next to the lessons that embed it.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import torch
from plotly.subplots import make_subplots
from sklearn.datasets import load_digits, make_moons
from torch import nn

OUT = Path(__file__).resolve().parents[1] / "modules" / "02-neural-networks" / "figures"
MAX_BYTES = 150_000
COLORS = {"sgd": "#636efa", "momentum": "#ef553b", "rmsprop": "#00cc96", "adam": "#ab63fa"}
FIGURES: dict[str, Callable[[], go.Figure]] = {}


def figure(func: Callable[[], go.Figure]) -> Callable[[], go.Figure]:
    """Register a figure builder under its function name (underscores become dashes)."""
    FIGURES[func.__name__.replace("_", "-")] = func
    return func


def _round(value: Any) -> Any:
    """Round every float in a JSON tree to 4 significant digits, decoding packed arrays."""
    if isinstance(value, dict) and set(value) <= {"dtype", "bdata", "shape"} and "bdata" in value:
        # Plotly packs numpy arrays as base64 typed arrays; plain lists keep the files readable.
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return _round(array.tolist())
    if isinstance(value, float):
        return float(f"{value:.4g}") if math.isfinite(value) else None
    if isinstance(value, list):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


def save(name: str, fig: go.Figure) -> int:
    """Write one figure as compact JSON and return its size in bytes."""
    fig.update_layout(template="plotly_white", margin={"l": 60, "r": 20, "t": 70, "b": 55})
    data = _round(json.loads(pio.to_json(fig, validate=True)))
    # The template is large and the site applies its own styling; keep only a few of its keys.
    template = data["layout"].pop("template", {})
    data["layout"]["template"] = {
        "layout": {
            k: template.get("layout", {}).get(k)
            for k in ("xaxis", "yaxis", "plot_bgcolor", "paper_bgcolor", "font")
        }
    }
    text = json.dumps(data, separators=(",", ":"))
    if len(text) > MAX_BYTES:
        raise ValueError(f"{name}: {len(text)} bytes is over the {MAX_BYTES} byte budget")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(text)
    return len(text)


# ---------------------------------------------------------------- 2.1 introduction


@figure
def network_structure() -> go.Figure:
    """Draw a 3-4-4-2 fully connected network: every unit feeds every unit of the next layer."""
    sizes = [3, 4, 4, 2]
    names = ["input", "hidden 1", "hidden 2", "output"]
    pos = {(i, j): (i, (n - 1) / 2 - j) for i, n in enumerate(sizes) for j in range(n)}
    ex, ey = [], []
    for i in range(len(sizes) - 1):
        for j in range(sizes[i]):
            for k in range(sizes[i + 1]):
                (x0, y0), (x1, y1) = pos[(i, j)], pos[(i + 1, k)]
                ex += [x0, x1, None]
                ey += [y0, y1, None]
    fig = go.Figure(
        go.Scatter(
            x=ex, y=ey, mode="lines", line={"color": "#bbb", "width": 1}, hoverinfo="skip", showlegend=False
        )
    )
    palette = ["#636efa", "#00cc96", "#00cc96", "#ef553b"]
    for i, n in enumerate(sizes):
        fan_in = sizes[i - 1] if i else 0
        hover = [
            f"{names[i]} unit {j + 1}<br>"
            + (
                "holds one input feature x"
                if i == 0
                else f"computes a = f(w·x + b) from {fan_in} inputs<br>{fan_in} weights + 1 bias"
            )
            for j in range(n)
        ]
        fig.add_trace(
            go.Scatter(
                x=[pos[(i, j)][0] for j in range(n)],
                y=[pos[(i, j)][1] for j in range(n)],
                mode="markers",
                marker={"size": 34, "color": palette[i], "line": {"width": 2, "color": "white"}},
                name=f"{names[i]} layer ({n} units)",
                hovertext=hover,
                hoverinfo="text",
            )
        )
    params = sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes) - 1))
    fig.update_layout(
        title=f"A 3-4-4-2 multilayer perceptron: {params} parameters (weights on the lines, a bias per unit)",
        xaxis={
            "title": "layer (information flows left to right)",
            "tickvals": [0, 1, 2, 3],
            "ticktext": names,
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={"title": "units", "showticklabels": False, "showgrid": False, "zeroline": False},
        height=420,
    )
    return fig


@figure
def activations() -> go.Figure:
    """Plot common activation functions and their derivatives."""
    z = np.linspace(-5, 5, 201)
    sig = 1 / (1 + np.exp(-z))
    gelu = 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)))
    zt = torch.tensor(z, requires_grad=True)
    torch.nn.functional.gelu(zt, approximate="tanh").sum().backward()
    curves = {
        "sigmoid σ(z)": (sig, sig * (1 - sig)),
        "tanh(z)": (np.tanh(z), 1 - np.tanh(z) ** 2),
        "ReLU max(0, z)": (np.maximum(0, z), (z > 0).astype(float)),
        "leaky ReLU (0.1)": (np.where(z > 0, z, 0.1 * z), np.where(z > 0, 1.0, 0.1)),
        "GELU": (gelu, zt.grad.numpy()),
    }
    fig = make_subplots(rows=1, cols=2, subplot_titles=("activation f(z)", "derivative f′(z)"))
    palette = ["#636efa", "#ef553b", "#00cc96", "#ffa15a", "#ab63fa"]
    for (name, (f, df)), color in zip(curves.items(), palette, strict=True):
        fig.add_trace(
            go.Scatter(
                x=z,
                y=f,
                name=name,
                line={"color": color},
                legendgroup=name,
                hovertemplate=f"{name}<br>z=%{{x:.2f}}<br>f(z)=%{{y:.3f}}<extra></extra>",
            ),
            1,
            1,
        )
        fig.add_trace(
            go.Scatter(
                x=z,
                y=df,
                name=name,
                line={"color": color, "dash": "dot"},
                legendgroup=name,
                showlegend=False,
                hovertemplate=f"{name}<br>z=%{{x:.2f}}<br>f′(z)=%{{y:.3f}}<extra></extra>",
            ),
            1,
            2,
        )
    fig.update_xaxes(title_text="pre-activation z = w·x + b")
    fig.update_yaxes(title_text="f(z)", range=[-1.5, 3], row=1, col=1)
    fig.update_yaxes(title_text="f′(z) (how much gradient passes)", range=[-0.1, 1.15], row=1, col=2)
    fig.update_layout(
        title="Activation functions: sigmoid's slope never exceeds 0.25, ReLU passes 0 or 1",
        height=430,
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def _grid(lo: float = -2.5, hi: float = 2.5, n: int = 60) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    axis = np.linspace(lo, hi, n)
    xx, yy = np.meshgrid(axis, axis)
    return axis, np.c_[xx.ravel(), yy.ravel()], xx


def _train_classifier(
    model: nn.Module, X: np.ndarray, y: np.ndarray, epochs: int, lr: float, weight_decay: float = 0.0
) -> nn.Module:
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = nn.functional.cross_entropy(model(Xt), yt)
        if weight_decay:
            loss = loss + weight_decay * sum((p**2).sum() for p in model.parameters() if p.dim() > 1)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


def _prob(model: nn.Module, pts: np.ndarray, n: int) -> np.ndarray:
    with torch.no_grad():
        return torch.softmax(model(torch.tensor(pts, dtype=torch.float32)), 1)[:, 1].numpy().reshape(n, n)


@figure
def perceptron_vs_mlp() -> go.Figure:
    """Show a linear unit failing on XOR-like data where one hidden layer succeeds."""
    rng = np.random.default_rng(0)
    centers = np.array([[-1, -1], [1, 1], [-1, 1], [1, -1]])
    X = np.concatenate([c + 0.35 * rng.standard_normal((40, 2)) for c in centers])
    y = np.repeat([0, 0, 1, 1], 40)
    axis, pts, _ = _grid(-2.2, 2.2, 50)
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=("single neuron (linear boundary)", "one hidden layer of 8 ReLU units")
    )
    for col, hidden in ((1, 0), (2, 8)):
        torch.manual_seed(0)
        model = (
            nn.Linear(2, 2)
            if hidden == 0
            else nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 2))
        )
        _train_classifier(model, X, y, epochs=600, lr=0.05)
        prob = _prob(model, pts, len(axis))
        with torch.no_grad():
            acc = (model(torch.tensor(X, dtype=torch.float32)).argmax(1).numpy() == y).mean()
        fig.add_trace(
            go.Contour(
                x=axis,
                y=axis,
                z=prob,
                zmin=0,
                zmax=1,
                colorscale="RdBu",
                opacity=0.75,
                contours={"start": 0, "end": 1, "size": 0.1},
                showscale=col == 2,
                colorbar={"title": "P(class 1)"},
                hovertemplate="x₁=%{x:.2f}<br>x₂=%{y:.2f}<br>P(class 1)=%{z:.2f}<extra></extra>",
            ),
            1,
            col,
        )
        for label, color in ((0, "#b2182b"), (1, "#2166ac")):
            mask = y == label
            fig.add_trace(
                go.Scatter(
                    x=X[mask, 0],
                    y=X[mask, 1],
                    mode="markers",
                    name=f"class {label}",
                    marker={"color": color, "size": 6, "line": {"width": 1, "color": "white"}},
                    showlegend=col == 1,
                    legendgroup=str(label),
                    hovertemplate=f"class {label}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
                ),
                1,
                col,
            )
        fig.layout.annotations[col - 1].text += f": train accuracy {acc:.0%}"
    fig.update_xaxes(title_text="x₁")
    fig.update_yaxes(title_text="x₂")
    fig.update_layout(
        title="XOR: no straight line separates the classes; a hidden layer bends the boundary", height=450
    )
    return fig


# ---------------------------------------------------------------- 2.2 training


@figure
def learning_rates() -> go.Figure:
    """Run gradient descent on f(w) = w² with three learning rates."""
    w_axis = np.linspace(-2.2, 2.2, 100)
    fig = go.Figure(
        go.Scatter(
            x=w_axis,
            y=w_axis**2,
            name="loss f(w) = w²",
            line={"color": "#999"},
            hovertemplate="w=%{x:.2f}<br>f(w)=%{y:.2f}<extra></extra>",
        )
    )
    for lr, color, label in (
        (0.05, "#636efa", "too small"),
        (0.4, "#00cc96", "good"),
        (1.02, "#ef553b", "too large: diverges"),
    ):
        w, path = 2.0, [2.0]
        for _ in range(12):
            w -= lr * 2 * w  # f'(w) = 2w
            path.append(w)
        p = np.clip(np.array(path), -2.2, 2.2)
        fig.add_trace(
            go.Scatter(
                x=p,
                y=p**2,
                mode="lines+markers",
                name=f"η = {lr} ({label})",
                line={"color": color},
                text=[f"step {i}" for i in range(len(p))],
                hovertemplate="%{text}<br>w=%{x:.3f}<br>loss=%{y:.3f}<extra>η=" + str(lr) + "</extra>",
            )
        )
    fig.update_layout(
        title="Gradient descent w ← w − η f′(w) on f(w) = w², 12 steps from w = 2",
        xaxis_title="parameter w",
        yaxis_title="loss",
        height=420,
    )
    return fig


@figure
def loss_functions() -> go.Figure:
    """Compare cross-entropy and squared error as the predicted probability of the truth varies."""
    p = np.linspace(0.005, 1, 200)
    fig = make_subplots(rows=1, cols=2, subplot_titles=("loss", "gradient with respect to the logit"))
    # For a sigmoid output p = σ(z) and target 1: dCE/dz = p - 1, dMSE/dz = 2 (p - 1) p (1 - p).
    series = {
        "cross-entropy −log p": (-np.log(p), p - 1, "#636efa"),
        "squared error (1 − p)²": ((1 - p) ** 2, 2 * (p - 1) * p * (1 - p), "#ef553b"),
    }
    for name, (loss, grad, color) in series.items():
        fig.add_trace(
            go.Scatter(
                x=p,
                y=loss,
                name=name,
                line={"color": color},
                legendgroup=name,
                hovertemplate="p=%{x:.3f}<br>loss=%{y:.3f}<extra>" + name + "</extra>",
            ),
            1,
            1,
        )
        fig.add_trace(
            go.Scatter(
                x=p,
                y=grad,
                name=name,
                line={"color": color, "dash": "dot"},
                legendgroup=name,
                showlegend=False,
                hovertemplate="p=%{x:.3f}<br>∂loss/∂z=%{y:.3f}<extra>" + name + "</extra>",
            ),
            1,
            2,
        )
    fig.update_xaxes(title_text="predicted probability p of the true class")
    fig.update_yaxes(title_text="loss", range=[0, 5], row=1, col=1)
    fig.update_yaxes(title_text="∂loss/∂z (sigmoid output)", row=1, col=2)
    fig.update_layout(
        title="Confidently wrong (p → 0): cross-entropy pushes hard, squared error barely moves",
        height=420,
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def _surface(w: torch.Tensor) -> torch.Tensor:
    """A long, curved, badly scaled valley (a softened Rosenbrock function)."""
    x, y = w[..., 0], w[..., 1]
    return 0.5 * (1 - x) ** 2 + 5 * (y - x**2) ** 2


@figure
def optimizer_race() -> go.Figure:
    """Trace SGD, momentum, RMSprop and Adam (torch.optim) from one start on one surface."""
    axis_x, axis_y = np.linspace(-2, 2, 80), np.linspace(-1, 3, 80)
    xx, yy = np.meshgrid(axis_x, axis_y)
    zz = _surface(torch.tensor(np.stack([xx, yy], -1))).numpy()
    fig = go.Figure(
        go.Contour(
            x=axis_x,
            y=axis_y,
            z=np.log10(zz + 1e-3),
            colorscale="Greys",
            showscale=False,
            contours={"coloring": "lines"},
            ncontours=25,
            hovertemplate="x=%{x:.2f}<br>y=%{y:.2f}<br>log₁₀ loss=%{z:.2f}<extra></extra>",
        )
    )
    makers = {
        "sgd": lambda ps: torch.optim.SGD(ps, lr=0.02),
        "momentum": lambda ps: torch.optim.SGD(ps, lr=0.02, momentum=0.9),
        "rmsprop": lambda ps: torch.optim.RMSprop(ps, lr=0.02),
        "adam": lambda ps: torch.optim.Adam(ps, lr=0.1),
    }
    labels = {
        "sgd": "SGD η=0.02",
        "momentum": "momentum η=0.02, μ=0.9",
        "rmsprop": "RMSprop η=0.02",
        "adam": "Adam η=0.1",
    }
    for name, make in makers.items():
        w = torch.tensor([-1.5, 2.5], dtype=torch.float64, requires_grad=True)
        opt = make([w])
        path, losses = [w.detach().clone().numpy()], [_surface(w).item()]
        for _ in range(200):
            opt.zero_grad()
            loss = _surface(w)
            loss.backward()
            opt.step()
            path.append(w.detach().clone().numpy())
            losses.append(_surface(w).item())
        path_a = np.array(path)
        fig.add_trace(
            go.Scatter(
                x=path_a[:, 0],
                y=path_a[:, 1],
                mode="lines+markers",
                name=f"{labels[name]} → loss {losses[-1]:.3g}",
                marker={"size": 3},
                line={"color": COLORS[name], "width": 2},
                customdata=np.c_[np.arange(len(losses)), losses],
                hovertemplate="step %{customdata[0]}<br>(%{x:.3f}, %{y:.3f})<br>loss %{customdata[1]:.4f}<extra>"
                + labels[name]
                + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[1],
            y=[1],
            mode="markers",
            name="minimum (1, 1)",
            marker={"symbol": "star", "size": 14, "color": "gold", "line": {"width": 1, "color": "black"}},
        )
    )
    fig.update_layout(
        title="Four optimizers, 200 steps each, from (−1.5, 2.5) down a curved valley",
        xaxis_title="parameter x",
        yaxis_title="parameter y",
        height=520,
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def _noisy_moons() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    X, y = make_moons(n_samples=1100, noise=0.35, random_state=0)
    return X[:100], y[:100], X[100:], y[100:]


class _Wide(nn.Module):
    def __init__(self, p_drop: float) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(2, 256),
            nn.ReLU(),
            nn.Dropout(p_drop),
            nn.Linear(256, 256),
            nn.ReLU(),
            nn.Dropout(p_drop),
            nn.Linear(256, 2),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


@figure
def regularization_effect() -> go.Figure:
    """Fit 100 noisy points with a 66k-weight MLP, with and without dropout + L2."""
    X, y, Xv, yv = _noisy_moons()
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
    Xvt, yvt = torch.tensor(Xv, dtype=torch.float32), torch.tensor(yv)
    axis, pts, _ = _grid(-2.0, 3.0, 60)
    fig = make_subplots(
        rows=1,
        cols=3,
        column_widths=[0.3, 0.3, 0.4],
        horizontal_spacing=0.07,
        subplot_titles=("no regularization", "dropout 0.3 + L2 (λ = 0.003)", "loss during training"),
    )
    for col, (tag, p_drop, lam, color) in enumerate(
        (("plain", 0.0, 0.0, "#ef553b"), ("dropout + L2", 0.3, 3e-3, "#00cc96")), start=1
    ):
        torch.manual_seed(0)
        model = _Wide(p_drop)
        opt = torch.optim.Adam(model.parameters(), lr=3e-3)
        epochs, tr, va = [], [], []
        for epoch in range(1, 601):
            model.train()
            loss = nn.functional.cross_entropy(model(Xt), yt)
            if lam:
                loss = loss + lam * sum((p**2).sum() for p in model.parameters() if p.dim() > 1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if epoch % 10 == 0:
                model.eval()
                with torch.no_grad():
                    epochs.append(epoch)
                    tr.append(nn.functional.cross_entropy(model(Xt), yt).item())
                    va.append(nn.functional.cross_entropy(model(Xvt), yvt).item())
        model.eval()
        prob = _prob(model, pts, len(axis))
        fig.add_trace(
            go.Contour(
                x=axis,
                y=axis,
                z=prob,
                zmin=0,
                zmax=1,
                colorscale="RdBu",
                opacity=0.7,
                showscale=False,
                contours={"start": 0, "end": 1, "size": 0.1},
                hovertemplate="P(class 1)=%{z:.2f}<extra></extra>",
            ),
            1,
            col,
        )
        for label, mcolor in ((0, "#b2182b"), (1, "#2166ac")):
            mask = y == label
            fig.add_trace(
                go.Scatter(
                    x=X[mask, 0],
                    y=X[mask, 1],
                    mode="markers",
                    showlegend=False,
                    marker={"color": mcolor, "size": 6, "line": {"width": 1, "color": "white"}},
                    hovertemplate=f"training point, class {label}<extra></extra>",
                ),
                1,
                col,
            )
        fig.add_trace(
            go.Scatter(
                x=epochs,
                y=tr,
                name=f"{tag}: train",
                line={"color": color, "dash": "dot"},
                hovertemplate="epoch %{x}<br>train loss %{y:.3f}<extra>" + tag + "</extra>",
            ),
            1,
            3,
        )
        fig.add_trace(
            go.Scatter(
                x=epochs,
                y=va,
                name=f"{tag}: validation",
                line={"color": color},
                hovertemplate="epoch %{x}<br>validation loss %{y:.3f}<extra>" + tag + "</extra>",
            ),
            1,
            3,
        )
    fig.update_xaxes(title_text="x₁", row=1, col=1)
    fig.update_xaxes(title_text="x₁", row=1, col=2)
    fig.update_yaxes(title_text="x₂", row=1, col=1)
    fig.update_xaxes(title_text="epoch", row=1, col=3)
    fig.update_yaxes(title_text="cross-entropy (dropout off)", type="log", row=1, col=3)
    fig.update_layout(
        title="Overfitting 100 noisy points, and what dropout + L2 change",
        height=470,
        legend={"orientation": "h", "y": -0.22},
    )
    return fig


# ---------------------------------------------------------------- 2.3 architectures


@figure
def convolution() -> go.Figure:
    """Slide a 3x3 vertical-edge kernel over an 8x8 digit and show the feature map."""
    image = load_digits().images[0] / 16.0  # a zero
    kernel = np.array([[1.0, 0.0, -1.0]] * 3)
    out = torch.nn.functional.conv2d(
        torch.tensor(image)[None, None], torch.tensor(kernel)[None, None], padding=1
    )[0, 0].numpy()
    fig = make_subplots(
        rows=1,
        cols=3,
        column_widths=[0.42, 0.16, 0.42],
        horizontal_spacing=0.06,
        subplot_titles=("input: 8×8 digit (pixel intensity)", "3×3 kernel", "feature map (padding 1)"),
    )
    fig.add_trace(
        go.Heatmap(
            z=image,
            colorscale="Greys",
            showscale=False,
            hovertemplate="row %{y}, col %{x}<br>intensity %{z:.2f}<extra></extra>",
        ),
        1,
        1,
    )
    fig.add_trace(
        go.Heatmap(
            z=kernel,
            colorscale="RdBu",
            zmid=0,
            showscale=False,
            texttemplate="%{z:.0f}",
            hovertemplate="weight %{z:.0f}<extra></extra>",
        ),
        1,
        2,
    )
    fig.add_trace(
        go.Heatmap(
            z=out,
            colorscale="RdBu",
            zmid=0,
            colorbar={"title": "response"},
            hovertemplate="row %{y}, col %{x}<br>response %{z:.2f}<extra></extra>",
        ),
        1,
        3,
    )
    for col in (1, 2, 3):
        fig.update_yaxes(autorange="reversed", scaleanchor=f"x{'' if col == 1 else col}", row=1, col=col)
    fig.update_xaxes(title_text="column")
    fig.update_yaxes(title_text="row", row=1, col=1)
    fig.update_layout(
        title="A vertical-edge detector: the same 9 weights slide over every position", height=420
    )
    return fig


@figure
def rnn_memory() -> go.Figure:
    """Measure how much the last hidden state depends on earlier inputs, at initialization."""
    torch.manual_seed(0)
    steps, hidden, batch = 60, 64, 32
    x = torch.randn(batch, steps, 16)
    fig = go.Figure()
    cells = {
        "vanilla RNN (tanh)": (nn.RNN, 0.0),
        "LSTM": (nn.LSTM, 0.0),
        "GRU": (nn.GRU, 0.0),
        "LSTM, forget-gate bias +3": (nn.LSTM, 3.0),
    }
    palette = ["#ef553b", "#636efa", "#00cc96", "#ab63fa"]
    for (name, (cell, forget_bias)), color in zip(cells.items(), palette, strict=True):
        norms = np.zeros(steps)
        for seed in range(5):
            torch.manual_seed(seed)
            net = cell(16, hidden, batch_first=True)
            if forget_bias:
                with torch.no_grad():
                    # PyTorch orders LSTM gate biases input, forget, cell, output.
                    net.bias_ih_l0[hidden : 2 * hidden] = forget_bias
            xs = x.clone().requires_grad_()
            out, _ = net(xs)
            out[:, -1].pow(2).sum().backward()
            norms += xs.grad.norm(dim=(0, 2)).numpy() / 5
        distance = steps - 1 - np.arange(steps)
        fig.add_trace(
            go.Scatter(
                x=distance[::-1],
                y=(norms / norms[-1])[::-1],
                name=name,
                line={"color": color},
                hovertemplate="input %{x} steps before the end<br>relative gradient %{y:.2e}"
                "<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        title="How far back does the gradient reach? ‖∂h_T/∂x_t‖ relative to the last input (untrained, 5 seeds)",
        xaxis_title="distance T − t (steps back in the sequence)",
        yaxis={"title": "gradient norm / norm at t = T", "type": "log", "exponentformat": "power"},
        height=440,
    )
    return fig


# ---------------------------------------------------------------- 2.4 challenges


def _deep_mlp(depth: int, width: int, act: type[nn.Module], init: str) -> nn.Sequential:
    layers: list[nn.Module] = []
    for _ in range(depth):
        lin = nn.Linear(width, width)
        if init == "small":
            nn.init.normal_(lin.weight, std=0.01)
        elif init == "large":
            nn.init.normal_(lin.weight, std=1.0)
        elif init == "xavier":
            nn.init.xavier_normal_(lin.weight)
        elif init == "he":
            nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        nn.init.zeros_(lin.bias)
        layers += [lin, act()]
    return nn.Sequential(*layers)


@figure
def vanishing_gradients() -> go.Figure:
    """Show per-layer gradient norms in a 20-layer MLP for several activation/initialization pairs."""
    depth, width = 20, 64
    x = torch.randn(256, width, generator=torch.Generator().manual_seed(0))
    setups = {
        "sigmoid, PyTorch default init": (nn.Sigmoid, "default", "#ef553b"),
        "tanh, N(0, 1) weights (too large)": (nn.Tanh, "large", "#ffa15a"),
        "tanh, Xavier init": (nn.Tanh, "xavier", "#636efa"),
        "ReLU, He init": (nn.ReLU, "he", "#00cc96"),
    }
    fig = go.Figure()
    for name, (act, init, color) in setups.items():
        torch.manual_seed(0)
        net = _deep_mlp(depth, width, act, init)
        net(x).pow(2).mean().backward()
        norms = [m.weight.grad.norm().item() for m in net if isinstance(m, nn.Linear)]
        fig.add_trace(
            go.Scatter(
                x=list(range(1, depth + 1)),
                y=norms,
                mode="lines+markers",
                name=name,
                line={"color": color},
                hovertemplate="layer %{x}<br>‖∂L/∂W‖ = %{y:.2e}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        title="Gradient norm per layer in a 20-layer MLP (layer 1 is next to the input)",
        xaxis_title="layer",
        yaxis={"title": "‖∂L/∂W‖ (log scale)", "type": "log", "exponentformat": "power"},
        height=440,
    )
    return fig


@figure
def init_activations() -> go.Figure:
    """Track the spread of activations through 30 layers under different initializations."""
    depth, width = 30, 256
    x = torch.randn(512, width, generator=torch.Generator().manual_seed(0))
    setups = {
        "tanh, N(0, 0.01²)": (nn.Tanh, "small", "#ffa15a"),
        "tanh, N(0, 1)": (nn.Tanh, "large", "#ef553b"),
        "tanh, Xavier": (nn.Tanh, "xavier", "#636efa"),
        "ReLU, Xavier": (nn.ReLU, "xavier", "#ab63fa"),
        "ReLU, He": (nn.ReLU, "he", "#00cc96"),
    }
    fig = go.Figure()
    for name, (act, init, color) in setups.items():
        torch.manual_seed(0)
        net = _deep_mlp(depth, width, act, init)
        h, stds = x, []
        with torch.no_grad():
            for layer in net:
                h = layer(h)
                if not isinstance(layer, nn.Linear):
                    stds.append(h.std().item())
        fig.add_trace(
            go.Scatter(
                x=list(range(1, depth + 1)),
                y=stds,
                mode="lines+markers",
                name=name,
                line={"color": color},
                hovertemplate="layer %{x}<br>std of activations %{y:.2e}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        title="Standard deviation of activations, layer by layer (30 layers of 256 units)",
        xaxis_title="layer",
        yaxis={"title": "std of activations (log scale)", "type": "log", "exponentformat": "power"},
        height=440,
    )
    return fig


@figure
def saddle_point() -> go.Figure:
    """Show gradient descent slowing near the saddle of f = x² − y² + y⁴/4."""
    axis = np.linspace(-1.6, 1.6, 41)
    xx, yy = np.meshgrid(axis, axis)
    zz = xx**2 - yy**2 + yy**4 / 4
    fig = go.Figure(
        go.Surface(
            x=axis,
            y=axis,
            z=zz,
            colorscale="Viridis",
            opacity=0.85,
            showscale=False,
            hovertemplate="x=%{x:.2f}<br>y=%{y:.2f}<br>loss=%{z:.3f}<extra></extra>",
        )
    )
    for y0, color in ((1e-3, "#ef553b"), (0.1, "#ffa15a")):
        w = np.array([1.5, y0])
        path = [w.copy()]
        for _ in range(60):
            grad = np.array([2 * w[0], -2 * w[1] + w[1] ** 3])
            w = w - 0.1 * grad
            path.append(w.copy())
        p = np.array(path)
        z = p[:, 0] ** 2 - p[:, 1] ** 2 + p[:, 1] ** 4 / 4
        fig.add_trace(
            go.Scatter3d(
                x=p[:, 0],
                y=p[:, 1],
                z=z + 0.02,
                mode="lines+markers",
                marker={"size": 3, "color": color},
                line={"color": color, "width": 4},
                name=f"gradient descent from y₀ = {y0:g}",
                text=[f"step {i}" for i in range(len(p))],
                hovertemplate="%{text}<br>x=%{x:.3f}<br>y=%{y:.4f}<extra></extra>",
            )
        )
    fig.update_layout(
        title="A saddle at (0, 0): descent from y₀ = 0.001 lingers there; the minima are at y = ±√2",
        scene={
            "xaxis_title": "x",
            "yaxis_title": "y",
            "zaxis_title": "loss",
            "camera": {"eye": {"x": 1.6, "y": -1.6, "z": 1.0}},
        },
        height=520,
        legend={"orientation": "h", "y": -0.05},
    )
    return fig


def main() -> None:
    """Build the requested figures (all by default) and print their sizes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=None, help="figure names to rebuild")
    args = parser.parse_args()
    torch.set_num_threads(1)
    for name, build in FIGURES.items():
        if args.only and name not in args.only:
            continue
        torch.manual_seed(0)
        size = save(name, build())
        print(f"{name:24s} {size / 1000:7.1f} kB")


if __name__ == "__main__":
    main()
