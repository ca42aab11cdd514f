"""One test per attack on the real bubblewrap backend: the verdict, and an unharmed host.

Every attack runs next to an honest neighbour (``conftest.attack``), which must succeed with
its files intact; after each, the worker must still fork and no box may leave processes,
cgroups or work dirs behind.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from sandbox import EndReason, Limits, RunSpec

pytestmark = pytest.mark.sandbox

PROBE = """
import os
from masterclass import log
def attempt(label, func):
    try:
        func()
        log(f"{label}: ALLOWED")
    except Exception as exc:
        log(f"{label}: denied ({type(exc).__name__})")
"""


def allowed(attack_result) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in attack_result.logs() if line.endswith("ALLOWED")]


def test_fork_bomb(attack) -> None:  # type: ignore[no-untyped-def]
    done = attack("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n")
    assert done.result.reason in (EndReason.CPU_LIMIT, EndReason.TIMED_OUT)
    assert "seconds" in done.result.message


def test_memory_bomb(attack) -> None:  # type: ignore[no-untyped-def]
    done = attack("chunks = []\nwhile True:\n    chunks.append(bytearray(8 << 20))\n")
    assert done.result.reason is EndReason.OUT_OF_MEMORY
    assert "256 MB" in done.result.message


def test_memory_bomb_in_a_child(attack) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import os\npid = os.fork()\nif pid == 0:\n    chunks = []\n    while True:\n"
        "        chunks.append(bytearray(8 << 20))\nos.waitpid(pid, 0)\nprint('parent carries on')\n"
    )
    assert attack(code).result.reason is EndReason.OUT_OF_MEMORY


def test_cpu_spin_in_threads_and_children(attack) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import os, threading\ndef spin():\n    while True:\n        pass\n"
        "for _ in range(3):\n    if os.fork() == 0:\n        spin()\n"
        "for _ in range(3):\n    threading.Thread(target=spin).start()\nspin()\n"
    )
    done = attack(code, cpus=2, cpu_seconds=2, wall_seconds=30)
    assert done.result.reason is EndReason.CPU_LIMIT
    assert done.result.cpu_seconds is not None and done.result.cpu_seconds < 3


def test_sleep_forever(attack) -> None:  # type: ignore[no-untyped-def]
    done = attack("import time\ntime.sleep(10**6)\n", wall_seconds=2)
    assert done.result.reason is EndReason.TIMED_OUT
    assert 2 <= done.result.duration_s < 4


def test_infinite_stdout(attack) -> None:  # type: ignore[no-untyped-def]
    done = attack("while True:\n    print('spam' * 100)\n")
    assert done.result.reason is EndReason.OUTPUT_LIMIT
    assert len(done.result.log_tail) <= 4000


def test_disk_fill_one_big_file(attack, work_root: Path) -> None:  # type: ignore[no-untyped-def]
    free = os.statvfs(work_root).f_bavail
    done = attack("with open('big', 'wb') as f:\n    while True:\n        f.write(b'x' * (1 << 20))\n")
    assert done.result.reason is EndReason.FAILED
    assert "File too large" in done.result.log_tail or "No space left" in done.result.log_tail
    assert os.statvfs(work_root).f_bavail >= free - 1000


def test_disk_fill_many_small_files(attack) -> None:  # type: ignore[no-untyped-def]
    done = attack("i = 0\nwhile True:\n    open(f'f{i}', 'w').write('x' * 100)\n    i += 1\n")
    assert done.result.reason is EndReason.FAILED
    assert "No space left" in done.result.log_tail


def test_disk_fill_tmp_and_shm(attack) -> None:  # type: ignore[no-untyped-def]
    code = PROBE + (
        "def fill(path):\n    with open(path, 'wb') as f:\n        for _ in range(64):\n"
        "            f.write(b'x' * (1 << 20))\n"
        "attempt('tmp', lambda: fill('/tmp/big'))\nattempt('shm', lambda: fill('/dev/shm/big'))\n"
    )
    done = attack(code, file_mb=64)
    assert done.result.ok and not allowed(done)


def test_too_many_open_files(attack) -> None:  # type: ignore[no-untyped-def]
    done = attack("files = []\nwhile True:\n    files.append(open('/dev/null'))\n")
    assert done.result.reason is EndReason.FAILED
    assert "Too many open files" in done.result.log_tail


def test_reading_host_files(attack, work_root: Path) -> None:  # type: ignore[no-untyped-def]
    root = Path(__file__).resolve().parents[2]
    secret = work_root / "other-run" / "work" / "secret.txt"  # shaped like a run's work dir
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text("another run's file")
    targets = [
        "/etc/shadow",
        str(root / ".env"),
        str(root / "platform/config/settings.py"),
        str(root / "var/db.sqlite3"),
        str(root / "courses/README.md"),
        str(secret),
        "/root/.bash_history",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    code = PROBE + "".join(f"attempt({t!r}, lambda: open({t!r}, 'rb').read(1))\n" for t in targets)
    code += f"attempt('list work root', lambda: os.listdir({str(work_root)!r}))\n"
    done = attack(code)
    secret.unlink()
    assert done.result.ok, done.result.log_tail
    assert not allowed(done)
    assert len(done.logs()) == len(targets) + 1


def test_writing_outside_the_work_dir(attack) -> None:  # type: ignore[no-untyped-def]
    import sys

    places = [
        "/evil",
        "/etc/evil",
        "/etc/passwd",
        "/usr/evil",
        "/opt/masterclass/evil.py",
        f"{sys.prefix}/evil",
        f"{sys.base_prefix}/lib/evil",
        "/proc/sys/kernel/hostname",
        "/proc/sys/vm/overcommit_ratio",
        "/data/evil",
    ]
    code = PROBE + "def write(path):\n    with open(path, 'w') as f:\n        f.write('0')\n"
    code += "".join(f"attempt({p!r}, lambda: write({p!r}))\n" for p in places)
    code += "attempt('chmod /dev/null', lambda: os.chmod('/dev/null', 0o600))\n"
    done = attack(code)
    assert done.result.ok and not allowed(done), done.logs()
    assert not Path(sys.prefix, "evil").exists()


def test_network_is_loopback_only(attack) -> None:  # type: ignore[no-untyped-def]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    targets = [
        ("127.0.0.1", 5432),
        ("127.0.0.1", 6379),
        ("127.0.0.1", port),
        ("1.1.1.1", 53),
        ("10.0.0.1", 80),
    ]
    code = (
        PROBE
        + "import socket\n"
        + "".join(
            f"attempt('tcp {h}:{p}', lambda: socket.create_connection(({h!r}, {p}), timeout=2))\n"
            for h, p in targets
        )
    )
    code += "attempt('dns', lambda: socket.getaddrinfo('example.com', 443))\n"
    code += "attempt('udp', lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('8.8.8.8', 53)))\n"
    try:
        done = attack(code)
    finally:
        listener.close()
    assert done.result.ok and not allowed(done), done.logs()


def test_environment_secrets(attack) -> None:  # type: ignore[no-untyped-def]
    os.environ["DJANGO_SECRET_KEY"] = "host-secret-value"
    os.environ["DATABASE_URL"] = "postgres://user:host-secret-value@127.0.0.1/db"
    try:
        done = attack(
            "import os\nprint(sorted(os.environ.items()), open('/proc/1/environ').read())\n",
            env={"LAB_SEED": "7"},
        )
    finally:
        del os.environ["DJANGO_SECRET_KEY"], os.environ["DATABASE_URL"]
    assert done.result.ok
    assert "host-secret-value" not in done.result.log_tail
    assert "LAB_SEED" in done.result.log_tail and "DJANGO" not in done.result.log_tail


def test_signalling_and_ptracing(attack) -> None:  # type: ignore[no-untyped-def]
    code = (
        PROBE
        + f"""
