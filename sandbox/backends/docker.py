"""The production backend for hosts with a Docker engine: one locked-down container per run.

The command line is built from the same RunSpec as the bubblewrap box, limit by limit (a test
compares them).  Events travel through a FIFO in a bind-mounted directory, because Docker
cannot hand a container an extra open descriptor.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import uuid
from pathlib import Path

from sandbox.backends.base import BASE_ENV, HARNESS, Box, threads_for
from sandbox.backends.process import ProcessBackend
from sandbox.spec import Limits, RunSpec
from sandbox.workdir import WorkDir

INSIDE_WORK, INSIDE_HARNESS, INSIDE_DATA = "/job", "/opt/masterclass", "/data"
INSIDE_GRADER, INSIDE_CTL = "/grader", "/run/mc"
BOX_USER = "1000:1000"


class DockerBackend(ProcessBackend):
    """Run each program in a fresh container of ``image`` (which holds Python and torch)."""

    name = "docker"

    def __init__(
        self,
        *,
        image: str = "llm-masterclass-sandbox:latest",
        docker: str = "docker",
        python: str = "python3",
        work_root: str | Path | None = None,
        runtime: str | None = None,
        **_: object,
    ) -> None:
        super().__init__(work_root=work_root)
        self.image, self.docker, self.python, self.runtime = image, docker, python, runtime

    def command(
        self, spec: RunSpec, workdir: WorkDir, *, name: str, grading: bool, ctl_dir: Path
    ) -> list[str]:
        """Return the ``docker run`` command line for one run (or its grading)."""
        limits: Limits = spec.limits
        memory = f"{limits.memory_mb}m"
        args = [
            self.docker,
            "run",
            "--rm",
            "-i",
            "--name",
            name,
            "--network",
            "none",
            "--read-only",
            "--pids-limit",
            str(limits.processes),
            "--memory",
            memory,
            "--memory-swap",
            memory,
            "--cpus",
            f"{limits.cpus:g}",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
            "--user",
            BOX_USER,
            "--ipc",
            "private",
            "--ulimit",
            f"nofile={limits.open_files}:{limits.open_files}",
            "--ulimit",
            f"fsize={limits.file_mb << 20}:{limits.file_mb << 20}",
            "--ulimit",
            f"cpu={int(limits.cpu_seconds) + 1}:{int(limits.cpu_seconds) + 3}",
            "--ulimit",
            "core=0:0",
            "--tmpfs",
            f"/tmp:rw,nosuid,nodev,size={limits.tmp_mb}m",
            "--shm-size",
            f"{limits.tmp_mb}m",
            "--hostname",
            "box",
            "--workdir",
            INSIDE_WORK,
        ]
        if self.runtime:
            args += ["--runtime", self.runtime]
        mounts = [
            (workdir.path, INSIDE_WORK, grading),
            (HARNESS, INSIDE_HARNESS, True),
            (ctl_dir, INSIDE_CTL, False),
        ]
        if grading:
            mounts.append((workdir.private, INSIDE_GRADER, True))
        if spec.data_dir:
            mounts.append((Path(spec.data_dir), INSIDE_DATA, True))
        for source, target, readonly in mounts:
            args += [
                "--mount",
                f"type=bind,source={source},target={target}" + (",readonly" if readonly else ""),
            ]
        env = {
            **BASE_ENV,
            "HOME": INSIDE_WORK,
            "TMPDIR": "/tmp",
            "OMP_NUM_THREADS": str(threads_for(limits)),
            # Idle OpenMP threads sleep instead of spinning: on shared cores spinning costs 10-30x.
            "OMP_WAIT_POLICY": "PASSIVE",
            "MC_EVENT_FD": "3",
        }
        for key, value in env.items():
            args += ["--env", f"{key}={value}"]
        if spec.gpu is not None:
            args += ["--gpus", f"device={spec.gpu}"]
        args += [
            self.image,
            self.python,
            "-I",
            "-B",
            f"{INSIDE_HARNESS}/boxrun.py",
            "--event-fifo",
            f"{INSIDE_CTL}/events",
        ]
        return args

    def _start(self, spec: RunSpec, workdir: WorkDir, *, grading: bool) -> Box:
        name = f"mc-{uuid.uuid4().hex[:16]}"
        ctl = workdir.root / ("ctl-grade" if grading else "ctl")
        ctl.mkdir(mode=0o755)
        fifo = ctl / "events"
        os.mkfifo(fifo, 0o622)
        os.chmod(fifo, 0o622)  # the container's user writes, only the worker reads
        read_end, write_end = os.pipe()
        relay = threading.Thread(target=_relay, args=(fifo, write_end), daemon=True)
        relay.start()
        proc = subprocess.Popen(
            self.command(spec, workdir, name=name, grading=grading, ctl_dir=ctl),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        box = Box(proc, read_end, workdir, INSIDE_WORK, INSIDE_HARNESS)

        def remove_container() -> None:
            subprocess.run([self.docker, "rm", "-f", name], capture_output=True, check=False, timeout=30)

        def unblock_relay() -> None:
            with contextlib.suppress(OSError):  # a container that never opened the FIFO
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

        box.killers.append(remove_container)
        box.cleanups.append(unblock_relay)
        return box

    def _data_inside(self, spec: RunSpec) -> str | None:
        return INSIDE_DATA if spec.data_dir else None

    def _private_inside(self, box: Box) -> str:
        return INSIDE_GRADER


def _relay(fifo: Path, write_end: int) -> None:
    """Copy the container's FIFO into the pipe the supervisor reads, until the writer closes."""
    try:
        with open(fifo, "rb", buffering=0) as source:
            while chunk := source.read(65536):
                os.write(write_end, chunk)
    except OSError:
        pass
    finally:
        os.close(write_end)
