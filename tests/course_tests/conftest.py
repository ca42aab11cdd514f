"""Fixtures for the LLM Masterclass course checks: its parts as parameters, lab runs in the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.course_tests.layout import bubblewrap_or_skip, lab_dirs, lab_id, lesson_files, module_dirs


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Parametrize from the files on disk, so a new module, lesson or lab is covered at once.
    if "module_dir" in metafunc.fixturenames:
        dirs = module_dirs()
        metafunc.parametrize("module_dir", dirs, ids=[d.name for d in dirs])
    if "lab_dir" in metafunc.fixturenames:
        labs = lab_dirs()
        metafunc.parametrize("lab_dir", labs, ids=[lab_id(lab) for lab in labs])
    if "lesson_file" in metafunc.fixturenames:
        lessons = lesson_files()
        metafunc.parametrize(
            "lesson_file", lessons, ids=[f"{f.parents[1].name[:2]}/{f.stem}" for f in lessons]
        )


@pytest.fixture(scope="session")
def lab_run() -> Callable[..., dict[str, Any]]:
    """Run a lab's starter or solution in smoke mode through bubblewrap, once per session."""
    from sandbox.labrun import run_lab_in_sandbox

    done: dict[tuple[Path, bool], dict[str, Any]] = {}

    def run(lab: Path, *, solution: bool) -> dict[str, Any]:
        if (lab, solution) not in done:
            bubblewrap_or_skip()
            done[lab, solution] = run_lab_in_sandbox(
                lab, solution=solution, mode="smoke", backend="bubblewrap"
            )
        return done[lab, solution]

    return run
