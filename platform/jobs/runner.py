"""The worker's sandbox backend: built once per process from settings."""

from __future__ import annotations

import inspect
import logging
import shutil
import threading
from typing import Any

from django.conf import settings

from sandbox import Backend, detect_backend, load_backend

log = logging.getLogger(__name__)
_backend: Backend | None = None
_lock = threading.Lock()


def _options_for(backend_path: str) -> dict[str, Any]:
    candidates = {
        "pool_size": settings.SANDBOX_POOL_SIZE,
        "python": settings.SANDBOX_PYTHON,
        "allow_unisolated": settings.DEBUG,
        "pool_data_dir": str(settings.SANDBOX_DATA_ROOT),
    }
    module_name, _, class_name = backend_path.rpartition(".")
    import importlib

    cls = getattr(importlib.import_module(module_name), class_name)
    accepted = inspect.signature(cls.__init__).parameters
    return {k: v for k, v in candidates.items() if k in accepted}


def sandbox_backend() -> Backend:
    """Return this process's backend; fall back to the unisolated one only in DEBUG."""
    global _backend
    with _lock:
        if _backend is None:
            path = settings.SANDBOX_BACKEND
            if path.endswith("BubblewrapBackend"):
                found = detect_backend()
                if not found.isolated:
                    if not settings.DEBUG:
                        raise RuntimeError(f"the sandbox cannot isolate runs here: {found.reason}")
                    log.warning("UNISOLATED sandbox (development only): %s", found.reason)
                    path = found.backend
            _backend = load_backend(path, **_options_for(path))
        return _backend


def course_data_dir(course_slug: str) -> str | None:
    """Return the sandbox copy of a course's data folder, refreshed from courses/ first."""
    source = settings.COURSES_DIR / course_slug / "data"
    if not source.is_dir():
        return None
    target = settings.SANDBOX_DATA_ROOT / course_slug
    for path in source.rglob("*"):
        if path.is_symlink():
            continue  # a data set is plain files; a link could reach outside the course
        copy = target / path.relative_to(source)
        if path.is_dir():
            copy.mkdir(parents=True, exist_ok=True)
            continue
        status = path.stat()
        if (
            not copy.exists()
            or copy.stat().st_size != status.st_size
            or copy.stat().st_mtime < status.st_mtime
        ):
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
            copy.chmod(0o644)
    return str(target)
