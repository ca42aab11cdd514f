"""Authentication backends that read the signed-in user from the cache (see accounts.selectors)."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from accounts.selectors import user_for_session


class CachedUserMixin(ModelBackend):
    """Look up the signed-in user of a request in the cache (active users only, as Django does)."""

    def get_user(self, user_id: Any) -> User | None:
        user = user_for_session(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class CachedModelBackend(CachedUserMixin):
    """Django's model backend (passwords, permissions), with the per-request user lookup cached."""


class CachedEmailBackend(CachedUserMixin, AuthenticationBackend):
    """allauth's email login backend, with the per-request user lookup cached."""
