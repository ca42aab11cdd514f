"""Run every lab's reference solution in full mode through the sandbox; write CALIBRATION.md.

Usage (from the repository root, as root so bubblewrap can create boxes)::

    make labs-calibrate
    python courses/llm-masterclass/tools/calibrate.py [--only SUBSTRING] [--slack 2] [--mode full]

Labs run one at a time with the limits of their lab.yaml, so the timings are those a learner's
run sees on this machine.  For each lab the table keeps the wall and CPU seconds, the checks'
score, and the last value of every metric the solution reported.  Check thresholds are set a
margin below these values.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform as host
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

COURSE = Path(__file__).resolve().parents[1]
ROOT = COURSE.parents[1]
if str(ROOT) not in sys.path:  # the sandbox package lives at the repository root
    sys.path.insert(0, str(ROOT))

from sandbox import Event, Limits, RunSpec, detect_backend, load_backend  # noqa: E402

FULL_BUDGET_S = 180  # each lab's full run must stay under 3 minutes on 2 CPU cores
LIMIT_KEYS = ("wall_seconds", "cpu_seconds", "memory_mb")


@dataclass
class Calibration:
    """What one full run of a lab's solution did."""

    lab: Path
    seconds: float = 0.0
    cpu_seconds: float | None = None
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""
    message: str = ""
    metrics: dict[str, float | None] = field(default_factory=dict)
    failed_checks: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.reason == "succeeded" and self.max_score > 0 and self.score == self.max_score


def find_labs(only: str | None) -> list[Path]:
    """Return every lab folder of the course in module and lab order (optionally filtered)."""
    labs = sorted(p.parent for p in COURSE.glob("modules/*/labs/*/lab.yaml"))
    return [lab for lab in labs if only is None or only in lab.relative_to(COURSE).as_posix()]


def calibrate(lab: Path, *, backend: str, mode: str, slack: float) -> Calibration:
    """Run one lab's solution and collect its time, grade and last metric values."""
    meta = yaml.safe_load((lab / "lab.yaml").read_text(encoding="utf-8")) or {}
    limits = {k: v for k, v in (meta.get("limits") or {}).items() if k in LIMIT_KEYS}
    for key in ("wall_seconds", "cpu_seconds"):
        if key in limits:
            limits[key] = limits[key] * slack  # a loaded machine needs room to finish at all
    data = COURSE / "data"
    spec = RunSpec(
        files={"main.py": (lab / "solution.py").read_text(encoding="utf-8")},
        limits=Limits(**limits),
        mode=mode,  # type: ignore[arg-type]
        data_dir=str(data) if data.is_dir() else None,
        checks=(lab / "checks.py").read_text(encoding="utf-8"),
    )
    found = Calibration(lab=lab)

    def on_event(event: Event) -> None:
        if event.type == "metric":
            for name, value in (event.data.get("values") or {}).items():
                found.metrics[name] = value

    options = {"allow_unisolated": True} if backend == "local" else {}
    with load_backend(backend, **options) as box, tempfile.TemporaryDirectory() as artifacts:
        done = box.run(spec, on_event=on_event, artifacts_dir=Path(artifacts))
    grade: dict[str, Any] = dict(done.grade or {})
    found.seconds = done.duration_s
    found.cpu_seconds = done.cpu_seconds
    found.reason = done.reason.value
    found.message = done.message
    found.score = float(grade.get("score") or 0)
    found.max_score = float(grade.get("max_score") or 0)
    found.failed_checks = [f"{c['name']}: {c['message']}" for c in grade.get("checks", []) if not c["passed"]]
    return found


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return host.processor() or "unknown"


def number(value: float | None) -> str:
    if value is None:
        return "diverged"
    return f"{value:.4g}" if abs(value) < 1e5 else f"{value:.3e}"


