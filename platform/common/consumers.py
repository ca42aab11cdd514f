"""Websocket consumers shared by all apps."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class UserEventsConsumer(AsyncJsonWebsocketConsumer):
    """A signed-in user's private notification stream (group ``user-<id>``)."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = f"user-{user.pk}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "user": user.email})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def user_notify(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "notify", "payload": event.get("payload")})
