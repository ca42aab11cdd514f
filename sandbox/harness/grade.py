"""Run a lab's checks against a finished run, inside the box; print one JSON result line.

Usage: python grade.py CHECKS_PY WORKDIR EVENTS_JSONL [EXIT_CODE]

``checks.py`` defines functions named ``check_*`` that take a ``Run`` and raise
``AssertionError`` with a helpful message when the learner's work is not right yet.  A check
may set ``points`` as a function attribute (default 1).  The first docstring line is its title.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

sys.dont_write_bytecode = True  # never leave __pycache__ next to a lab's checks


class Run:
    """What a check can inspect: metrics, artifacts, output, and the learner's module."""

    def __init__(self, workdir: Path, events: list[dict[str, Any]], exit_code: int, smoke: bool):
        self.workdir = workdir
        self.events = events
        self.exit_code = exit_code
        self.smoke = smoke
        self.metrics = [e for e in events if e.get("type") == "metric"]
        self._module: ModuleType | None = None

    def series(self, name: str) -> list[float]:
        """Return every reported value of one metric, in order (diverged values as nan)."""
        out = []
        for point in self.metrics:
            values = point.get("values") or {}
            if name in values:
                value = values[name]
                out.append(math.nan if value is None else float(value))
        return out

    def last(self, name: str) -> float | None:
        """Return the last reported value of a metric, or None if it was never reported."""
        values = self.series(name)
        return values[-1] if values else None

    def require(self, name: str) -> float:
        """Return the last value of a metric, failing with a clear message if it is missing."""
        value = self.last(name)
        if value is None:
            raise AssertionError(f"your program never reported {name!r}: call report({name}=...)")
        return value

    def artifact(self, name: str) -> Path:
        """Return the path of a saved artifact, failing clearly if it was not saved."""
        path = self.workdir / "outputs" / name
        if not path.is_file():
            raise AssertionError(f"artifact {name!r} was not saved: call save_artifact(...)")
        return path

    @property
    def stdout(self) -> str:
        path = self.workdir / "stdout.txt"
        return path.read_text(errors="replace") if path.exists() else ""

    @property
    def module(self) -> ModuleType:
        """Import the learner's main.py without running its ``__main__`` block."""
        if self._module is None:
            spec = importlib.util.spec_from_file_location("learner_main", self.workdir / "main.py")
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            sys.modules["learner_main"] = module
            spec.loader.exec_module(module)
            self._module = module
        return self._module


def _load_events(path: Path) -> list[dict[str, Any]]:
    events = []
    if path.exists():
        for line in path.read_text(errors="replace").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                events.append(event)
    return events


def grade(checks_path: Path, run: Run) -> dict[str, Any]:
    """Run every check_* function of checks.py and collect per-check results."""
    spec = importlib.util.spec_from_file_location("lab_checks", checks_path)
    assert spec and spec.loader
    checks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checks)
    results = []
    for name in sorted(n for n in vars(checks) if n.startswith("check_")):
        func = getattr(checks, name)
        if not callable(func):
            continue
        order = getattr(func, "__code__", None)
        title = (func.__doc__ or name).strip().splitlines()[0]
        points = float(getattr(func, "points", 1))
        entry: dict[str, Any] = {
            "name": name,
            "title": title,
            "points": points,
            "line": order.co_firstlineno if order else 0,
        }
        try:
            detail = func(run)
            entry.update(passed=True, message=str(detail) if detail else "")
        except AssertionError as exc:
            entry.update(passed=False, message=str(exc) or "check failed")
        except Exception as exc:  # noqa: BLE001 - a broken learner module must not stop grading
            tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
            entry.update(passed=False, message=f"error while checking: {tb}")
        results.append(entry)
    results.sort(key=lambda r: r.pop("line"))
    total = sum(r["points"] for r in results)
    earned = sum(r["points"] for r in results if r["passed"])
    return {"type": "grade", "score": earned, "max_score": total, "checks": results}


def main(argv: list[str]) -> int:
    checks_path, workdir, events_path = Path(argv[1]), Path(argv[2]), Path(argv[3])
    exit_code = int(argv[4]) if len(argv) > 4 else 0
    import os

    run = Run(workdir, _load_events(events_path), exit_code, os.environ.get("MC_MODE") == "smoke")
    sys.path.insert(0, str(workdir))
    result = grade(checks_path, run)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
