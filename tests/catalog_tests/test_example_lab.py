"""The example course's lab: the solution passes its checks, the starter fails them helpfully."""

from __future__ import annotations

from pathlib import Path

from sandbox.labrun import run_lab

LAB = Path(__file__).resolve().parents[2] / "courses/example/modules/01-basics/labs/fit-a-line"


def test_solution_passes_and_starter_fails() -> None:
    solved = run_lab(LAB, solution=True, mode="smoke")
    assert solved["exit_code"] == 0 and solved["score"] == solved["max_score"] == 3, solved
    assert solved["seconds"] < 10
    started = run_lab(LAB, solution=False, mode="smoke")
    assert started["score"] == 0, started
    messages = [c["message"] for c in started["checks"]]
    assert any("update w and b" in m for m in messages)
