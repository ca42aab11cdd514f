"""The default Linux backend: bubblewrap namespaces, a seccomp filter and a cgroup per box.

Inside a box: every namespace is new (the network has loopback only), the system and the
Python environment are read-only, ``/job`` is the run's private work dir (a size-capped
tmpfs on the host), ``/tmp`` and ``/dev/shm`` are size-capped tmpfs, the user is an
unprivileged ``learner`` without capabilities who cannot create user namespaces, and the
environment holds only what the run needs.  A cgroup caps memory, processes and CPU for the
whole tree; when the run ends everything in the box is killed.
"""

from __future__ import annotations

import fcntl
import functools
import itertools
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from sandbox.backends.base import BASE_ENV, HARNESS, Box, threads_for
from sandbox.backends.process import ProcessBackend
from sandbox.cgroups import Cgroup, CgroupError, CgroupFactory
from sandbox.pool import WarmPool
from sandbox.seccomp import build_filter
from sandbox.spec import Limits, RunSpec
from sandbox.workdir import WorkDir

BOX_UID = 1000  # the learner's uid as seen inside the box
HOST_UID_BASE = 3_000_000  # each box runs as its own unprivileged uid on the host
HOST_UID_COUNT = 100_000
INSIDE_WORK = "/job"
INSIDE_HARNESS = "/opt/masterclass"
INSIDE_DATA = "/data"
INSIDE_GRADER = "/grader"
ETC_FILES = ("ld.so.cache", "ld.so.conf", "localtime", "nsswitch.conf", "mime.types")


@functools.lru_cache(maxsize=8)
def python_roots(python: str) -> tuple[str, ...]:
    """Return the directories an interpreter needs: its prefixes and its real location."""
    code = "import json,sys;print(json.dumps(sorted({sys.prefix,sys.base_prefix,sys.exec_prefix,sys.base_exec_prefix})))"
    out = subprocess.run([python, "-I", "-c", code], capture_output=True, text=True, check=True)
    roots = set(json.loads(out.stdout))
    roots.add(str(Path(os.path.realpath(python)).parent.parent))
    # Keep only outermost directories; a root under another is already visible.
    ordered = sorted(roots, key=len)
    return tuple(r for i, r in enumerate(ordered) if not any(r.startswith(o + "/") for o in ordered[:i]))


