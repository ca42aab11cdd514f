"""Websocket routes."""

from __future__ import annotations

from django.urls import path

from common.consumers import UserEventsConsumer

websocket_urlpatterns = [
    path("ws/me/", UserEventsConsumer.as_asgi()),
]
