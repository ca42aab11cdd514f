"""Probe the database, the broker and the channel layer for /healthz."""

from __future__ import annotations

import time
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection


def _timed(probe: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = probe()
        status: dict[str, Any] = {"ok": True}
        if detail:
            status["detail"] = detail
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported as text
        status = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    status["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return status


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_broker() -> str:
    if settings.EMBEDDED:
        return "in-process"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return "redis"


def check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def round_trip() -> None:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.ping", "id": uuid.uuid4().hex})
        await layer.receive(channel)

    if settings.EMBEDDED:
        return "in-memory"
    import asyncio

    async def bounded() -> None:
        await asyncio.wait_for(round_trip(), timeout=2)

    async_to_sync(bounded)()
    return type(layer).__name__


def check_worker(timeout: float = 5.0) -> str:
    from workers.tasks import ping

    result = ping.delay("health")
    # The embedded worker shares this process, where Celery flags every join as "inside a task".
    answer = result.get(timeout=timeout, interval=0.02, disable_sync_subtasks=False)
    return str(answer.get("worker"))


def health(*, include_worker: bool = False) -> tuple[bool, dict[str, Any]]:
    """Return whether every component is up, and each one's status."""
    components = {
        "database": _timed(check_database),
        "broker": _timed(check_broker),
        "channel_layer": _timed(check_channel_layer),
    }
    if include_worker:
        components["worker"] = _timed(check_worker)
    healthy = all(c["ok"] for c in components.values())
    return healthy, {
        "status": "ok" if healthy else "unavailable",
        "mode": "embedded" if settings.EMBEDDED else "services",
        "components": components,
    }
