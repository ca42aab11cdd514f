"""One subscription per job and server process, fanned out to every local viewer.

A job watched by hundreds of people sends each batch once to this process; it is encoded
once and written to each viewer's socket directly, instead of going through the channel
layer's per-consumer queue and dispatch for every viewer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from typing import Any, Protocol

from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


class Viewer(Protocol):
    async def deliver(self, text: str) -> None: ...


class _Subscription:
    def __init__(self, group: str) -> None:
        self.group = group
        self.viewers: set[Viewer] = set()
        self.layer = get_channel_layer()
        self.channel = ""
        self.task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    async def start(self) -> None:
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.channel)
        self.task = asyncio.create_task(self._listen())
        self.ready.set()

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        await self.layer.group_discard(self.group, self.channel)

    async def _listen(self) -> None:
        while True:
            message = await self.layer.receive(self.channel)
            text = _encode(message)
            if text is None:
                continue
            for viewer in list(self.viewers):
                try:
                    await viewer.deliver(text)
                except Exception:  # noqa: BLE001 - one broken socket must not stop the others
                    log.exception("delivery to a viewer of %s failed", self.group)


def _encode(message: dict[str, Any]) -> str | None:
    kind = message.get("type")
    if kind == "job.metrics":
        return str(message["text"])
    if kind == "job.status":
        return json.dumps(message)
    if kind == "job.log":
        return json.dumps({"type": "log", "lines": message.get("lines", [])})
    return None


# Per event loop (a server has one; test runs make many): its lock and subscriptions.
_state: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, tuple[asyncio.Lock, dict[str, _Subscription]]
] = weakref.WeakKeyDictionary()


def _loop_state() -> tuple[asyncio.Lock, dict[str, _Subscription]]:
    loop = asyncio.get_running_loop()
    if loop not in _state:
        _state[loop] = (asyncio.Lock(), {})
    return _state[loop]


async def join(group: str, viewer: Viewer) -> None:
    """Add a viewer; the first one of a group subscribes this process to it (awaited)."""
    lock, subscriptions = _loop_state()
    async with lock:
        subscription = subscriptions.get(group)
        if subscription is None:
            subscription = subscriptions[group] = _Subscription(group)
            await subscription.start()
        subscription.viewers.add(viewer)
    await subscription.ready.wait()


async def leave(group: str, viewer: Viewer) -> None:
    """Remove a viewer; the last one unsubscribes this process from the group."""
    lock, subscriptions = _loop_state()
    async with lock:
        subscription = subscriptions.get(group)
        if subscription is None:
            return
        subscription.viewers.discard(viewer)
        if not subscription.viewers:
            del subscriptions[group]
            await subscription.stop()
