"""Reads of accounts: the signed-in user of a request, kept in the shared cache between requests."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from accounts.models import User

# Every signed-in page needs the user and their roles. They are cached (roles included) and
# dropped on any save of the user, any change of their groups and any group deletion; the time
# limit bounds what a write outside the ORM (a raw UPDATE) could leave stale.
USER_CACHE_SECONDS = 300


def user_cache_key(user_id: Any) -> str:
    return f"accounts:user:{user_id}"


def user_for_session(user_id: Any) -> User | None:
    """Return the user with this primary key, roles loaded, from the cache or the database."""
    key = user_cache_key(user_id)
    user: User | None = cache.get(key)
    if user is None:
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            return None
        user._role_names = set(user.groups.values_list("name", flat=True))
        cache.set(key, user, USER_CACHE_SECONDS)
    return user


def user_forget(*user_ids: Any) -> None:
    """Drop cached users, so that the next request reads them from the database."""
    if user_ids:
        cache.delete_many([user_cache_key(pk) for pk in user_ids])
