from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts import signals
        from accounts.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
        signals.connect()
