"""The embedded default: a Celery worker inside the server process, sharing its event loop."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from django.conf import settings

from common.events import register_server_loop

log = logging.getLogger(__name__)
_started = threading.Event()


def start_embedded_worker() -> threading.Thread | None:
    """Start one in-process Celery worker (threads pool) consuming every queue, once."""
    if _started.is_set():
        return None
    _started.set()
    from celery.worker import WorkController

    from config.celery import app

    app.conf.broker_transport_options = {"polling_interval": 0.02}
    worker = WorkController(
        app=app,
        pool_cls="threads",
        concurrency=2,
        queues=settings.EMBEDDED_WORKER_QUEUES,
        without_heartbeat=True,
        without_mingle=True,
        without_gossip=True,
        hostname="embedded@localhost",
        loglevel="INFO",
    )
    thread = threading.Thread(target=worker.start, name="embedded-celery-worker", daemon=True)
    thread.start()
    log.info("embedded Celery worker started (queues: %s)", ", ".join(settings.EMBEDDED_WORKER_QUEUES))
    return thread


class EmbeddedServicesMiddleware:
    """ASGI wrapper: on the first event, register the loop and start the embedded worker."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._ready = False

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if not self._ready:
            self._ready = True
            register_server_loop(asyncio.get_running_loop())
            if settings.EMBEDDED_WORKER:
                start_embedded_worker()
        return await self.app(scope, receive, send)
