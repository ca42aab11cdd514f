"""Per-box control groups: memory, process count, CPU quota and CPU time of a whole tree.

Works with cgroup v2 and with the v1 hierarchies still common on hybrid hosts.  Boxes are
created below the worker's own cgroup, so a host that delegated a subtree to the worker
(systemd ``Delegate=yes``, a container's namespace) needs no further set-up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

V1_CONTROLLERS = ("memory", "pids", "cpu", "cpuacct")
V2_CONTROLLERS = ("memory", "pids", "cpu")


class CgroupError(RuntimeError):
    """The host offers no usable cgroup for boxes."""


def _mounts() -> list[tuple[str, str, set[str]]]:
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(tail) >= 3 and tail[0] in ("cgroup", "cgroup2"):
            found.append((tail[0], fields[4], set(tail[2].split(","))))
    return found


def _own_paths() -> dict[str, str]:
    paths: dict[str, str] = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            paths[name] = path
    return paths


def _write(path: Path, value: str) -> None:
    path.write_text(value)


@dataclass
class Cgroup:
    """One box's cgroup (a directory per v1 hierarchy, or one v2 directory)."""

    dirs: dict[str, Path]  # controller -> directory
    v2: bool

    def _dir(self, controller: str) -> Path | None:
        return self.dirs.get(controller)

    def join_command(self) -> str:
        """Return shell words that move the running shell (``$$``) into this cgroup."""
        targets = sorted({d / "cgroup.procs" for d in self.dirs.values()})
        return " && ".join(f"echo $$ > {t}" for t in targets)

    def set_limits(self, *, memory_bytes: int, pids: int, cpus: float) -> None:
        """Apply the limits; raises OSError when the box already exceeds one (v1 memory)."""
        mem, pid, cpu = self._dir("memory"), self._dir("pids"), self._dir("cpu")
        period = 100_000
        if self.v2:
            assert mem and pid and cpu
            _write(mem / "memory.max", str(memory_bytes))
            with contextlib.suppress(OSError):
                _write(mem / "memory.swap.max", "0")
            _write(pid / "pids.max", str(pids))
            _write(cpu / "cpu.max", f"{int(cpus * period)} {period}")
            return
        if mem:
            _write(mem / "memory.limit_in_bytes", str(memory_bytes))
            with contextlib.suppress(OSError):
                _write(mem / "memory.memsw.limit_in_bytes", str(memory_bytes))
        if pid:
            _write(pid / "pids.max", str(pids))
        if cpu:
            _write(cpu / "cpu.cfs_period_us", str(period))
            _write(cpu / "cpu.cfs_quota_us", str(int(cpus * period)))

    def cpu_seconds(self) -> float:
        """Return the CPU time used by every process that ever ran in the box."""
        if self.v2:
            cpu = self._dir("cpu")
            assert cpu
            for line in (cpu / "cpu.stat").read_text().splitlines():
                if line.startswith("usage_usec"):
                    return int(line.split()[1]) / 1e6
            return 0.0
        acct = self._dir("cpuacct")
        return int((acct / "cpuacct.usage").read_text()) / 1e9 if acct else 0.0

    def oom_kills(self) -> int:
        """Return how many processes the kernel killed for exceeding the memory limit."""
        mem = self._dir("memory")
        if not mem:
            return 0
        name = "memory.events" if self.v2 else "memory.oom_control"
        with contextlib.suppress(OSError):
            for line in (mem / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        return 0

    def memory_peak(self) -> int:
        mem = self._dir("memory")
        name = "memory.peak" if self.v2 else "memory.max_usage_in_bytes"
        with contextlib.suppress(OSError, ValueError):
            return int((mem / name).read_text()) if mem else 0
        return 0

    def pids(self) -> set[int]:
        found: set[int] = set()
        for directory in self.dirs.values():
            with contextlib.suppress(OSError):
                found.update(int(p) for p in (directory / "cgroup.procs").read_text().split())
        return found

    def kill_all(self, timeout: float = 5.0) -> bool:
        """Kill every process in the box, forks racing the sweep included; True when empty."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.v2:
                with contextlib.suppress(OSError):
                    _write(next(iter(self.dirs.values())) / "cgroup.kill", "1")
            pids = self.pids()
            if not pids:
                return True
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)
        return not self.pids()

    def remove(self, timeout: float = 5.0) -> None:
        """Remove the box's directories, waiting for killed tasks to finish exiting."""
        deadline = time.monotonic() + timeout
        left = set(self.dirs.values())
        while left:
            for directory in list(left):
                try:
                    directory.rmdir()
                    left.discard(directory)
                except FileNotFoundError:
                    left.discard(directory)
                except OSError:
                    pass
            if not left or time.monotonic() > deadline:
                return
            self.kill_all(timeout=0.05)
            time.sleep(0.01)


class CgroupFactory:
    """Create box cgroups below the worker's own cgroup."""

    def __init__(self, root: str | None = None) -> None:
        self.v2 = False
        self.bases: dict[str, Path] = {}
        self.created: set[str] = set()
        own = _own_paths()
        mounts = _mounts()
        v1 = {c: m for kind, m, opts in mounts if kind == "cgroup" for c in opts & set(V1_CONTROLLERS)}
        if "memory" in v1 and "pids" in v1:
            for controller, mount in v1.items():
                rel = (root or own.get(controller, "/")).lstrip("/")
                self.bases[controller] = Path(mount) / rel
        else:
            unified = [m for kind, m, _ in mounts if kind == "cgroup2"]
            if not unified:
                raise CgroupError("no cgroup file system is mounted")
            base = Path(unified[0]) / (root or own.get("", "/")).lstrip("/")
            self._prepare_v2(base)
            self.v2 = True
            self.bases = dict.fromkeys(V2_CONTROLLERS, base)
        for controller in ("memory", "pids"):
            found = self.bases.get(controller)
            if found is None or not os.access(found, os.W_OK):
                raise CgroupError(f"the {controller} cgroup {found} is not writable by the worker")

    @staticmethod
    def _prepare_v2(base: Path) -> None:
        available = set((base / "cgroup.controllers").read_text().split())
        missing = set(V2_CONTROLLERS) - available
        if missing:
            raise CgroupError(f"cgroup v2 controllers not delegated here: {sorted(missing)}")
        enable = " ".join(f"+{c}" for c in V2_CONTROLLERS)
        try:
            _write(base / "cgroup.subtree_control", enable)
        except OSError:
            # A v2 group with processes in it cannot enable controllers for children: move
            # the worker into a leaf of its own first.
            leaf = base / "mc-worker"
            leaf.mkdir(exist_ok=True)
            for pid in (base / "cgroup.procs").read_text().split():
                with contextlib.suppress(OSError):
                    _write(leaf / "cgroup.procs", pid)
            _write(base / "cgroup.subtree_control", enable)

    def create(self) -> Cgroup:
        name = f"mc-box-{uuid.uuid4().hex[:12]}"
        self.created.add(name)
        dirs: dict[str, Path] = {}
        for controller, base in self.bases.items():
            directory = base / name
            directory.mkdir(exist_ok=True)
            dirs[controller] = directory
        return Cgroup(dirs, self.v2)
