"""What every process-based backend shares: the box handle, supervision, grading, results."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.cgroups import Cgroup
from sandbox.protocol import EventReader
from sandbox.spec import EndReason, Limits, RunResult, RunSpec
from sandbox.workdir import WorkDir

HARNESS = Path(__file__).resolve().parent.parent / "harness"
BASE_ENV = {
    "LANG": "C.UTF-8",
    "PYTHONUNBUFFERED": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "MPLBACKEND": "Agg",
}


def threads_for(limits: Limits) -> int:
    return max(1, int(limits.cpus))


@dataclass
class Box:
    """One started box: its launcher process, pipes, work dir and cgroup."""

    proc: subprocess.Popen[bytes]
    event_fd: int
    workdir: WorkDir
    inside: str  # the work dir's path as the program sees it
    harness: str  # the harness dir as the program sees it
    cgroup: Cgroup | None = None
    warm: bool = False
    cpu_base: float = 0.0
    oom_base: int = 0
    cleanups: list[Callable[[], None]] = field(default_factory=list)
    event_fd_inside: int = 3
    killers: list[Callable[[], None]] = field(default_factory=list)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def cpu_used(self) -> float | None:
        if self.cgroup is None:
            return None
        with contextlib.suppress(OSError, ValueError):
            return self.cgroup.cpu_seconds() - self.cpu_base
        return None

    def oom_killed(self) -> bool:
        return self.cgroup is not None and self.cgroup.oom_kills() > self.oom_base

    def kill(self) -> None:
        """Kill the box's whole process tree."""
        with contextlib.suppress(OSError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.proc.kill()
        for killer in self.killers:
            with contextlib.suppress(Exception):
                killer()
        if self.cgroup is not None:
            self.cgroup.kill_all()

    def close(self) -> None:
        """Kill what is left, reap the launcher and release the cgroup and descriptors."""
        self.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if stream:
                    stream.close()
        with contextlib.suppress(OSError):
            os.close(self.event_fd)
        if self.cgroup is not None:
            self.cgroup.kill_all()
            self.cgroup.remove()
        for cleanup in self.cleanups:
            with contextlib.suppress(OSError):
                cleanup()


@dataclass
class Outcome:
    """What supervision saw: why the run stopped, its status and its output."""

    reason: EndReason
    exit_code: int | None
    output: bytes
    cpu_seconds: float | None
    duration_s: float


class _OutputTail:
    """Drain stdout+stderr, keeping the tail and noticing when the output cap is passed."""

    def __init__(self, stream: Any, limits: Limits) -> None:
        self.tail = bytearray()
        self.total = 0
        self.over = threading.Event()
        self._limits = limits
        self.thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self.thread.start()

    def _drain(self, stream: Any) -> None:
        keep, cap = self._limits.log_tail_bytes, self._limits.output_bytes
        while True:
            try:
                chunk = stream.read1(65536)
            except (OSError, ValueError):
                return
            if not chunk:
                return
            self.total += len(chunk)
            self.tail += chunk
            if len(self.tail) > 2 * keep:
                del self.tail[: len(self.tail) - keep]
            if self.total > cap:
                self.over.set()

    def text(self) -> bytes:
        return bytes(self.tail[-self._limits.log_tail_bytes :])


def _pump_events(fd: int, reader: EventReader) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        reader.feed(chunk)


def supervise(
    box: Box, go: dict[str, Any], limits: Limits, reader: EventReader, cancel: threading.Event | None
) -> Outcome:
    """Hand the program to the box and watch it until it ends or a limit stops it."""
    assert box.proc.stdout is not None and box.proc.stdin is not None
    output = _OutputTail(box.proc.stdout, limits)
    pump = threading.Thread(target=_pump_events, args=(box.event_fd, reader), daemon=True)
    pump.start()
    started = time.monotonic()
    forced: EndReason | None = None
    try:
        box.proc.stdin.write(json.dumps(go).encode() + b"\n")
        box.proc.stdin.close()
    except OSError:
        forced = EndReason.LOST
    next_cpu_check = 0.0
    while forced is None and box.proc.poll() is None:
        now = time.monotonic()
        if cancel is not None and cancel.is_set():
            forced = EndReason.CANCELLED
        elif output.over.is_set():
            forced = EndReason.OUTPUT_LIMIT
        elif now - started > limits.wall_seconds:
            forced = EndReason.TIMED_OUT
        elif now >= next_cpu_check:
            next_cpu_check = now + 0.1
            used = box.cpu_used()
            if used is not None and used > limits.cpu_seconds:
                forced = EndReason.CPU_LIMIT
        if forced is None:
            if cancel is not None:
                cancel.wait(0.01)
            else:
                time.sleep(0.01)
    duration = time.monotonic() - started
    box.kill()  # whatever the program left running (daemons included) dies with it
    with contextlib.suppress(subprocess.TimeoutExpired):
        box.proc.wait(timeout=10)
    pump.join(timeout=5)
    output.thread.join(timeout=5)
    code = box.proc.returncode
    cpu = box.cpu_used()
    if forced is None and output.over.is_set():
        forced = EndReason.OUTPUT_LIMIT
    if forced is None:
        forced = _classify(box, code, cpu, limits)
    return Outcome(forced, code, output.text(), cpu, duration)


def _classify(box: Box, code: int | None, cpu: float | None, limits: Limits) -> EndReason:
    if box.oom_killed():
        return EndReason.OUT_OF_MEMORY
    if code == 0:
        return EndReason.SUCCEEDED
    signalled = -code if code is not None and code < 0 else (code - 128 if code and code > 128 else 0)
    if signalled in (signal.SIGXCPU, signal.SIGKILL) and cpu is not None and cpu >= limits.cpu_seconds * 0.95:
        return EndReason.CPU_LIMIT
    if signalled == signal.SIGXCPU:
        return EndReason.CPU_LIMIT
    return EndReason.FAILED


def go_message(spec: RunSpec, box: Box, *, data_dir: str | None, events: str | None) -> dict[str, Any]:
    """Build what the box's runner needs to become the learner's program."""
    limits = spec.limits
    env = {
        **BASE_ENV,
        "HOME": box.inside,
        "TMPDIR": "/tmp",
        "MC_MODE": spec.mode,
        "MC_OUTPUT_DIR": f"{box.inside}/outputs",
        "MC_MAX_EVENT_BYTES": str(limits.event_line_bytes),
        "OMP_NUM_THREADS": str(threads_for(limits)),
        # Idle OpenMP threads sleep instead of spinning: on shared cores spinning costs 10-30x.
        "OMP_WAIT_POLICY": "PASSIVE",
        "MKL_NUM_THREADS": str(threads_for(limits)),
        **dict(spec.env),
    }
    if events is None:
        env["MC_EVENT_FD"] = str(box.event_fd_inside)
    else:
        env["MC_EVENT_PATH"] = events
    if data_dir:
        env["MC_DATA_DIR"] = data_dir
    return {
        "workdir": box.inside,
        "entrypoint": spec.entrypoint,
        "env": env,
        "threads": threads_for(limits),
        "limits": {
            "nofile": limits.open_files,
            "nproc": limits.processes,
            "fsize": limits.file_mb << 20,
            "core": 0,
            "cpu": int(limits.cpu_seconds) + 1,
        },
    }


def parse_grade(output: bytes) -> dict[str, Any] | None:
    """Return the grade line the grader printed last, or None."""
    for line in reversed(output.decode(errors="replace").splitlines()):
        with contextlib.suppress(ValueError):
            data = json.loads(line)
            if isinstance(data, dict) and data.get("type") == "grade":
                return data
    return None


def grade_failed(reason: EndReason, log: bytes) -> dict[str, Any]:
    """Describe a grader that could not finish, as a zero grade with one failed check."""
    tail = log.decode(errors="replace")[-800:]
    return {
        "type": "grade",
        "score": 0,
        "max_score": 0,
        "error": reason.value,
        "checks": [
            {
                "name": "grader",
                "title": "The checks could run",
                "points": 0,
                "passed": False,
                "message": f"the checks stopped ({reason.value}): {tail}",
            }
        ],
    }


def make_result(
    outcome: Outcome,
    spec: RunSpec,
    reader: EventReader,
    *,
    artifacts: list[str],
    warnings: list[str],
    grade: dict[str, Any] | None,
    warm: bool,
) -> RunResult:
    message = outcome.reason.message(spec.limits, outcome.exit_code)
    if reader.dropped:
        warnings.append(f"{reader.dropped} events over the limit of {spec.limits.max_events} were dropped")
    return RunResult(
        reason=outcome.reason,
        exit_code=outcome.exit_code,
        message=message,
        log_tail=outcome.output.decode(errors="replace"),
        artifacts=tuple(artifacts),
        grade=grade,
        malformed_events=reader.malformed,
        events=len(reader.events),
        duration_s=round(outcome.duration_s, 4),
        cpu_seconds=None if outcome.cpu_seconds is None else round(outcome.cpu_seconds, 3),
        warm=warm,
        warnings=tuple(warnings),
    )
