"""Generate the Plotly figures of module 1 (01-intro-to-ml) into its figures/ folder.

Run from the repository root: ``python courses/llm-masterclass/tools/figures_01.py``.
Every figure is seeded, so reruns produce the same JSON.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from sklearn.calibration import CalibratedClassifierCV
from sklearn.cluster import KMeans
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, make_moons
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import StratifiedKFold, cross_validate, learning_curve, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

COURSE = Path(__file__).resolve().parents[1]
OUT = COURSE / "modules" / "01-intro-to-ml" / "figures"
DATA = COURSE / "data"
TEMPLATE = "plotly_white"
MAX_BYTES = 150_000
FIGURES: dict[str, Callable[[], go.Figure]] = {}


def figure(func: Callable[[], go.Figure]) -> Callable[[], go.Figure]:
    """Register a figure builder under its function name (underscores become dashes)."""
    FIGURES[func.__name__.replace("_", "-")] = func
    return func


def _round(value: Any) -> Any:
    """Turn arrays into lists and round floats to 4 significant digits (small, stable JSON)."""
    if isinstance(value, np.ndarray):
        return _round(value.tolist())
    if isinstance(value, np.generic):
        return _round(value.item())
    if isinstance(value, tuple):
        return [_round(v) for v in value]
    if isinstance(value, float):
        if value == 0 or not math.isfinite(value):
            return value
        return float(f"{value:.4g}")
    if isinstance(value, list):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            raw = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                raw = raw.reshape([int(n) for n in str(value["shape"]).split(",")])
            return _round(raw)
        return {k: _round(v) for k, v in value.items()}
    return value


def save(name: str, fig: go.Figure) -> int:
    """Write one figure as compact JSON and return its size in bytes."""
    fig.update_layout(template=TEMPLATE, margin={"l": 60, "r": 30, "t": 70, "b": 60})
    # Plain lists rather than plotly's base64 typed arrays: readable, diffable, any plotly.js.
    data = _round(fig.to_plotly_json())
    # The per-trace part of the template is large and every trace here sets its own style.
    data["layout"]["template"] = {"layout": data["layout"]["template"]["layout"]}
    text = json.dumps(data, separators=(",", ":"))
    size = len(text.encode())
    if size > MAX_BYTES:
        raise ValueError(f"{name}: {size} bytes is over the {MAX_BYTES} byte budget")
    (OUT / f"{name}.json").write_text(text)
    return size


# --- Lesson 1: what is machine learning? -------------------------------------------------


@figure
def supervised_vs_unsupervised() -> go.Figure:
    """Iris petals with their labels (supervised) beside k-means clusters (unsupervised)."""
    iris = load_iris()
    X = iris.data[:, 2:4]
    names = iris.target_names
    clusters = KMeans(n_clusters=3, n_init=10, random_state=0).fit(X)
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(
            "Supervised: every flower comes with its species label",
            "Unsupervised: k-means finds 3 groups without labels",
        ),
    )
    colors = ["#1f77b4", "#ff7f0e", "#2ca02c"]
    for k, name in enumerate(names):
        mask = iris.target == k
        fig.add_trace(
            go.Scatter(
                x=X[mask, 0],
                y=X[mask, 1],
                mode="markers",
                name=f"label: {name}",
                marker={"color": colors[k], "size": 7},
                hovertemplate=f"species {name}<br>petal length %{{x}} cm<br>petal width %{{y}} cm<extra></extra>",
            ),
            row=1,
            col=1,
        )
    for k in range(3):
        mask = clusters.labels_ == k
        fig.add_trace(
            go.Scatter(
                x=X[mask, 0],
                y=X[mask, 1],
                mode="markers",
                name=f"cluster {k}",
                marker={"color": "#888", "size": 7, "symbol": ["circle", "square", "diamond"][k]},
                hovertemplate=f"cluster {k} (found, not given)<br>petal length %{{x}} cm<br>"
                "petal width %{y} cm<extra></extra>",
            ),
            row=1,
            col=2,
        )
    c = clusters.cluster_centers_
    fig.add_trace(
        go.Scatter(
            x=c[:, 0],
            y=c[:, 1],
            mode="markers",
            name="cluster centres",
            marker={"color": "black", "size": 14, "symbol": "x"},
            hovertemplate="centre<br>(%{x}, %{y})<extra></extra>",
        ),
        row=1,
        col=2,
    )
    for col in (1, 2):
        fig.update_xaxes(title_text="petal length (cm)", row=1, col=col)
        fig.update_yaxes(title_text="petal width (cm)", row=1, col=col)
    fig.update_layout(
        title="Same flowers, two questions: predict a given label, or find structure", height=430
    )
    return fig


@figure
def bandit_epsilon_greedy() -> go.Figure:
    """Average reward of epsilon-greedy agents on a 10-armed bandit (Sutton and Barto, ch. 2)."""
    rng = np.random.default_rng(0)
    runs, steps, arms = 500, 1000, 10
    fig = go.Figure()
    for eps, color in ((0.0, "#d62728"), (0.01, "#1f77b4"), (0.1, "#2ca02c")):
        q_true = rng.normal(size=(runs, arms))
        q_est = np.zeros((runs, arms))
        counts = np.zeros((runs, arms))
        rewards = np.zeros(steps)
        rows = np.arange(runs)
        for t in range(steps):
            greedy = np.argmax(q_est, axis=1)
            explore = rng.random(runs) < eps
            action = np.where(explore, rng.integers(0, arms, size=runs), greedy)
            reward = q_true[rows, action] + rng.normal(size=runs)
            counts[rows, action] += 1
            q_est[rows, action] += (reward - q_est[rows, action]) / counts[rows, action]
            rewards[t] = reward.mean()
        keep = np.arange(0, steps, 5)
        fig.add_trace(
            go.Scatter(
                x=keep + 1,
                y=rewards[keep],
                mode="lines",
                name=f"epsilon = {eps}",
                line={"color": color},
                hovertemplate=f"epsilon {eps}<br>step %{{x}}<br>mean reward %{{y:.3f}}<extra></extra>",
            )
        )
    fig.update_layout(
        title="Exploration pays: epsilon-greedy on a 10-armed bandit (mean of 500 runs)",
        xaxis_title="step (one pull of one arm)",
        yaxis_title="average reward",
        height=420,
    )
    return fig


TIMELINE = [
    (1943, "McCulloch and Pitts: a logical model of the neuron", "symbolic"),
    (1950, "Turing asks 'Can machines think?' (the imitation game)", "symbolic"),
    (1956, "Dartmouth workshop names the field 'artificial intelligence'", "symbolic"),
    (1958, "Rosenblatt's perceptron learns weights from examples", "learning"),
    (1959, "Samuel's checkers player improves by self-play; 'machine learning'", "learning"),
    (1969, "Minsky and Papert's 'Perceptrons' shows limits of one layer", "winter"),
    (1973, "Lighthill report; UK funding cuts (first AI winter)", "winter"),
    (1986, "Rumelhart, Hinton and Williams popularise backpropagation", "learning"),
    (1987, "Expert-system market collapses (second AI winter)", "winter"),
    (1995, "Cortes and Vapnik: support-vector networks", "learning"),
    (1997, "Deep Blue beats Kasparov at chess", "symbolic"),
    (1998, "LeCun et al.: convolutional nets read handwritten digits", "learning"),
    (2001, "Breiman: random forests", "learning"),
    (2012, "AlexNet wins ImageNet with a deep CNN on GPUs", "deep"),
    (2013, "word2vec: word vectors from raw text", "deep"),
    (2015, "DQN learns Atari games from pixels", "deep"),
    (2016, "AlphaGo beats Lee Sedol 4-1 at Go", "deep"),
    (2017, "Vaswani et al.: the Transformer ('Attention is all you need')", "deep"),
    (2018, "BERT and GPT: pretrain, then fine-tune", "deep"),
    (2020, "GPT-3 (175 B parameters) learns tasks from prompts", "deep"),
    (2022, "ChatGPT: instruction tuning with RLHF reaches the public", "deep"),
]


@figure
def ai_timeline() -> go.Figure:
    """Milestones of AI on a time axis, grouped by era."""
    styles = {
        "symbolic": ("Symbolic AI and search", "#9467bd"),
        "learning": ("Machine learning", "#1f77b4"),
        "winter": ("Setbacks ('AI winters')", "#7f7f7f"),
        "deep": ("Deep learning", "#d62728"),
    }
    fig = go.Figure()
    offsets = [1.0, -1.0, 2.0, -2.0]
    for kind, (label, color) in styles.items():
        items = [(i, e) for i, e in enumerate(TIMELINE) if e[2] == kind]
        fig.add_trace(
            go.Scatter(
                x=[e[0] for _, e in items],
                y=[offsets[i % 4] for i, _ in items],
                mode="markers+text",
                name=label,
                text=[str(e[0]) for _, e in items],
                textposition="top center",
                marker={"color": color, "size": 12},
                customdata=[e[1] for _, e in items],
                hovertemplate="<b>%{x}</b><br>%{customdata}<extra></extra>",
            )
        )
    fig.add_hline(y=0, line={"color": "#444", "width": 1})
    fig.update_layout(
        title="Eighty years of AI: hover a point for the milestone",
        xaxis_title="year",
        yaxis={"visible": False, "range": [-3, 3]},
        height=380,
    )
    return fig


# --- Lesson 2: key algorithms ------------------------------------------------------------


@figure
def linreg_gd_path() -> go.Figure:
    """MSE surface of y ~ w x + b on one diabetes feature, with gradient-descent paths."""
    X, y = load_diabetes(return_X_y=True)
    x = X[:, 2]  # body-mass index
    x = (x - x.mean()) / x.std()
    A = np.column_stack([x, np.ones_like(x)])
    w_star = np.linalg.solve(A.T @ A, A.T @ y)

    def loss(w: float, b: float) -> float:
        return float(np.mean((w * x + b - y) ** 2))

    ws = np.linspace(-40, 120, 61)
    bs = np.linspace(-20, 290, 61)
    Z = np.array([[loss(w, b) for w in ws] for b in bs])
    fig = go.Figure(
        go.Contour(
            x=ws,
            y=bs,
            z=np.log10(Z),
            colorscale="Viridis",
            ncontours=25,
            colorbar={"title": "log10 MSE"},
            hovertemplate="w %{x:.1f}<br>b %{y:.1f}<br>log10 MSE %{z:.3f}<extra></extra>",
        )
    )
    for lr, color in ((0.05, "white"), (0.9, "orange")):
        w = np.array([-30.0, 0.0])
        path = [w.copy()]
        for _ in range(40):
            grad = 2 * A.T @ (A @ w - y) / len(y)
            w = w - lr * grad
            path.append(w.copy())
        P = np.array(path)
        fig.add_trace(
            go.Scatter(
                x=P[:, 0],
                y=P[:, 1],
                mode="lines+markers",
                name=f"gradient descent, lr = {lr}",
                line={"color": color},
                marker={"size": 5},
                customdata=np.arange(len(P)),
                hovertemplate=f"lr {lr}, step %{{customdata}}<br>w %{{x:.2f}}, b %{{y:.2f}}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[w_star[0]],
            y=[w_star[1]],
            mode="markers",
            name="normal equation (exact optimum)",
            marker={"symbol": "star", "size": 16, "color": "red"},
            hovertemplate="optimum<br>w %{x:.2f}, b %{y:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        title="Linear regression on diabetes (BMI): 40 gradient steps vs the closed form",
        xaxis_title="slope w (per standard deviation of BMI)",
        yaxis_title="intercept b",
        height=480,
        legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.7)"},
    )
    return fig


@figure
def decision_boundaries() -> go.Figure:
    """Class-1 probability of four classifiers on the two-moons data."""
    X, y = make_moons(n_samples=300, noise=0.3, random_state=0)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0)
    models = {
        "Decision tree (depth 5)": DecisionTreeClassifier(max_depth=5, random_state=0),
        "Random forest (200 trees)": RandomForestClassifier(n_estimators=200, random_state=0),
        # Calibration turns the SVM's signed distance into a probability, comparable with the others.
        "SVM, RBF kernel": make_pipeline(
            StandardScaler(), CalibratedClassifierCV(SVC(C=1.0), ensemble=False)
        ),
        "Neural network (2x16 ReLU)": make_pipeline(
            StandardScaler(), MLPClassifier(hidden_layer_sizes=(16, 16), max_iter=2000, random_state=0)
        ),
    }
    gx = np.linspace(-2.5, 3.5, 45)
    gy = np.linspace(-2.0, 2.5, 40)
    GX, GY = np.meshgrid(gx, gy)
    grid = np.column_stack([GX.ravel(), GY.ravel()])
    titles = []
    probs = []
    for name, model in models.items():
        model.fit(X_tr, y_tr)
        titles.append(f"{name}: test accuracy {model.score(X_te, y_te):.2f}")
        probs.append(model.predict_proba(grid)[:, 1].reshape(GX.shape))
    fig = make_subplots(rows=2, cols=2, subplot_titles=titles, horizontal_spacing=0.08, vertical_spacing=0.12)
    for i, P in enumerate(probs):
        r, c = divmod(i, 2)
        fig.add_trace(
            go.Heatmap(
                x=gx,
                y=gy,
                z=P,
                zmin=0,
                zmax=1,
                colorscale="RdBu",
                showscale=i == 0,
                colorbar={"title": "P(class 1)"},
                opacity=0.75,
                hovertemplate="x1 %{x:.2f}<br>x2 %{y:.2f}<br>P(class 1) %{z:.2f}<extra></extra>",
            ),
            row=r + 1,
            col=c + 1,
        )
        for k, color in ((0, "#d62728"), (1, "#1f77b4")):
            m = y_te == k
            fig.add_trace(
                go.Scatter(
                    x=X_te[m, 0],
                    y=X_te[m, 1],
                    mode="markers",
                    name=f"test points, class {k}",
                    showlegend=i == 0,
                    legendgroup=f"c{k}",
                    marker={"color": color, "size": 6, "line": {"color": "white", "width": 1}},
                    hovertemplate=f"true class {k}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
                ),
                row=r + 1,
                col=c + 1,
            )
    fig.update_xaxes(title_text="x1")
    fig.update_yaxes(title_text="x2")
    fig.update_layout(
        title="Four model families, one data set: the shape of the decision boundary",
        height=760,
        legend={"orientation": "h", "x": 0, "y": -0.1},
    )
    return fig


@figure
def svm_margin() -> go.Figure:
    """A linear SVM: separating line, margin and support vectors."""
    rng = np.random.default_rng(3)
    A = rng.normal(loc=[-1.6, -1.2], scale=0.7, size=(30, 2))
    B = rng.normal(loc=[1.5, 1.3], scale=0.7, size=(30, 2))
    X = np.vstack([A, B])
    y = np.array([0] * 30 + [1] * 30)
    svm = SVC(kernel="linear", C=10.0).fit(X, y)
    w, b = svm.coef_[0], svm.intercept_[0]
    xs = np.linspace(-4, 4, 50)
    fig = go.Figure()
    for k, color in ((0, "#d62728"), (1, "#1f77b4")):
        m = y == k
        fig.add_trace(
            go.Scatter(
                x=X[m, 0],
                y=X[m, 1],
                mode="markers",
                name=f"class {k}",
                marker={"color": color, "size": 8},
                hovertemplate=f"class {k}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
            )
        )
    for level, dash, label in (
        (0, "solid", "decision boundary  w·x + b = 0"),
        (1, "dash", "margin  w·x + b = +1"),
        (-1, "dash", "margin  w·x + b = -1"),
    ):
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=(level - b - w[0] * xs) / w[1],
                mode="lines",
                name=label,
                line={"color": "black", "dash": dash, "width": 2 if level == 0 else 1},
                hovertemplate=f"{label}<extra></extra>",
            )
        )
    sv = svm.support_vectors_
    fig.add_trace(
        go.Scatter(
            x=sv[:, 0],
            y=sv[:, 1],
            mode="markers",
            name=f"support vectors ({len(sv)})",
            marker={"size": 16, "color": "rgba(0,0,0,0)", "line": {"color": "black", "width": 2}},
            hovertemplate="support vector<br>(%{x:.2f}, %{y:.2f})<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Linear SVM: the widest street between the classes (margin width 2/||w|| = {2 / np.linalg.norm(w):.2f})",
        xaxis={"title": "feature 1", "range": [-4, 4]},
        yaxis={"title": "feature 2", "range": [-4, 4], "scaleanchor": "x"},
        height=520,
    )
    return fig


# --- Lesson 3: applications --------------------------------------------------------------


def _shakespeare_works() -> dict[str, str]:
    """Split the collected works into {title: text} at each 'by William Shakespeare' byline."""
    text = (DATA / "shakespeare" / "shakespeare.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    starts = [i - 2 for i, line in enumerate(lines) if line.strip() == "by William Shakespeare"]
    works = {}
    for a, b in zip(starts, starts[1:] + [len(lines)], strict=True):
        works[lines[a].strip()] = "\n".join(lines[a:b])
    return works


@figure
def tfidf_shakespeare() -> go.Figure:
    """Top TF-IDF words of six plays: the words that make each play distinctive."""
    works = _shakespeare_works()
    chosen = {
        "HAMLET, PRINCE OF DENMARK": "Hamlet",
        "MACBETH": "Macbeth",
        "ROMEO AND JULIET": "Romeo and Juliet",
        "THE TEMPEST": "The Tempest",
        "JULIUS CAESAR": "Julius Caesar",
        "A MIDSUMMER NIGHT'S DREAM": "A Midsummer Night's Dream",
    }
    titles = list(works)
    # Drop speech headings ('HAMLET.', 'Ham.'): they would make the speakers' names dominate.
    docs = [re.sub(r"^\s*[A-Z][A-Za-z .'-]{0,30}\.\s*$", " ", works[t], flags=re.M) for t in titles]
    vec = TfidfVectorizer(
        lowercase=True, token_pattern=r"(?u)\b[a-z][a-z']{2,}\b", sublinear_tf=True, min_df=1, max_df=0.5
    )
    M = vec.fit_transform(docs)
    vocab = np.array(vec.get_feature_names_out())
    rows = [titles.index(t) for t in chosen]
    top_words: list[str] = []
    for r in rows:
        weights = M[r].toarray().ravel()
        for j in np.argsort(weights)[::-1][:5]:
            if vocab[j] not in top_words:
                top_words.append(str(vocab[j]))
    cols = [int(np.where(vocab == w)[0][0]) for w in top_words]
    Z = M[rows][:, cols].toarray()
    fig = go.Figure(
        go.Heatmap(
            z=Z,
            x=top_words,
            y=list(chosen.values()),
            colorscale="Blues",
            colorbar={"title": "TF-IDF"},
            hovertemplate="%{y}<br>word '%{x}'<br>TF-IDF %{z:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"TF-IDF over {len(titles)} Shakespeare works: each play's five most distinctive words",
        xaxis={"title": "word", "tickangle": -45},
        yaxis_title="play",
        height=440,
    )
    return fig


@figure
def digits_confusion() -> go.Figure:
    """Confusion matrix of an RBF SVM on the 8x8 digits test set."""
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    model = make_pipeline(StandardScaler(), SVC(C=10.0)).fit(X_tr, y_tr)
    pred = model.predict(X_te)
    C = confusion_matrix(y_te, pred)
    fig = go.Figure(
        go.Heatmap(
            z=C,
            x=[str(d) for d in range(10)],
            y=[str(d) for d in range(10)],
            colorscale="Greens",
            text=C,
            texttemplate="%{text}",
            colorbar={"title": "images"},
            hovertemplate="true %{y}, predicted %{x}<br>%{z} test images<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Computer vision in miniature: SVM on 8x8 digits, test accuracy {np.mean(pred == y_te):.3f}",
        xaxis_title="predicted digit",
        yaxis={"title": "true digit", "autorange": "reversed"},
        height=480,
    )
    return fig


@figure
def digits_samples() -> go.Figure:
    """What the model sees: eight 8x8 digit images as pixel grids."""
    digits = load_digits()
    fig = make_subplots(
        rows=1,
        cols=8,
        subplot_titles=[f"label {digits.target[i]}" for i in range(8)],
        horizontal_spacing=0.02,
    )
    for i in range(8):
        fig.add_trace(
            go.Heatmap(
                z=digits.images[i],
                colorscale="Greys",
                showscale=False,
                zmin=0,
                zmax=16,
                hovertemplate="row %{y}, col %{x}<br>ink %{z} of 16<extra></extra>",
            ),
            row=1,
            col=i + 1,
        )
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(title="An image is a grid of numbers: 8x8 digits, 64 features each", height=260)
    return fig


@figure
def kalman_tracking() -> go.Figure:
    """A 1-D constant-velocity Kalman filter fusing noisy GPS readings of a moving car."""
    rng = np.random.default_rng(1)
    dt, steps = 0.1, 200
    t = np.arange(steps) * dt
    accel = np.where((t > 6) & (t < 10), -1.5, 0.0) + np.where(t > 14, 1.0, 0.0)
    vel = 10 + np.cumsum(accel) * dt
    pos = np.cumsum(vel) * dt
    gps = pos + rng.normal(0, 3.0, size=steps)
    F = np.array([[1, dt], [0, 1]])
    H = np.array([[1.0, 0.0]])
    Q = np.diag([0.05, 0.5]) * dt
    R = np.array([[9.0]])
    x = np.array([gps[0], 0.0])
    P = np.diag([9.0, 100.0])
    est = []
    for z in gps:
        x, P = F @ x, F @ P @ F.T + Q
        K = P @ H.T @ np.linalg.inv(H @ P @ H.T + R)
        x = x + (K @ (np.array([z]) - H @ x)).ravel()
        P = (np.eye(2) - K @ H) @ P
        est.append(x[0])
    est = np.array(est)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=t,
            y=gps - pos,
            mode="markers",
            name="GPS reading − truth",
            marker={"size": 4, "color": "#aaa"},
            hovertemplate="t %{x:.1f} s<br>GPS error %{y:.2f} m<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=t,
            y=est - pos,
            mode="lines",
            name="Kalman estimate − truth",
            line={"color": "#d62728", "width": 2},
            hovertemplate="t %{x:.1f} s<br>estimate error %{y:.2f} m<extra></extra>",
        )
    )
    fig.add_hline(y=0, line={"color": "black", "width": 1})
    rms_gps = float(np.sqrt(np.mean((gps - pos) ** 2)))
    rms_kf = float(np.sqrt(np.mean((est[20:] - pos[20:]) ** 2)))
    fig.update_layout(
        title=f"Tracking a car: position error of raw GPS (RMS {rms_gps:.1f} m) vs a Kalman filter "
        f"(RMS {rms_kf:.1f} m)",
        xaxis_title="time (s)",
        yaxis_title="position error (m)",
        height=420,
    )
    return fig


# --- Lesson 4: challenges ----------------------------------------------------------------


def _sine(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1, 1, size=n)
    return x, np.sin(np.pi * x) + rng.normal(0, 0.3, size=n)


@figure
def polynomial_fits() -> go.Figure:
    """Degree 1, 3 and 11 polynomial fits to the same 20 noisy points."""
    rng = np.random.default_rng(2)
    x, y = _sine(20, rng)
    xs = np.linspace(-1, 1, 200)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=np.sin(np.pi * xs),
            mode="lines",
            name="truth: sin(πx)",
            line={"color": "black", "dash": "dot"},
            hovertemplate="x %{x:.2f}<br>true y %{y:.2f}<extra></extra>",
        )
    )
    labels = {
        1: "degree 1: underfits (high bias)",
        3: "degree 3: about right",
        11: "degree 11: overfits (high variance)",
    }
    for d, color in ((1, "#1f77b4"), (3, "#2ca02c"), (11, "#d62728")):
        coef = np.polynomial.polynomial.polyfit(x, y, d)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=np.polynomial.polynomial.polyval(xs, coef),
                mode="lines",
                name=labels[d],
                line={"color": color, "width": 2},
                hovertemplate=f"degree {d}<br>x %{{x:.2f}}<br>fit %{{y:.2f}}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers",
            name="20 training points",
            marker={"color": "black", "size": 8},
            hovertemplate="training point<br>(%{x:.2f}, %{y:.2f})<extra></extra>",
        )
    )
    fig.update_layout(
        title="Three polynomial fits to the same 20 noisy points",
        xaxis_title="x",
        yaxis={"title": "y", "range": [-2, 2]},
        height=440,
    )
    return fig


@figure
def complexity_curve() -> go.Figure:
    """Median train and validation MSE against polynomial degree (the U-shaped curve)."""
    rng = np.random.default_rng(0)
    x_val, y_val = _sine(500, rng)
    degrees = np.arange(0, 12)
    tr, va = [], []
    for _ in range(100):
        x, y = _sine(20, rng)
        row_t, row_v = [], []
        for d in degrees:
            c = np.polynomial.polynomial.polyfit(x, y, d)
            row_t.append(np.mean((np.polynomial.polynomial.polyval(x, c) - y) ** 2))
            row_v.append(np.mean((np.polynomial.polynomial.polyval(x_val, c) - y_val) ** 2))
        tr.append(row_t)
        va.append(row_v)
    tr_m, va_m = np.median(tr, axis=0), np.median(va, axis=0)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=degrees,
            y=tr_m,
            mode="lines+markers",
            name="training error",
            hovertemplate="degree %{x}<br>train MSE %{y:.3f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=degrees,
            y=va_m,
            mode="lines+markers",
            name="validation error",
            hovertemplate="degree %{x}<br>validation MSE %{y:.3f}<extra></extra>",
        )
    )
    fig.add_hline(
        y=0.09,
        line={"dash": "dot", "color": "grey"},
        annotation_text="noise floor σ² = 0.09",
        annotation_position="bottom right",
    )
    best = int(degrees[np.argmin(va_m)])
    fig.add_vline(
        x=best,
        line={"dash": "dash", "color": "green"},
        annotation_text=f"best degree {best}",
        annotation_position="top",
    )
    fig.update_layout(
        title="Under- and overfitting: median error over 100 training sets of 20 points",
        xaxis_title="polynomial degree (model complexity)",
        yaxis={"title": "mean squared error (log scale)", "type": "log"},
        height=440,
    )
    return fig


@figure
def tree_depth_curve() -> go.Figure:
    """Training vs 5-fold cross-validated accuracy of a decision tree as its depth grows."""
    X, y = load_breast_cancer(return_X_y=True)
    depths = list(range(1, 16))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    tr, cv, cv_sd = [], [], []
    for d in depths:
        res = cross_validate(
            DecisionTreeClassifier(max_depth=d, random_state=0), X, y, cv=folds, return_train_score=True
        )
        tr.append(res["train_score"].mean())
        cv.append(res["test_score"].mean())
        cv_sd.append(res["test_score"].std())
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=depths,
            y=tr,
            mode="lines+markers",
            name="training accuracy",
            hovertemplate="depth %{x}<br>train accuracy %{y:.3f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=depths,
            y=cv,
            mode="lines+markers",
            name="cross-validated accuracy",
            error_y={"type": "data", "array": cv_sd, "visible": True},
            hovertemplate="depth %{x}<br>CV accuracy %{y:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        title="A deeper tree memorises the training set (breast_cancer, 5-fold CV)",
        xaxis_title="maximum tree depth",
        yaxis_title="accuracy",
        height=420,
    )
    return fig


@figure
def learning_curve_digits() -> go.Figure:
    """Training and cross-validated accuracy of an SVM on digits as the training set grows."""
    X, y = load_digits(return_X_y=True)
    model = make_pipeline(StandardScaler(), SVC(C=10.0))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    sizes, tr, te = learning_curve(
        model, X, y, cv=folds, train_sizes=np.linspace(0.05, 1.0, 10), shuffle=True, random_state=0
    )
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=sizes,
            y=tr.mean(axis=1),
            mode="lines+markers",
            name="training accuracy",
            hovertemplate="%{x} training images<br>train accuracy %{y:.3f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=sizes,
            y=te.mean(axis=1),
            mode="lines+markers",
            name="cross-validated accuracy",
            error_y={"type": "data", "array": te.std(axis=1), "visible": True},
            hovertemplate="%{x} training images<br>CV accuracy %{y:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        title="Learning curve: more data closes the generalization gap (SVM on digits)",
        xaxis_title="number of training examples",
        yaxis_title="accuracy",
        height=420,
    )
    return fig


@figure
def fairness_thresholds() -> go.Figure:
    """True- and false-positive rates of two groups under one shared score threshold."""
    rng = np.random.default_rng(0)
    n = 4000
    # Group B's scores are noisier (for example, less training data like them), so its
    # positives and negatives overlap more.
    groups = {"group A": 1.0, "group B": 1.8}
    thresholds = np.linspace(-3, 3, 61)
    fig = go.Figure()
    colors = {"group A": "#1f77b4", "group B": "#ff7f0e"}
    for g, noise in groups.items():
        label = rng.random(n) < 0.4
        score = np.where(label, 1.0, -1.0) + rng.normal(0, noise, size=n)
        tpr = [(score[label] >= t).mean() for t in thresholds]
        fpr = [(score[~label] >= t).mean() for t in thresholds]
        fig.add_trace(
            go.Scatter(
                x=thresholds,
                y=tpr,
                mode="lines",
                name=f"{g}: true-positive rate",
                line={"color": colors[g]},
                hovertemplate=f"{g}<br>threshold %{{x:.1f}}<br>TPR %{{y:.3f}}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=thresholds,
                y=fpr,
                mode="lines",
                name=f"{g}: false-positive rate",
                line={"color": colors[g], "dash": "dash"},
                hovertemplate=f"{g}<br>threshold %{{x:.1f}}<br>FPR %{{y:.3f}}<extra></extra>",
            )
        )
    fig.add_vline(x=0.0, line={"color": "grey", "dash": "dot"}, annotation_text="one shared threshold")
    fig.update_layout(
        title="One threshold, unequal error rates: a score that is noisier for group B",
        xaxis_title="decision threshold on the model's score",
        yaxis_title="rate",
        height=440,
    )
    return fig


def main() -> None:
    """Build every registered figure and report its size."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in FIGURES.items():
        size = save(name, build())
        print(f"{name:28s} {size / 1000:7.1f} kB")


if __name__ == "__main__":
    main()
