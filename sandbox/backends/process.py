"""The run flow shared by the real backends: box, supervise, artifacts, grade, result."""

from __future__ import annotations

import abc
import contextlib
import logging
import threading
from pathlib import Path

from sandbox.backends.base import (
    Box,
    Outcome,
    go_message,
    grade_failed,
    make_result,
    parse_grade,
    supervise,
)
from sandbox.protocol import EventCallback, EventReader
from sandbox.spec import EndReason, RunResult, RunSpec
from sandbox.workdir import WorkDir

log = logging.getLogger(__name__)


class Backend(abc.ABC):
    """A place to run learner code; ``run`` blocks until the run (and its grading) ends."""

    name = "backend"
    isolated = True

    @abc.abstractmethod
    def run(
        self,
        spec: RunSpec,
        on_event: EventCallback | None = None,
        cancel: threading.Event | None = None,
        artifacts_dir: Path | None = None,
    ) -> RunResult:
        """Run one spec to the end."""

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        """Release pooled resources (idle boxes)."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ProcessBackend(Backend):
    """A backend whose boxes are local processes fed by ``harness/boxrun.py``."""

    def __init__(self, *, work_root: str | Path | None = None) -> None:
        import tempfile

        self.work_root = Path(work_root or Path(tempfile.gettempdir()) / "mc-sandbox")

    @abc.abstractmethod
    def _start(self, spec: RunSpec, workdir: WorkDir, *, grading: bool) -> Box:
        """Start a cold box on workdir (read-only and with grader inputs when grading)."""

    def _take_warm(self, spec: RunSpec) -> Box | None:
        return None

    def _data_inside(self, spec: RunSpec) -> str | None:
        return spec.data_dir

    def _events_path(self, box: Box) -> str | None:
        return None  # the event descriptor is used

    def run(
        self,
        spec: RunSpec,
        on_event: EventCallback | None = None,
        cancel: threading.Event | None = None,
        artifacts_dir: Path | None = None,
    ) -> RunResult:
        limits = spec.limits
        reader = EventReader(on_event, max_line=limits.event_line_bytes, max_events=limits.max_events)
        box = self._take_warm(spec)
        if box is None:
            box = self._start(spec, WorkDir(self.work_root, limits), grading=False)
        workdir = box.workdir
        box.workdir.write_files(dict(spec.files))
        try:
            try:
                go = go_message(spec, box, data_dir=self._data_inside(spec), events=self._events_path(box))
                outcome = supervise(box, go, limits, reader, cancel)
            finally:
                box.close()
            artifacts: list[str] = []
            warnings: list[str] = []
            if artifacts_dir is not None and outcome.reason is not EndReason.LOST:
                artifacts, warnings = workdir.copy_artifacts(Path(artifacts_dir), limits)
            grade = None
            if spec.checks is not None and outcome.reason not in (EndReason.CANCELLED, EndReason.LOST):
                grade = self._grade(spec, workdir, outcome, reader, cancel)
        finally:
            workdir.remove()
        result = make_result(
            outcome, spec, reader, artifacts=artifacts, warnings=warnings, grade=grade, warm=box.warm
        )
        reader.emit(
            "result",
            {
                "reason": result.reason.value,
                "exit_code": result.exit_code,
                "message": result.message,
                "grade": result.grade,
            },
        )
        return result

    def _grade(
        self,
        spec: RunSpec,
        workdir: WorkDir,
        outcome: Outcome,
        reader: EventReader,
        cancel: threading.Event | None,
    ) -> dict[str, object]:
        """Run checks.py against the finished run in a second, fresh box."""
        assert spec.checks is not None
        with contextlib.suppress(OSError):  # a full disk only loses the log for the checks
            workdir.replace_file("stdout.txt", outcome.output)
        workdir.put_private("checks.py", spec.checks.encode())
        workdir.put_private("events.jsonl", reader.dump())
        box = self._start(spec, workdir, grading=True)
        grader_reader = EventReader(None, max_line=spec.limits.event_line_bytes, max_events=1000)
        private = self._private_inside(box)
        grade_spec = RunSpec(
            files={"grade.py": ""},
            limits=spec.limits,
            mode=spec.mode,
            data_dir=spec.data_dir,
            env=spec.env,
            entrypoint="grade.py",
        )
        go = go_message(grade_spec, box, data_dir=self._data_inside(spec), events=None)
        go["entrypoint"] = f"{box.harness}/grade.py"
        go["argv"] = [
            go["entrypoint"],
            f"{private}/checks.py",
            box.inside,
            f"{private}/events.jsonl",
            str(outcome.exit_code or 0),
        ]
        try:
            graded = supervise(box, go, spec.limits, grader_reader, cancel)
        finally:
            box.close()
        parsed = parse_grade(graded.output) if graded.reason is EndReason.SUCCEEDED else None
        return parsed if parsed is not None else grade_failed(graded.reason, graded.output)

    def _private_inside(self, box: Box) -> str:
        return str(box.workdir.private)
