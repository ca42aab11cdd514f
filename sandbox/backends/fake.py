"""A backend that runs nothing: it replays scripted events, for fast unit tests only."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sandbox.backends.process import Backend
from sandbox.protocol import Event, EventCallback
from sandbox.spec import EndReason, RunResult, RunSpec


class FakeBackend(Backend):
    """Record every spec and answer with the scripted events and ending."""

    name = "fake"
    isolated = False

    def __init__(
        self,
        *,
        events: Sequence[dict[str, Any]] = (),
        reason: EndReason = EndReason.SUCCEEDED,
        exit_code: int = 0,
        log_tail: str = "",
        grade: dict[str, Any] | None = None,
        artifacts: Sequence[str] = (),
        on_run: Callable[[RunSpec], None] | None = None,
        **_: object,
    ) -> None:
        self.events = [dict(e) for e in events]
        self.reason = reason
        self.exit_code = exit_code
        self.log_tail = log_tail
        self.grade = grade
        self.artifacts = tuple(artifacts)
        self.on_run = on_run
        self.specs: list[RunSpec] = []

    def run(
        self,
        spec: RunSpec,
        on_event: EventCallback | None = None,
        cancel: threading.Event | None = None,
        artifacts_dir: Path | None = None,
    ) -> RunResult:
        self.specs.append(spec)
        if self.on_run is not None:
            self.on_run(spec)
        reason, seq = self.reason, 0
        for data in self.events:
            if cancel is not None and cancel.is_set():
                reason = EndReason.CANCELLED
                break
            seq += 1
            if on_event is not None:
                kind = str(data.get("type", "metric"))
                on_event(Event(seq, kind, MappingProxyType({k: v for k, v in data.items() if k != "type"})))
        if artifacts_dir is not None:
            Path(artifacts_dir).mkdir(parents=True, exist_ok=True)
            for name in self.artifacts:
                (Path(artifacts_dir) / name).write_bytes(b"fake artifact")
        message = reason.message(spec.limits, self.exit_code)
        grade = self.grade if spec.checks is not None and reason is not EndReason.CANCELLED else None
        if on_event is not None:
            on_event(Event(seq + 1, "result", MappingProxyType({"reason": reason.value, "message": message})))
        return RunResult(
            reason=reason,
            exit_code=self.exit_code,
            message=message,
            log_tail=self.log_tail,
            artifacts=self.artifacts,
            grade=grade,
            events=seq,
        )
