"""Every lab of the course, run in smoke mode in the real sandbox: the solution passes, the starter fails.

Each lab's solution and starter run once per session (see the ``lab_run`` fixture); the tests
below only read those results.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.course_tests.layout import COURSE

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
# Smoke runs must stay quick for CI; a loaded machine may stretch this with COURSE_SMOKE_SECONDS.
SMOKE_SECONDS = float(os.environ.get("COURSE_SMOKE_SECONDS", "30"))

LabRun = Callable[..., dict[str, Any]]


def describe(result: dict[str, Any]) -> str:
    """Summarize a lab run for a failure message: how it ended, its checks, its last output."""
    checks = "\n".join(
        f"  {'ok  ' if c['passed'] else 'FAIL'} {c['name']}: {c['message']}" for c in result.get("checks", [])
    )
    return (
        f"ended {result.get('reason')} (exit {result.get('exit_code')}, {result.get('seconds')} s): "
        f"{result.get('message') or result.get('error')}\n{checks}\n--- output tail ---\n"
        f"{result.get('output_tail', '')}"
    )


def test_lab_has_its_files(lab_dir: Path) -> None:
    missing = [
        n for n in ("lab.yaml", "starter.py", "solution.py", "checks.py") if not (lab_dir / n).is_file()
    ]
    assert not missing, f"{lab_dir.relative_to(COURSE)} lacks {missing}"


def test_solution_passes_every_check(lab_dir: Path, lab_run: LabRun) -> None:
    result = lab_run(lab_dir, solution=True)
    assert result.get("reason") == "succeeded" and result.get("exit_code") == 0, describe(result)
    assert result.get("checks"), f"no checks were graded: {describe(result)}"
    assert result["score"] == result["max_score"], describe(result)


def test_solution_smoke_run_is_quick(lab_dir: Path, lab_run: LabRun) -> None:
    result = lab_run(lab_dir, solution=True)
    assert result["seconds"] < SMOKE_SECONDS, (
        f"smoke mode took {result['seconds']} s, over {SMOKE_SECONDS:.0f} s: use fewer steps when SMOKE"
    )


def test_starter_fails_with_helpful_messages(lab_dir: Path, lab_run: LabRun) -> None:
    result = lab_run(lab_dir, solution=False)
    checks = result.get("checks")
    assert checks, f"the starter must run to the grader: {describe(result)}"
    failed = [c for c in checks if not c["passed"]]
    assert failed, f"the starter passes every check, so there is nothing to do: {describe(result)}"
    silent = [c["name"] for c in failed if not str(c["message"]).strip()]
    assert not silent, f"failed checks without a message for the learner: {silent}"
