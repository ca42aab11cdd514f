"""An UNISOLATED backend for one developer on a machine without bubblewrap (macOS, plain
containers).  Learner code runs as the worker's own user with only per-process limits (open files, file
size, CPU time of the main process; no memory cap, no network or file isolation): never
use it where anyone else's code can arrive.  It refuses to start unless told explicitly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sandbox.backends.base import BASE_ENV, HARNESS, Box, threads_for
from sandbox.backends.process import ProcessBackend
from sandbox.spec import RunSpec
from sandbox.workdir import WorkDir


class UnisolatedBackendRefused(RuntimeError):
    """The local backend was asked for without ``allow_unisolated=True``."""


class LocalBackend(ProcessBackend):
    """Run programs as plain child processes (development only: NOT a sandbox)."""

    name = "local (unisolated)"
    isolated = False

    def __init__(
        self,
        *,
        allow_unisolated: bool,
        python: str | None = None,
        work_root: str | Path | None = None,
        **_: object,
    ) -> None:
        if not allow_unisolated:
            raise UnisolatedBackendRefused(
                "The local sandbox backend runs code WITHOUT isolation and is only for single-user "
                "development with DEBUG on. Install bubblewrap (or use the docker backend), or "
                "pass allow_unisolated=True on a development machine."
            )
        super().__init__(work_root=work_root)
        self.python = python or sys.executable

    def _start(self, spec: RunSpec, workdir: WorkDir, *, grading: bool) -> Box:
        read_end, write_end = os.pipe()
        limits = spec.limits
        env = {
            **BASE_ENV,
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(workdir.path),
            "OMP_NUM_THREADS": str(threads_for(limits)),
            # Idle OpenMP threads sleep instead of spinning: on shared cores spinning costs 10-30x.
            "OMP_WAIT_POLICY": "PASSIVE",
            "MC_EVENT_FD": str(write_end),
        }
        try:
            proc = subprocess.Popen(
                [self.python, "-I", "-B", str(HARNESS / "boxrun.py")],
                cwd=workdir.path,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(write_end,),
                start_new_session=True,
            )
        finally:
            os.close(write_end)
        return Box(proc, read_end, workdir, str(workdir.path), str(HARNESS), event_fd_inside=write_end)

    def _private_inside(self, box: Box) -> str:
        return str(box.workdir.private)