def render(results: list[Calibration], *, mode: str, backend: str, slack: float, loads: list[float]) -> str:
    """Write the calibration report as Markdown: machine, then one table per module."""
    cores = os.cpu_count() or 0
    worst_load = max(loads) if loads else 0.0
    lines = [
        "# Lab calibration",
        "",
        "Each lab's reference solution, run once in "
        f"**{mode}** mode through the `{backend}` sandbox with the limits of its `lab.yaml`"
        + (f" (wall and CPU limits stretched {slack:g}x)" if slack != 1 else "")
        + ". Check thresholds sit a margin below the values here; each full run must stay under "
        f"{FULL_BUDGET_S} s on 2 CPU cores.",
        "",
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: `nproc` = {cores}, CPU {cpu_model()}, {host.system()} {host.release()}",
        f"- Python {host.python_version()}; load average (1 min) between labs: "
        f"{min(loads, default=0):.1f} to {worst_load:.1f}",
    ]
    if worst_load > cores:
        lines.append(
            f"- **Timings are inflated**: the machine was shared (load average up to {worst_load:.1f} "
            f"on {cores} cores), so these seconds are an upper bound; CPU seconds are less affected."
        )
    lines += [
        "",
        "Reproduce from the repository root (as root, with bubblewrap installed):",
        "",
        "```sh",
        "make labs-calibrate",
        "# or one lab: python courses/llm-masterclass/tools/calibrate.py --only labs/overfitting",
        "```",
    ]
    modules: dict[str, list[Calibration]] = {}
    for found in results:
        modules.setdefault(found.lab.parents[1].name, []).append(found)
    for module, found_labs in modules.items():
        lines += [
            "",
            f"## {module}",
            "",
            "| lab | result | wall s | CPU s | score | last reported metrics |",
            "| --- | --- | ---: | ---: | ---: | --- |",
        ]
        for found in found_labs:
            result = "passed" if found.passed else f"**{found.reason}**"
            if found.reason == "succeeded" and not found.passed:
                result = "**checks failed**"
            if found.seconds > FULL_BUDGET_S:
                result += f", **over {FULL_BUDGET_S} s**"
            metrics = ", ".join(f"{k} {number(v)}" for k, v in found.metrics.items()) or "none"
            cpu = "" if found.cpu_seconds is None else f"{found.cpu_seconds:.1f}"
            lines.append(
                f"| `{found.lab.name}` | {result} | {found.seconds:.1f} | {cpu} | "
                f"{found.score:g}/{found.max_score:g} | {metrics} |"
            )
        failures = [f for f in found_labs if not f.passed]
        for found in failures:
            lines += ["", f"`{found.lab.name}`: {found.message}"]
            lines += [f"- {text}" for text in found.failed_checks]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only labs whose path contains this text")
    parser.add_argument("--mode", default="full", choices=["full", "smoke"])
    parser.add_argument("--backend", default="bubblewrap", choices=["bubblewrap", "docker", "local"])
    parser.add_argument("--slack", type=float, default=1.0, help="stretch wall/CPU limits on a busy machine")
    parser.add_argument("--output", type=Path, default=COURSE / "CALIBRATION.md")
    args = parser.parse_args(argv)
    if args.backend == "bubblewrap" and not (detection := detect_backend()).isolated:
        parser.error(f"the bubblewrap sandbox does not work here: {detection.reason}")
    labs = find_labs(args.only)
    if not labs:
        parser.error("no lab matched")
    results, loads = [], [os.getloadavg()[0]]
    for lab in labs:
        started = time.monotonic()
        print(f"{lab.relative_to(COURSE)} ...", end=" ", flush=True)
        found = calibrate(lab, backend=args.backend, mode=args.mode, slack=args.slack)
        loads.append(os.getloadavg()[0])
        results.append(found)
        verdict = (
            "passed" if found.passed else f"FAILED ({found.reason}, {found.score:g}/{found.max_score:g})"
        )
        print(f"{verdict} in {found.seconds:.1f} s (total {time.monotonic() - started:.1f} s)", flush=True)
    args.output.write_text(
        render(results, mode=args.mode, backend=args.backend, slack=args.slack, loads=loads), encoding="utf-8"
    )
    print(f"wrote {args.output}")
    slow = [f.lab.name for f in results if f.seconds > FULL_BUDGET_S]
    if slow:
        print(f"over {FULL_BUDGET_S} s: {', '.join(slow)}")
    return 0 if all(f.passed for f in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
