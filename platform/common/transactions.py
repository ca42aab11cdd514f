"""Helpers around database transactions."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction


def now_and_after_commit(action: Callable[[], None]) -> None:
    """Run ``action`` now and, inside a transaction, again once it commits.

    For dropping cached reads on a write: now, so the writing request sees its change; after the
    commit, so no request that read the old rows in between keeps them cached.
    """
    action()
    if connection.in_atomic_block:
        transaction.on_commit(action)
