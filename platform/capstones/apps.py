from __future__ import annotations

from django.apps import AppConfig


class CapstonesConfig(AppConfig):
    name = "capstones"