class BubblewrapBackend(ProcessBackend):
    """Run each program in a fresh bubblewrap box; keep ``pool_size`` boxes pre-warmed."""

    name = "bubblewrap"

    def __init__(
        self,
        *,
        pool_size: int = 0,
        python: str | None = None,
        bwrap: str = "bwrap",
        work_root: str | Path | None = None,
        pool_limits: Limits | None = None,
        pool_data_dir: str | None = None,
        require_cgroup: bool = True,
        warm_import_torch: bool = True,
    ) -> None:
        super().__init__(work_root=work_root)
        self.python = python or sys.executable
        self.bwrap = bwrap
        self.seccomp = build_filter()
        try:
            self.cgroups: CgroupFactory | None = CgroupFactory()
        except (CgroupError, OSError) as exc:
            if require_cgroup:
                raise CgroupError(f"bubblewrap backend needs cgroups for memory limits: {exc}") from exc
            self.cgroups = None
        self.pool_limits = pool_limits or Limits()
        self.pool_data_dir = pool_data_dir
        self._etc = self._write_etc()
        os.chmod(self.work_root, 0o711)
        if not _reachable(self.work_root):
            raise CgroupError(f"the work root {self.work_root} must be reachable by other users")
        self._aliases = self._alias_hidden_roots()
        self._uids = itertools.count(os.getpid() * 7919)
        self.host_uids: set[int] = set()  # every uid a box of this backend ran as
        _become_subreaper()
        self.pool = WarmPool(pool_size, self._start_warm) if pool_size > 0 else None
        self._warm_import_torch = warm_import_torch

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()

    # -- building the command line ------------------------------------------------------
    def _write_etc(self) -> Path:
        etc = self.work_root / "etc"
        etc.mkdir(parents=True, exist_ok=True)
        (etc / "passwd").write_text(
            f"learner:x:{BOX_UID}:{BOX_UID}:learner:{INSIDE_WORK}:/usr/sbin/nologin\n"
        )
        (etc / "group").write_text(f"learner:x:{BOX_UID}:\n")
        (etc / "hosts").write_text("127.0.0.1 localhost box\n::1 localhost\n")
        return etc

    def command(
        self,
        limits: Limits,
        binds: list[tuple[str, str, str]],
        *,
        host_uid: int,
        warm: bool,
        seccomp_fd: int | None,
        event_fd: int,
        info_fd: int | None = None,
    ) -> list[str]:
        """Return the full command line for one box; binds are (option, source, target)."""
        # bubblewrap starts as an unprivileged uid of its own, so even a file the box could
        # see by mistake stays out of reach, and no two boxes share a uid.
        args = [
            "setpriv",
            f"--reuid={host_uid}",
            f"--regid={host_uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            self.bwrap,
            "--unshare-all",
            "--unshare-user",
            "--uid",
            str(BOX_UID),
            "--gid",
            str(BOX_UID),
            "--disable-userns",
            "--die-with-parent",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--hostname",
            "box",
            "--clearenv",
        ]
        for top in ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            host = Path("/") / top
            if host.is_symlink():
                args += ["--symlink", os.readlink(host), f"/{top}"]
            elif host.is_dir():
                args += ["--ro-bind", str(host), f"/{top}"]
        for name in ETC_FILES:
            if Path("/etc", name).exists():
                args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
        args += [
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--size",
            str(limits.tmp_mb << 20),
            "--tmpfs",
            "/tmp",
            "--size",
            str(limits.tmp_mb << 20),
            "--tmpfs",
            "/dev/shm",
        ]
        for option, source, target in binds:
            args += [option, source, target]
        args += ["--remount-ro", "/", "--chdir", INSIDE_WORK]
        env = {
            **BASE_ENV,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": INSIDE_WORK,
            "TMPDIR": "/tmp",
            "OMP_NUM_THREADS": str(threads_for(limits)),
            # Idle OpenMP threads sleep instead of spinning: on shared cores spinning costs 10-30x.
            "OMP_WAIT_POLICY": "PASSIVE",
            "MC_EVENT_FD": str(event_fd),
        }
        for key, value in env.items():
            args += ["--setenv", key, value]
        if seccomp_fd is not None:
            args += ["--seccomp", str(seccomp_fd)]
        if info_fd is not None:
            args += ["--info-fd", str(info_fd)]
        args += ["--", self.python, "-I", "-B", f"{INSIDE_HARNESS}/boxrun.py"]
        if warm:
            args.append("--warm")
        return args

    # -- starting boxes -------------------------------------------------------------------
    def _binds(self, workdir: WorkDir, *, data_dir: str | None, grading: bool) -> list[tuple[str, str, str]]:
        binds = [("--ro-bind", str(self._etc / n), f"/etc/{n}") for n in ("passwd", "group", "hosts")]
        binds += [("--ro-bind", self._aliases.get(root, root), root) for root in python_roots(self.python)]
        binds += [
            ("--ro-bind", str(HARNESS), INSIDE_HARNESS),
            ("--ro-bind" if grading else "--bind", str(workdir.path), INSIDE_WORK),
        ]
        if grading:
            binds.append(("--ro-bind", str(workdir.private), INSIDE_GRADER))
        if data_dir:
            binds.append(("--ro-bind", data_dir, INSIDE_DATA))
        return binds

    def _alias_hidden_roots(self) -> dict[str, str]:
        """Make interpreter dirs under private parents (``/root/.pyenv``) reachable for boxes.

        Boxes start without privileges, so each such dir is bind-mounted read-only once
        under the work root, and boxes bind it back to its own path.
        """
        aliases: dict[str, str] = {}
        for index, root in enumerate(python_roots(self.python)):
            if _reachable(Path(root)):
                continue
            # Shared by every backend on this work root and left mounted: it is read-only.
            alias = self.work_root / f"python-{index}"
            alias.mkdir(exist_ok=True)
            with open(self.work_root / "python.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # workers sharing a work root mount it once
                if not os.path.ismount(alias):
                    for options in (["--bind", root], ["-o", "remount,bind,ro"]):
                        subprocess.run(["mount", *options, str(alias)], check=True, capture_output=True)
            aliases[root] = str(alias)
        return aliases

    def _launch(
        self, limits: Limits, workdir: WorkDir, *, data_dir: str | None, grading: bool, warm: bool
    ) -> Box:
        host_uid = HOST_UID_BASE + next(self._uids) % HOST_UID_COUNT
        self.host_uids.add(host_uid)
        os.chown(workdir.path, host_uid, host_uid)  # the grader's box reads it as its own
        os.chmod(workdir.path, 0o700)
        binds = self._binds(workdir, data_dir=data_dir, grading=grading)
        return self._spawn(limits, binds, workdir, host_uid=host_uid, warm=warm)

    def _spawn(
        self,
        limits: Limits,
        binds: list[tuple[str, str, str]],
        workdir: WorkDir,
        *,
        host_uid: int,
        warm: bool,
    ) -> Box:
        cgroup: Cgroup | None = self.cgroups.create() if self.cgroups else None
        read_end, write_end = os.pipe()
        info_r, info_w = os.pipe()
        seccomp_r = None
        if self.seccomp is not None:
            seccomp_r, seccomp_w = os.pipe()
            os.write(seccomp_w, self.seccomp)
            os.close(seccomp_w)
        try:
            if cgroup is not None:
                memory = limits.memory_mb << 20
                if warm:  # sized for the warm-up; the run's own limits are set when it starts
                    memory = max(memory, 1024 << 20)
                cgroup.set_limits(memory_bytes=memory, pids=limits.processes, cpus=limits.cpus)
            argv = self.command(
                limits,
                binds,
                host_uid=host_uid,
                warm=warm,
                seccomp_fd=seccomp_r,
                event_fd=write_end,
                info_fd=info_w,
            )
            # The shell joins the cgroup before bwrap starts, so no process escapes the limits.
            join = cgroup.join_command() + " && " if cgroup else ""
            script = f"{join}exec {shlex.join(argv)}"
            fds = (write_end, info_w) if seccomp_r is None else (write_end, info_w, seccomp_r)
            proc = subprocess.Popen(
                ["/bin/sh", "-c", script],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=fds,
                env={"PATH": "/usr/bin:/bin"},
                start_new_session=True,
            )
        except BaseException:
            os.close(read_end)
            os.close(info_r)
            if cgroup is not None:
                cgroup.remove()
            raise
        finally:
            os.close(write_end)
            os.close(info_w)
            if seccomp_r is not None:
                os.close(seccomp_r)
        box = Box(
            proc, read_end, workdir, INSIDE_WORK, INSIDE_HARNESS, cgroup=cgroup, event_fd_inside=write_end
        )
        box.cleanups.append(lambda: _reap_box_init(info_r))
        return box

    def _start(self, spec: RunSpec, workdir: WorkDir, *, grading: bool) -> Box:
        # Mount what the pool mounts when the data lies under it: warm and cold boxes then
        # see the same paths.
        data_dir = self.pool_data_dir if self._under_pool_data(spec.data_dir) else spec.data_dir
        return self._launch(spec.limits, workdir, data_dir=data_dir, grading=grading, warm=False)

    def _under_pool_data(self, data_dir: str | None) -> bool:
        """Tell whether a run's data folder is the pool's data root or lies inside it."""
        if not data_dir or not self.pool_data_dir:
            return False
        root, mine = Path(self.pool_data_dir).resolve(), Path(data_dir).resolve()
        return mine == root or root in mine.parents

    def _start_warm(self) -> Box:
        workdir = WorkDir(self.work_root, self.pool_limits)
        box = self._launch(
            self.pool_limits,
            workdir,
            data_dir=self.pool_data_dir,
            grading=False,
            warm=self._warm_import_torch,
        )
        box.warm = True
        box.cleanups.append(workdir.remove)
        return box

    def _take_warm(self, spec: RunSpec) -> Box | None:
        if self.pool is None or not self._fits_pool(spec):
            return None
        box = self.pool.take()
        if box is None:
            return None
        box.cleanups.remove(box.workdir.remove)  # the run owns the work dir from here on
        if box.cgroup is not None:
            try:
                box.cgroup.set_limits(
                    memory_bytes=spec.limits.memory_mb << 20,
                    pids=spec.limits.processes,
                    cpus=spec.limits.cpus,
                )
                box.cpu_base = box.cgroup.cpu_seconds()
                box.oom_base = box.cgroup.oom_kills()
            except OSError:  # the warm box already uses more than this run may: start cold
                box.close()
                box.workdir.remove()
                return None
        return box

    def _fits_pool(self, spec: RunSpec) -> bool:
        mine, pool = spec.limits, self.pool_limits
        same_disk = (mine.disk_mb, mine.disk_inodes, mine.tmp_mb) == (
            pool.disk_mb,
            pool.disk_inodes,
            pool.tmp_mb,
        )
        data_ok = spec.data_dir is None or self._under_pool_data(spec.data_dir)
        return same_disk and data_ok and spec.gpu is None

    def _data_inside(self, spec: RunSpec) -> str | None:
        if not spec.data_dir:
            return None
        if self._under_pool_data(spec.data_dir):
            assert self.pool_data_dir is not None
            relative = Path(spec.data_dir).resolve().relative_to(Path(self.pool_data_dir).resolve())
            return INSIDE_DATA if str(relative) == "." else f"{INSIDE_DATA}/{relative.as_posix()}"
        return INSIDE_DATA

    def _private_inside(self, box: Box) -> str:
        return INSIDE_GRADER


def _reachable(path: Path) -> bool:
    """Tell whether any user may walk down to path (every parent has the x bit for others)."""
    return all(os.stat(directory).st_mode & 0o001 for directory in [path, *path.parents])


def _become_subreaper() -> None:
    """Adopt orphans of boxes: bubblewrap's monitor may exit before the box's init is reaped."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _reap_box_init(info_fd: int) -> None:
    """Reap the box's init (named by bubblewrap's --info-fd), so no zombie outlives a run."""
    import time

    try:
        os.set_blocking(info_fd, False)
        raw = os.read(info_fd, 4096)
    except OSError:
        raw = b""
    finally:
        os.close(info_fd)
    try:
        pid = int(json.loads(raw or b"{}").get("child-pid", 0))
    except (ValueError, AttributeError):
        return
    deadline = time.monotonic() + 5
    while pid and time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
        except ChildProcessError:
            return  # not ours to reap (already reaped, or adopted elsewhere)
        time.sleep(0.01)
