"""Run learners' code in isolated, limited boxes and stream back what it reports.

Plain Python (standard library only, no Django): every limit and path arrives as an
argument.  The job system picks a backend by dotted path::

    backend = load_backend("sandbox.backends.bubblewrap.BubblewrapBackend", pool_size=2)
    result = backend.run(spec, on_event=callback, cancel=event, artifacts_dir=path)
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from sandbox.backends.process import Backend
from sandbox.protocol import Event
from sandbox.spec import EndReason, Limits, RunResult, RunSpec

__all__ = [
    "Backend",
    "Detection",
    "EndReason",
    "Event",
    "Limits",
    "RunResult",
    "RunSpec",
    "detect_backend",
    "load_backend",
]

ALIASES = {
    "bubblewrap": "sandbox.backends.bubblewrap.BubblewrapBackend",
    "docker": "sandbox.backends.docker.DockerBackend",
    "local": "sandbox.backends.local.LocalBackend",
    "fake": "sandbox.backends.fake.FakeBackend",
}


def load_backend(path: str, **options: Any) -> Backend:
    """Create the backend named by a dotted path (or a short alias) with settings' options."""
    module_name, _, class_name = ALIASES.get(path, path).rpartition(".")
    backend_class = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(backend_class, type) and issubclass(backend_class, Backend)):
        raise TypeError(f"{path} is not a sandbox backend")
    backend: Backend = backend_class(**options)
    return backend


@dataclass(frozen=True)
class Detection:
    """Whether isolated boxes work on this host, which backend to use, and why."""

    isolated: bool
    backend: str
    reason: str


def detect_backend(bwrap: str = "bwrap") -> Detection:
    """Tell whether bubblewrap (with cgroups) works here; if not, say why."""
    from sandbox.cgroups import CgroupError, CgroupFactory

    if not sys.platform.startswith("linux"):
        return Detection(False, ALIASES["local"], f"bubblewrap needs Linux; this is {sys.platform}")
    found = shutil.which(bwrap)
    if not found:
        return Detection(
            False, ALIASES["local"], "bubblewrap (bwrap) is not installed: apt install bubblewrap"
        )
    probe = [
        found,
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--ro-bind",
        "/",
        "/",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--cap-drop",
        "ALL",
        "true",
    ]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Detection(False, ALIASES["local"], f"bubblewrap could not start: {exc}")
    if done.returncode != 0:
        why = done.stderr.strip() or f"exit status {done.returncode}"
        return Detection(
            False,
            ALIASES["local"],
            f"bubblewrap cannot create namespaces here ({why}); a container may need "
            "--privileged or a seccomp/AppArmor profile that allows user namespaces",
        )
    try:
        CgroupFactory()
    except (CgroupError, OSError) as exc:
        return Detection(False, ALIASES["local"], f"bubblewrap works but cgroups do not: {exc}")
    return Detection(True, ALIASES["bubblewrap"], "bubblewrap and cgroups work")
