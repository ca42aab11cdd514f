"""CSRF tokens for templates, masked with random bytes drawn from the system in batches.

Django masks the CSRF secret afresh for every page (so the token in the HTML differs per response,
against BREACH) by drawing 32 characters with one system call each. Under a threaded ASGI server
every such call gives up the GIL and waits to take it back behind the event loop, which made
masking the largest cost of a cached lesson page. Here the mask (uniform over the same alphabet)
comes from a per-process buffer of os.urandom bytes, each byte used once, refilled with one call
per few dozen pages and never shared with a forked child; the token is built exactly as Django
builds it, so CsrfViewMiddleware checks it as usual. A request without a secret yet goes through
Django's get_token, which makes and stores one.
"""

from __future__ import annotations

import os
import secrets
import threading
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

_INDEX = {char: i for i, char in enumerate(CSRF_ALLOWED_CHARS)}
_BASE = len(CSRF_ALLOWED_CHARS)
_LIMIT = 256 - 256 % _BASE  # bytes at or above this would bias the draw; they are skipped


_BATCH = 4096
_pool = bytearray()
_pool_pid = 0
_pool_lock = threading.Lock()


def _random_bytes(count: int) -> bytes:
    """Return ``count`` fresh random bytes from this process's buffer of os.urandom output."""
    global _pool_pid
    with _pool_lock:
        if _pool_pid != os.getpid():  # a forked child must not replay its parent's bytes
            _pool.clear()
            _pool_pid = os.getpid()
        if len(_pool) < count:
            _pool.extend(secrets.token_bytes(max(_BATCH, count)))
        taken = bytes(_pool[:count])
        del _pool[:count]
    return taken


def _mask() -> list[int]:
    digits: list[int] = []
    while len(digits) < CSRF_SECRET_LENGTH:
        digits += [b % _BASE for b in _random_bytes(2 * CSRF_SECRET_LENGTH) if b < _LIMIT]
    return digits[:CSRF_SECRET_LENGTH]


def masked_token(request: HttpRequest) -> str:
    """Return a fresh masked token for the request's CSRF secret (what get_token returns)."""
    secret = request.META.get("CSRF_COOKIE")
    try:
        indexes = [_INDEX[c] for c in secret] if secret and len(secret) == CSRF_SECRET_LENGTH else None
    except KeyError:
        indexes = None
    if indexes is None:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # renew the cookie's expiry, as get_token does
    mask = _mask()
    chars = CSRF_ALLOWED_CHARS
    return "".join(
        [chars[m] for m in mask] + [chars[(i + m) % _BASE] for i, m in zip(indexes, mask, strict=True)]
    )


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: ``csrf_token`` for ``{% csrf_token %}``, made on first use."""
    return {"csrf_token": SimpleLazyObject(lambda: masked_token(request))}
