"""Websocket routes."""

from __future__ import annotations

from django.urls import path

from common.consumers import UserEventsConsumer
from jobs.consumers import JobStreamConsumer

websocket_urlpatterns = [
    path("ws/me/", UserEventsConsumer.as_asgi()),
    path("ws/jobs/<str:job_uuid>/", JobStreamConsumer.as_asgi()),
]