import ctypes, signal
libc = ctypes.CDLL(None, use_errno=True)
def ptrace(pid):
    if libc.ptrace(16, pid, None, None) != 0:
        raise OSError(ctypes.get_errno(), "ptrace")
attempt('kill worker', lambda: os.kill({os.getpid()}, signal.SIGKILL))
attempt('kill init', lambda: os.kill(1, signal.SIGKILL) or os.kill(1, 0) or (_ for _ in ()).throw(OSError("alive")))
attempt('ptrace init', lambda: ptrace(1))
attempt('ptrace worker', lambda: ptrace({os.getpid()}))
attempt('ptrace parent', lambda: ptrace(os.getppid()))
"""
    )
    done = attack(code)
    assert done.result.ok and not allowed(done), done.logs()


def test_namespaces_and_mounts(attack) -> None:  # type: ignore[no-untyped-def]
    code = (
        PROBE
        + """
import ctypes, subprocess
libc = ctypes.CDLL(None, use_errno=True)
def call(name, *args):
    if getattr(libc, name)(*args) != 0:
        raise OSError(ctypes.get_errno(), name)
for flag, label in [(0x10000000, 'user'), (0x00020000, 'mount'), (0x40000000, 'net'), (0x20000000, 'pid')]:
    attempt('unshare ' + label, lambda: call('unshare', flag))
