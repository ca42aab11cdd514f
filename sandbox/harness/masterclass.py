"""What a learner's program imports inside the box: report metrics, save artifacts, find data.

The box sets ``MC_EVENT_FD`` to a file descriptor opened for writing; each call writes one
JSON line to it.  Outside a box (``MC_EVENT_FD`` unset) events go to ``MC_EVENT_PATH`` if set,
else they are printed to stderr, so the same script runs on a laptop.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["report", "save_artifact", "log", "data_path", "SMOKE", "MODE", "OUTPUT_DIR"]

MODE: str = os.environ.get("MC_MODE", "full")
SMOKE: bool = MODE == "smoke"
OUTPUT_DIR: Path = Path(os.environ.get("MC_OUTPUT_DIR", "outputs"))
_MAX_LINE = int(os.environ.get("MC_MAX_EVENT_BYTES", "8192"))
_stream: Any = None


def _out() -> Any:
    global _stream
    if _stream is None:
        fd = os.environ.get("MC_EVENT_FD")
        path = os.environ.get("MC_EVENT_PATH")
        if fd:
            _stream = os.fdopen(int(fd), "w", buffering=1, closefd=False)
        elif path:
            _stream = open(path, "a", buffering=1)  # noqa: SIM115 - lives for the process
        else:
            _stream = sys.stderr
    return _stream


def _emit(event: dict[str, Any]) -> None:
    event.setdefault("t", round(time.time(), 6))
    line = json.dumps(event, separators=(",", ":"), allow_nan=False)
    if len(line.encode()) > _MAX_LINE:
        raise ValueError(f"event too large ({len(line)} bytes, limit {_MAX_LINE})")
    _out().write(line + "\n")


def report(step: int | None = None, **metrics: float) -> None:
    """Record metric values (for example ``loss=0.3, val_loss=0.4``) at a training step."""
    clean: dict[str, float] = {}
    for name, value in metrics.items():
        number = float(value.item() if hasattr(value, "item") else value)
        if math.isfinite(number):
            clean[name] = number
        else:
            clean[name] = None  # type: ignore[assignment]  # null marks a diverged value
    _emit({"type": "metric", "step": None if step is None else int(step), "values": clean})


def log(message: str) -> None:
    """Send one line of text to the run's log (stdout works too)."""
    _emit({"type": "log", "message": str(message)[:2000]})


def save_artifact(path: str | os.PathLike[str], name: str | None = None) -> Path:
    """Keep a file produced by the run (a checkpoint, a figure, predictions)."""
    source = Path(path)
    if not source.is_file():
        raise FileNotFoundError(f"save_artifact: {source} is not a file")
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    target = OUTPUT_DIR / (name or source.name)
    if source.resolve() != target.resolve():
        shutil.copyfile(source, target)
    _emit({"type": "artifact", "name": target.name, "size": target.stat().st_size})
    return target


def data_path(name: str) -> Path:
    """Return the path of a data set from the course's data manifest."""
    root = Path(os.environ.get("MC_DATA_DIR", "data"))
    path = root / name
    if not path.exists():
        raise FileNotFoundError(f"data set {name!r} not found under {root}")
    return path
