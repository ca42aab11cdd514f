"""Celery entry points: ``celery -A workers worker -Q jobs.cpu`` (run from the repository root)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PLATFORM = str(Path(__file__).resolve().parent.parent / "platform")
if _PLATFORM not in sys.path:
    sys.path.insert(0, _PLATFORM)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import threading  # noqa: E402

from celery.signals import worker_ready  # noqa: E402

from config.celery import app  # noqa: E402

__all__ = ["app"]


@worker_ready.connect
def _warm_sandbox(**_: object) -> None:
    """Build the sandbox backend (and fill its warm pool) before the first job arrives."""
    from jobs.runner import sandbox_backend

    threading.Thread(target=sandbox_backend, name="sandbox-warm-up", daemon=True).start()
