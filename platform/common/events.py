"""Send events to Channels groups from any thread, after the transaction commits.

Channels' in-memory layer lives on the server's event loop and its queues are not
thread-safe, so a worker thread of the embedded mode hands each send to that loop.  With a
Redis layer any thread may send through its own connection.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)
_server_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()


def register_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Remember the loop that owns the in-memory channel layer (the ASGI server's)."""
    global _server_loop
    with _lock:
        _server_loop = loop


def server_loop() -> asyncio.AbstractEventLoop | None:
    """Return the registered server loop, if it is still running."""
    loop = _server_loop
    return loop if loop is not None and loop.is_running() and not loop.is_closed() else None


def group_send(group: str, message: dict[str, Any]) -> None:
    """Send a message to a group now, from sync code in any thread."""
    layer = get_channel_layer()
    if layer is None:
        return
    loop = server_loop()
    if isinstance(layer, InMemoryChannelLayer) and loop is not None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            loop.create_task(layer.group_send(group, message))
            return
        future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
        future.add_done_callback(_log_failure)
        return
    async_to_sync(layer.group_send)(group, message)


def send_event_on_commit(group: str, message: dict[str, Any]) -> None:
    """Send a message to a group once the current transaction commits."""
    transaction.on_commit(lambda: group_send(group, message))


def _log_failure(future: Any) -> None:
    exc = future.exception()
    if exc is not None:
        log.warning("group_send failed: %s", exc)
