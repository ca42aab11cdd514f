"""Thin Celery tasks: load rows by id and call services."""

from __future__ import annotations

import socket

from celery import shared_task


@shared_task(name="workers.tasks.ping")
def ping(payload: str = "pong") -> dict[str, str]:
    """Answer with the payload and the worker's host name (a round-trip health check)."""
    return {"payload": payload, "worker": socket.gethostname()}
