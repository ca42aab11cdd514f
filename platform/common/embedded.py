"""The embedded default: a Celery worker inside the server process, sharing its event loop."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
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
    from config.celery import app

    def run() -> None:
        # Built in its own thread: Celery's Django set-up must not run on the server's loop.
        from celery.worker import WorkController

        app.conf.broker_transport_options = {"polling_interval": 0.02}
        WorkController(
            app=app,
            pool_cls="threads",
            concurrency=2,
            queues=settings.EMBEDDED_WORKER_QUEUES,
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
            hostname="embedded@localhost",
            loglevel="INFO",
        ).start()

    thread = threading.Thread(target=run, name="embedded-celery-worker", daemon=True)
    thread.start()
    threading.Thread(target=_warm_sandbox, name="sandbox-warm-up", daemon=True).start()
    threading.Thread(target=_sweep_periodically, args=(app,), name="jobs-sweeper", daemon=True).start()
    log.info("embedded Celery worker started (queues: %s)", ", ".join(settings.EMBEDDED_WORKER_QUEUES))
    return thread


def _warm_sandbox() -> None:
    from jobs.runner import sandbox_backend

    try:
        sandbox_backend()
    except Exception:  # noqa: BLE001 - reported again, to the learner, when a job runs
        log.exception("the sandbox could not be prepared")


def _sweep_periodically(app: Any, every: float = 30.0) -> None:
    """Play Celery beat's part in the embedded mode: look for lost jobs now and then."""
    while True:
        app.send_task("workers.tasks.jobs_sweep_lost")
        time.sleep(every)


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
