"""Run a lab directory locally (no isolation) and grade it: a tool for course authors.

Usage: python -m sandbox.labrun LABDIR [--solution] [--mode smoke|full]
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

HARNESS = Path(__file__).resolve().parent / "harness"


def run_lab(lab_dir: Path, *, solution: bool, mode: str, data_dir: Path | None = None) -> dict:
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
        }
        started = time.monotonic()
        with open(work / "stdout.txt", "wb") as out:
            proc = subprocess.run([sys.executable, "main.py"], cwd=work, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, check=False)
        seconds = time.monotonic() - started
        graded = subprocess.run(
            [sys.executable, str(HARNESS / "grade.py"), str(lab_dir / "checks.py"), str(work),
             str(work / "events.jsonl"), str(proc.returncode)],
            cwd=work, env=env, capture_output=True, text=True, check=False,
        )
        try:
            result = json.loads(graded.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            result = {"error": graded.stderr[-2000:]}
        result.update(exit_code=proc.returncode, seconds=round(seconds, 2),
                      output_tail=(work / "stdout.txt").read_text(errors="replace")[-1500:])
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("lab_dir", type=Path)
    parser.add_argument("--solution", action="store_true")
    parser.add_argument("--mode", default="smoke", choices=["smoke", "full"])
    args = parser.parse_args()
    result = run_lab(args.lab_dir, solution=args.solution, mode=args.mode)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
