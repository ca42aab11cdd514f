"""Fast tests without a real box: protocol, specs, backend loading, docker's command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import EndReason, Limits, RunSpec, load_backend
from sandbox.backends.bubblewrap import BubblewrapBackend
from sandbox.backends.docker import DockerBackend
from sandbox.backends.local import UnisolatedBackendRefused
from sandbox.protocol import EventReader, LineSplitter
from sandbox.seccomp import build_filter
from sandbox.workdir import WorkDir

ROOT = Path(__file__).resolve().parents[2]


def test_sandbox_imports_without_django() -> None:
    code = (
        "import sys, sandbox, sandbox.backends.bubblewrap, sandbox.backends.docker, "
        "sandbox.backends.local, sandbox.backends.fake, sandbox.labrun\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'celery', 'torch')]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_specs_are_frozen_and_validated() -> None:
    spec = RunSpec(files={"main.py": "print(1)"})
    with pytest.raises(AttributeError):
        spec.mode = "smoke"  # type: ignore[misc]
    with pytest.raises(TypeError):
        spec.files["x.py"] = ""  # type: ignore[index]
    for bad in ({"../x.py": "", "main.py": ""}, {"other.py": ""}):
        with pytest.raises(ValueError):
            RunSpec(files=bad)
    with pytest.raises(ValueError):
        Limits(memory_mb=0)
    with pytest.raises(ValueError):
        RunSpec(files={"main.py": ""}, env={"MC_EVENT_FD": "9"})


def test_every_reason_has_a_learner_message() -> None:
    for reason in EndReason:
        assert len(reason.message(Limits(), 1)) > 20


def test_event_lines_are_bounded_and_malformed_ones_counted() -> None:
    seen = []
    reader = EventReader(seen.append, max_line=100, max_events=2)
    good = json.dumps({"type": "metric", "step": 1, "values": {"loss": 0.5}}).encode()
    stream = b"garbage\n" + b"{" * 500 + b"\n" + good[:10]
    for i in range(0, len(stream), 7):
        reader.feed(stream[i : i + 7])
    reader.feed(good[10:] + b"\n" + good + b"\n" + good + b"\n")
    assert [e.data["values"] for e in seen] == [{"loss": 0.5}] * 2
    assert reader.malformed == 2 and reader.dropped == 1
    splitter = LineSplitter(4)
    assert list(splitter.feed(b"abcdefgh\nok\n")) == [b"ok"]


def test_backends_load_by_dotted_path() -> None:
    fake = load_backend(
        "sandbox.backends.fake.FakeBackend", events=[{"type": "metric", "step": 1, "values": {"loss": 1.0}}]
    )
    seen = []
    result = fake.run(RunSpec(files={"main.py": ""}), on_event=seen.append)
    assert result.ok and [e.type for e in seen] == ["metric", "result"]
    with pytest.raises(UnisolatedBackendRefused):
        load_backend("local", allow_unisolated=False)
    with pytest.raises(TypeError):
        load_backend("pathlib.Path")


def test_seccomp_filter_compiles() -> None:
    for machine in ("x86_64", "aarch64"):
        program = build_filter(machine)
        assert program and len(program) % 8 == 0 and len(program) // 8 < 4096


def _pairs(args: list[str], flag: str) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args) if a == flag]


def test_docker_sets_the_same_limits_as_bubblewrap(tmp_path: Path) -> None:
    limits = Limits(
        memory_mb=1536, cpus=1.5, processes=48, open_files=128, file_mb=64, tmp_mb=96, cpu_seconds=300
    )
    spec = RunSpec(files={"main.py": ""}, limits=limits, data_dir=str(tmp_path), gpu="1")
    workdir = WorkDir(tmp_path / "boxes", limits, mount=False)
    docker = DockerBackend().command(spec, workdir, name="t", grading=False, ctl_dir=tmp_path)
    bwrap = BubblewrapBackend.__new__(BubblewrapBackend)
    bwrap.bwrap, bwrap.python = "bwrap", sys.executable
    bwrap._etc, bwrap._aliases = tmp_path, {}
    binds = bwrap._binds(workdir, data_dir=spec.data_dir, grading=False)
    box = bwrap.command(limits, binds, host_uid=3_000_001, warm=False, seccomp_fd=5, event_fd=6)
    from sandbox.backends.base import Box, go_message

    go = go_message(spec, Box(None, 0, workdir, "/job", "/opt/masterclass"), data_dir="/data", events=None)  # type: ignore[arg-type]
    rl = go["limits"]
    ulimits = dict(u.split("=") for u in _pairs(docker, "--ulimit"))
    # memory, processes and CPU quota: docker flags vs the box's cgroup values
    assert _pairs(docker, "--memory") == _pairs(docker, "--memory-swap") == [f"{limits.memory_mb}m"]
    assert _pairs(docker, "--pids-limit") == [str(limits.processes)] and rl["nproc"] == limits.processes
    assert float(_pairs(docker, "--cpus")[0]) == limits.cpus
    # open files, file size, CPU seconds, core dumps: docker ulimits vs the box's rlimits
    assert ulimits["nofile"] == f"{rl['nofile']}:{rl['nofile']}"
    assert ulimits["fsize"] == f"{rl['fsize']}:{rl['fsize']}"
    assert int(ulimits["cpu"].split(":")[0]) == rl["cpu"] and ulimits["core"] == "0:0"
    # /tmp and /dev/shm sizes
    sizes = _pairs(box, "--size")
    assert sizes == [str(limits.tmp_mb << 20)] * 2
    assert f"size={limits.tmp_mb}m" in _pairs(docker, "--tmpfs")[0] and _pairs(docker, "--shm-size") == [
        f"{limits.tmp_mb}m"
    ]
    # no network, no capabilities, no privilege gain, unprivileged user, read-only root
    assert _pairs(docker, "--network") == ["none"] and "--unshare-all" in box and "--share-net" not in box
    assert _pairs(docker, "--cap-drop") == _pairs(box, "--cap-drop") == ["ALL"]
    assert "no-new-privileges" in _pairs(docker, "--security-opt") and "--disable-userns" in box
    assert _pairs(docker, "--user") == ["1000:1000"] and _pairs(box, "--uid") == ["1000"]
    assert "--read-only" in docker and _pairs(box, "--remount-ro") == ["/"]
    # the same mounts: work dir writable, harness and data read-only
    mounts = _pairs(docker, "--mount")
    assert any(m.endswith("target=/job") for m in mounts)
    assert any("target=/data,readonly" in m for m in mounts)
    assert ("--ro-bind", str(tmp_path), "/data") in binds and ("--bind", str(workdir.path), "/job") in binds
    assert _pairs(docker, "--gpus") == ["device=1"]
    workdir.remove()
