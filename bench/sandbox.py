"""Measure the sandbox: time to the first report() with and without the warm pool, and the
speed of a fixed PyTorch training loop in a box relative to the same loop run bare.

Usage: python bench/sandbox.py [--runs N]   (prints a Markdown table; about two minutes)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox import Event, Limits, RunSpec  # noqa: E402
from sandbox.backends.base import HARNESS  # noqa: E402
from sandbox.backends.bubblewrap import BubblewrapBackend  # noqa: E402

FIRST_POINT = """
import torch
from masterclass import report
model = torch.nn.Linear(16, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
x, y = torch.randn(64, 16), torch.randn(64, 1)
loss = torch.nn.functional.mse_loss(model(x), y)
opt.zero_grad(); loss.backward(); opt.step()
report(step=0, loss=loss.item())
"""

LOOP = """
import time, torch
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(128, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
x, y = torch.randn(256, 128), torch.randint(0, 10, (256,))
def steps(n):
    for _ in range(n):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
steps(20)
start = time.perf_counter(); steps(STEPS); took = time.perf_counter() - start
print(f"RATE {STEPS / took:.3f}")
"""


def first_event_latency(backend: BubblewrapBackend, runs: int) -> list[float]:
    times = []
    limits = Limits(wall_seconds=120, cpu_seconds=240)
    for _ in range(runs):
        if backend.pool is not None:
            backend.pool.wait_until_ready(1, timeout=180)
        first: list[float] = []

        def seen(event: Event, first: list[float] = first) -> None:
            if event.type == "metric" and not first:
                first.append(time.perf_counter())

        start = time.perf_counter()
        result = backend.run(RunSpec(files={"main.py": FIRST_POINT}, limits=limits), on_event=seen)
        assert result.ok and first, result
        times.append((first[0] - start) * 1000)
    return times


def loop_rate(backend: BubblewrapBackend | None, steps: int) -> float:
    code = LOOP.replace("STEPS", str(steps))
    if backend is None:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "main.py").write_text(code)
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin"),
                "OMP_NUM_THREADS": "2",
                "OMP_WAIT_POLICY": "PASSIVE",  # as in the box: the comparison is of isolation alone
                "PYTHONPATH": str(HARNESS),
            }
            out = subprocess.run(
                [sys.executable, "main.py"], cwd=tmp, env=env, capture_output=True, text=True, check=True
            ).stdout
    else:
        result = backend.run(
            RunSpec(files={"main.py": code}, limits=Limits(wall_seconds=300, cpu_seconds=600, cpus=2))
        )
        assert result.ok, result
        out = result.log_tail
    return float(out.split("RATE ")[1].split()[0])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--steps", type=int, default=60)
    args = parser.parse_args()
    # A fixed work root, reused by every run of the bench: the backend leaves the interpreter
    # bind-mounted (read-only) under it, so it must never be deleted like a temp dir.
    root = Path(tempfile.gettempdir()) / "mc-sandbox-bench"
    root.mkdir(mode=0o755, exist_ok=True)
    with BubblewrapBackend(pool_size=1, work_root=root / "warm") as warm:
        warm_ms = first_event_latency(warm, args.runs)
    with BubblewrapBackend(pool_size=0, work_root=root / "cold") as cold:
        cold_ms = first_event_latency(cold, 3)
        bare, boxed = [], []
        for _ in range(3):  # interleaved, best of three: the machine's noise hits both alike
            bare.append(loop_rate(None, args.steps))
            boxed.append(loop_rate(cold, args.steps))
    ratio = max(boxed) / max(bare)
    print("| measure | p50 | p95 | runs |")
    print("|---|---|---|---|")
    print(
        f"| first report(), warm pool (ms) | {statistics.median(warm_ms):.1f} | {pct(warm_ms, 0.95):.1f} | {len(warm_ms)} |"
    )
    print(
        f"| first report(), pool off (ms) | {statistics.median(cold_ms):.1f} | {pct(cold_ms, 0.95):.1f} | {len(cold_ms)} |"
    )
    print()
    print("| training loop | steps/s (best of 3) |")
    print("|---|---|")
    print(f"| bare | {max(bare):.1f} |")
    print(f"| in the box | {max(boxed):.1f} |")
    print(f"| box / bare | {ratio:.3f} (target >= 0.95) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
