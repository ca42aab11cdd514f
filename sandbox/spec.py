"""What a run is (RunSpec, Limits), how it ended (EndReason) and what came back (RunResult)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

Mode = Literal["smoke", "full"]


@dataclass(frozen=True)
class Limits:
    """Every resource a run may use; each backend enforces all of them."""

    wall_seconds: float = 300.0
    cpu_seconds: float = 600.0
    memory_mb: int = 2048
    cpus: float = 2.0  # cores the run may keep busy at once (CPU quota)
    processes: int = 64  # processes and threads of the whole box
    open_files: int = 256
    file_mb: int = 256  # largest single file the run may write
    disk_mb: int = 512  # the writable work dir, all files together
    disk_inodes: int = 20_000
    tmp_mb: int = 256  # /tmp (and, separately, /dev/shm)
    output_bytes: int = 4_000_000  # stdout + stderr before the run is stopped
    log_tail_bytes: int = 64_000  # how much of the output the result keeps
    event_line_bytes: int = 8192
    max_events: int = 200_000
    artifact_mb: int = 64  # per artifact
    artifacts_total_mb: int = 256

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not value > 0:
                raise ValueError(f"Limits.{name} must be positive, got {value!r}")


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class RunSpec:
    """One program to run: its files (``main.py`` first of all), limits and extras."""

    files: Mapping[str, str | bytes]
    limits: Limits = field(default_factory=Limits)
    mode: Mode = "full"
    data_dir: str | None = None  # host path mounted read-only; MC_DATA_DIR points at it
    checks: str | None = None  # contents of checks.py: graded in a second fresh box
    env: Mapping[str, str] = field(default_factory=dict)
    entrypoint: str = "main.py"
    gpu: str | None = None  # device id, for backends that can pass a GPU through

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", MappingProxyType(dict(self.files)))
        object.__setattr__(self, "env", _frozen(self.env))
        if self.mode not in ("smoke", "full"):
            raise ValueError(f"mode must be 'smoke' or 'full', got {self.mode!r}")
        if self.entrypoint not in self.files:
            raise ValueError(f"files must contain the entry point {self.entrypoint!r}")
        for name in self.files:
            parts = name.split("/")
            if name.startswith("/") or any(p in ("", ".", "..") for p in parts):
                raise ValueError(f"file name {name!r} must be a plain relative path")
        for key in self.env:
            if not key.replace("_", "").isalnum() or key.startswith("MC_"):
                raise ValueError(f"environment name {key!r} is not allowed")


class EndReason(enum.Enum):
    """How a run ended; exactly one per run."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    CPU_LIMIT = "cpu_limit"
    OUT_OF_MEMORY = "out_of_memory"
    OUTPUT_LIMIT = "output_limit"
    CANCELLED = "cancelled"
    LOST = "lost"  # the sandbox itself broke: not the learner's doing

    def message(self, limits: Limits, exit_code: int | None = None) -> str:
        """Explain the ending to a learner, naming the limit that was hit."""
        if self is EndReason.FAILED:
            return (
                f"Your program stopped with an error (exit code {exit_code}). "
                "The end of its output below shows where it failed."
            )
        return _MESSAGES[self].format(limits=limits)


_MESSAGES: dict[EndReason, str] = {
    EndReason.SUCCEEDED: "Your program finished successfully.",
    EndReason.FAILED: "",
    EndReason.TIMED_OUT: (
        "Your program ran longer than the {limits.wall_seconds:g} seconds allowed and was "
        "stopped. Train for fewer steps (use SMOKE for quick tries) or look for a loop that "
        "never ends."
    ),
    EndReason.CPU_LIMIT: (
        "Your program used more than {limits.cpu_seconds:g} seconds of CPU time (all threads "
        "and child processes together) and was stopped. Use fewer steps or a smaller model."
    ),
    EndReason.OUT_OF_MEMORY: (
        "Your program needed more than the {limits.memory_mb} MB of memory allowed and was "
        "stopped. Use smaller batches or a smaller model, and avoid keeping every tensor."
    ),
    EndReason.OUTPUT_LIMIT: (
        "Your program printed more than {limits.output_bytes} bytes and was stopped. Print "
        "less often (every few hundred steps) or use report() for metrics."
    ),
    EndReason.CANCELLED: "The run was cancelled before it finished.",
    EndReason.LOST: (
        "The run could not be completed because of a problem on our side, not in your code. Please try again."
    ),
}


@dataclass(frozen=True)
class RunResult:
    """The outcome of one run, plus the grade when the spec carried checks."""

    reason: EndReason
    exit_code: int | None
    message: str
    log_tail: str
    artifacts: tuple[str, ...] = ()
    grade: Mapping[str, Any] | None = None
    malformed_events: int = 0
    events: int = 0
    duration_s: float = 0.0
    cpu_seconds: float | None = None
    warm: bool = False  # served by a pre-warmed box
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.reason is EndReason.SUCCEEDED