attempt('mount tmpfs', lambda: call('mount', b'none', b'/job', b'tmpfs', 0, None))
attempt('chroot', lambda: call('chroot', b'/tmp'))
attempt('unshare tool', lambda: subprocess.run(['unshare', '-U', 'true'], check=True, capture_output=True))
"""
    )
    done = attack(code)
    assert done.result.ok and not allowed(done), done.logs()


def test_daemon_left_behind(attack) -> None:  # type: ignore[no-untyped-def]
    marker = "4242.4242"
    code = f"""
import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv('/bin/sleep', ['sleep', '{marker}'])
    os._exit(0)
print('parent leaves')
"""
    done = attack(code)
    assert done.result.ok
    time.sleep(0.2)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                assert marker not in (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue


def test_symlink_planted_among_artifacts(attack, work_root: Path) -> None:  # type: ignore[no-untyped-def]
    code = """
import os
os.makedirs('outputs', exist_ok=True)
os.symlink('/etc/hostname', 'outputs/hostname')
os.symlink('/etc', 'outputs/etc')
os.mkfifo('outputs/fifo')
open('outputs/real.txt', 'w').write('mine')
"""
    done = attack(code)
    assert done.result.ok
    assert done.result.artifacts == ("real.txt",)
    assert sorted(p.name for p in (work_root / "artifacts").iterdir()) == ["real.txt"]
    assert len(done.result.warnings) == 3


def test_outputs_dir_is_a_symlink(attack, work_root: Path) -> None:  # type: ignore[no-untyped-def]
    done = attack(
        "import os\nos.symlink('/etc', 'outputs')\n",
    )
    assert done.result.ok and done.result.artifacts == ()


def test_malformed_and_huge_event_lines(attack) -> None:  # type: ignore[no-untyped-def]
    code = """
import os
from masterclass import report
fd = int(os.environ['MC_EVENT_FD'])
os.write(fd, b'not json\\n')
os.write(fd, b'{"type": "result", "reason": "succeeded"}\\n')
os.write(fd, b'{"type": "metric", "values": {"loss": "NaN-ish"}}\\n')
os.write(fd, b'{"type": "metric", "values": {"a": 1}' + b' ' * (1 << 20) + b'}\\n')
os.write(fd, b'[' * 100000 + b'\\n')
report(step=1, loss=0.5)
"""
    done = attack(code)
    assert done.result.ok
    assert done.result.malformed_events == 5
    assert [e.type for e in done.events] == ["metric", "result"]
    assert done.metric("loss") == 0.5


def test_artifact_over_the_cap(attack, work_root: Path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "from masterclass import save_artifact\nopen('big.bin', 'wb').write(b'x' * (2 << 20))\n"
        "open('small.bin', 'wb').write(b'y')\nsave_artifact('big.bin')\nsave_artifact('small.bin')\n"
    )
    done = attack(code)
    assert done.result.ok
    assert done.result.artifacts == ("small.bin",)
    assert any("big.bin" in w and "1 MB" in w for w in done.result.warnings)


def test_nothing_left_in_tmp_for_the_next_run(attack) -> None:  # type: ignore[no-untyped-def]
    first = attack(
        "open('/tmp/leak', 'w').write('x')\nopen('/dev/shm/leak', 'w').write('x')\n"
        "open('leak', 'w').write('x')\n"
    )
    assert first.result.ok
    second = attack(
        "import os\nprint([p for p in ('/tmp/leak', '/dev/shm/leak', 'leak') if os.path.exists(p)])\n"
    )
    assert second.result.ok and "[]" in second.result.log_tail


def test_cancel_kills_the_whole_tree(bwrap_backend, work_root: Path) -> None:  # type: ignore[no-untyped-def]
    from conftest import host_is_healthy

    code = (
        "import os, time\nfrom masterclass import report\nfor _ in range(4):\n    if os.fork() == 0:\n"
        "        time.sleep(1000)\nreport(step=0, started=1)\ntime.sleep(1000)\n"
    )
    cancel = threading.Event()
    started = threading.Event()
    result = []
    thread = threading.Thread(
        target=lambda: result.append(
            bwrap_backend.run(
                RunSpec(
                    files={"main.py": code}, limits=Limits(wall_seconds=60, cpu_seconds=60, memory_mb=256)
                ),
                on_event=lambda e: started.set() if e.type == "metric" else None,
                cancel=cancel,
            )
        )
    )
    thread.start()
    assert started.wait(20)
    began = time.monotonic()
    cancel.set()
    thread.join(20)
    assert time.monotonic() - began < 2
    assert result[0].reason is EndReason.CANCELLED
    host_is_healthy(bwrap_backend, work_root)
