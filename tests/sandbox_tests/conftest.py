"""Fixtures for sandbox tests: a real bubblewrap backend, and a harness for attack tests."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sandbox import Event, Limits, RunResult, RunSpec, detect_backend  # noqa: E402
from sandbox.backends.bubblewrap import BubblewrapBackend  # noqa: E402

ATTACK_LIMITS = dict(
    wall_seconds=8,
    cpu_seconds=4,
    memory_mb=256,
    cpus=1,
    processes=32,
    open_files=64,
    file_mb=8,
    disk_mb=32,
    disk_inodes=2000,
    tmp_mb=16,
    output_bytes=200_000,
    log_tail_bytes=4000,
    artifact_mb=1,
    artifacts_total_mb=4,
)

NEIGHBOUR = """
import os, time
from masterclass import report
with open("state.txt", "w") as f:
    f.write("neighbour-ok")
time.sleep(1.0)
report(step=1, ok=1.0 if open("state.txt").read() == "neighbour-ok" else 0.0)
"""


def _uid(proc: Path) -> int | None:
    try:
        return proc.stat().st_uid
    except OSError:
        return None


@dataclass
class Attack:
    """One attack run next to an honest neighbour, with host checks afterwards."""

    result: RunResult
    neighbour: RunResult
    events: list[Event] = field(default_factory=list)

    def logs(self) -> list[str]:
        return [str(e.data.get("message")) for e in self.events if e.type == "log"]

    def metric(self, name: str) -> float | None:
        for event in reversed(self.events):
            values = event.data.get("values") if event.type == "metric" else None
            if values and name in values:
                return float(values[name])
        return None


@pytest.fixture(scope="session")
def work_root() -> Iterator[Path]:
    # Not under pytest's private tmp dir: boxes run as other uids and must reach their dirs.
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="mc-sandbox-tests-"))
    yield root
    for alias in root.glob("python-*"):  # the read-only interpreter mount, never to be walked
        subprocess.run(["umount", "-l", str(alias)], check=False, capture_output=True)
    if not any(os.path.ismount(p) for p in root.iterdir()):
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def bwrap_backend(work_root: Path) -> Iterator[BubblewrapBackend]:
    detection = detect_backend()
    if not detection.isolated:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the real sandbox: {detection.reason}")
        pytest.skip(detection.reason)
    backend = BubblewrapBackend(pool_size=0, work_root=work_root)
    yield backend
    backend.close()


def host_is_healthy(backend: BubblewrapBackend, work_root: Path) -> None:
    """Assert the worker can still fork, and no box left processes, cgroups or work dirs."""
    assert subprocess.run(["true"], check=False).returncode == 0
    leftovers = [p for p in work_root.iterdir() if p.name.startswith("box-")]
    assert not leftovers, f"work dirs left behind: {leftovers}"
    processes = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _uid(p) in backend.host_uids]
    assert not processes, f"processes left behind: {processes}"
    assert backend.cgroups is not None
    for base in set(backend.cgroups.bases.values()):
        boxes = [p for p in base.iterdir() if p.name in backend.cgroups.created]
        assert not boxes, f"cgroups left behind: {boxes}"


@pytest.fixture
def attack(bwrap_backend: BubblewrapBackend, work_root: Path) -> Any:
    def run(code: str, *, env: dict[str, str] | None = None, **limits: Any) -> Attack:
        events: list[Event] = []
        spec = RunSpec(files={"main.py": code}, limits=Limits(**{**ATTACK_LIMITS, **limits}), env=env or {})
        neighbour: list[RunResult] = []
        seen: list[Event] = []
        thread = threading.Thread(
            target=lambda: neighbour.append(
                bwrap_backend.run(
                    RunSpec(files={"main.py": NEIGHBOUR}, limits=Limits(**ATTACK_LIMITS)),
                    on_event=seen.append,
                )
            )
        )
        thread.start()
        try:
            result = bwrap_backend.run(spec, on_event=events.append, artifacts_dir=work_root / "artifacts")
        finally:
            thread.join()
        other = neighbour[0]
        assert other.ok, f"the neighbouring run was harmed: {other}"
        points = [e.data["values"]["ok"] for e in seen if e.type == "metric"]
        assert points == [1.0], f"the neighbouring run saw its files changed: {points}"
        host_is_healthy(bwrap_backend, work_root)
        return Attack(result, other, events)

    return run


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sandbox: runs learner code in the real bubblewrap sandbox")
