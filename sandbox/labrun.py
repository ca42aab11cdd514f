"""Run a lab directory and grade it: a tool for course authors and the course CI.

Usage: python -m sandbox.labrun LABDIR [--solution] [--mode smoke|full] [--backend bubblewrap|local]

Without ``--backend`` the lab runs as a plain local process (no isolation), as before;
``--backend bubblewrap`` (or ``docker``) runs it through the real sandbox with the lab's limits.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HARNESS = Path(__file__).resolve().parent / "harness"


def run_lab(lab_dir: Path, *, solution: bool, mode: str, data_dir: Path | None = None) -> dict:
    lab_dir = lab_dir.resolve()
    """Run starter or solution of a lab as main.py in a temp dir, then its checks."""
    with tempfile.TemporaryDirectory(prefix="labrun-") as tmp:
        work = Path(tmp)
        shutil.copyfile(lab_dir / ("solution.py" if solution else "starter.py"), work / "main.py")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work),
            "MC_MODE": mode,
            "MC_EVENT_PATH": str(work / "events.jsonl"),
            "MC_OUTPUT_DIR": str(work / "outputs"),
            "MC_DATA_DIR": str(data_dir or lab_dir.parents[3] / "data"),
            "PYTHONPATH": str(HARNESS),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "OMP_NUM_THREADS": "2",
            # Idle OpenMP threads sleep instead of spinning: on shared cores spinning costs 10-30x.
            "OMP_WAIT_POLICY": "PASSIVE",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        started = time.monotonic()
        with open(work / "stdout.txt", "wb") as out:
            proc = subprocess.run(
                [sys.executable, "main.py"],
                cwd=work,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        seconds = time.monotonic() - started
        graded = subprocess.run(
            [
                sys.executable,
                str(HARNESS / "grade.py"),
                str(lab_dir / "checks.py"),
                str(work),
                str(work / "events.jsonl"),
                str(proc.returncode),
            ],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            result = json.loads(graded.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            result = {"error": graded.stderr[-2000:]}
        result.update(
            exit_code=proc.returncode,
            seconds=round(seconds, 2),
            output_tail=(work / "stdout.txt").read_text(errors="replace")[-1500:],
        )
        return result


def run_lab_in_sandbox(
    lab_dir: Path, *, solution: bool, mode: str, backend: str, data_dir: Path | None = None
) -> dict:
    """Run a lab through a sandbox backend, with the limits from its lab.yaml."""
    from sandbox import Limits, RunSpec, load_backend

    lab_dir = lab_dir.resolve()
    limits = Limits(**_lab_limits(lab_dir / "lab.yaml"))
    data = data_dir or lab_dir.parents[3] / "data"
    spec = RunSpec(
        files={"main.py": (lab_dir / ("solution.py" if solution else "starter.py")).read_text()},
        limits=limits,
        mode=mode,  # type: ignore[arg-type]
        data_dir=str(data) if data.is_dir() else None,
        checks=(lab_dir / "checks.py").read_text(),
    )
    options = {"allow_unisolated": True} if backend == "local" else {}
    with load_backend(backend, **options) as box, tempfile.TemporaryDirectory() as artifacts:
        done = box.run(spec, artifacts_dir=Path(artifacts))
    result = dict(done.grade or {"error": done.message})
    result.update(
        exit_code=done.exit_code,
        seconds=round(done.duration_s, 2),
        reason=done.reason.value,
        message=done.message,
        output_tail=done.log_tail[-1500:],
    )
    return result


def _lab_limits(path: Path) -> dict[str, Any]:
    """Read the limits block of lab.yaml (flat ``key: number`` lines; no YAML library needed)."""
    limits: dict[str, Any] = {}
    inside = False
    for line in path.read_text().splitlines() if path.exists() else []:
        if line.startswith("limits:"):
            inside = True
        elif inside and line.startswith((" ", "\t")) and ":" in line:
            key, _, value = line.strip().partition(":")
            number = value.split("#")[0].strip()
            if key in ("wall_seconds", "cpu_seconds", "memory_mb") and number:
                limits[key] = float(number) if "." in number else int(number)
        elif inside and line.strip():
            inside = False
    return limits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("lab_dir", type=Path)
    parser.add_argument("--solution", action="store_true")
    parser.add_argument("--mode", default="smoke", choices=["smoke", "full"])
    parser.add_argument(
        "--backend",
        default=None,
        choices=["bubblewrap", "docker", "local"],
        help="run through a sandbox backend (default: a plain local process)",
    )
    args = parser.parse_args()
    if args.backend:
        result = run_lab_in_sandbox(
            args.lab_dir, solution=args.solution, mode=args.mode, backend=args.backend
        )
    else:
        result = run_lab(args.lab_dir, solution=args.solution, mode=args.mode)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
