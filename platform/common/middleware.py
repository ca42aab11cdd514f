"""Middleware of the site's own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SyncChainMiddleware:
    """Keep the whole middleware chain synchronous under ASGI (listed last, innermost).

    The site's views are synchronous, and WhiteNoise near the top of the chain only runs
    synchronously. Without this, Django runs the middleware between them in async mode, and every
    one of them hops to a worker thread and back for its request and response steps: a dozen
    thread switches per request. Being sync-only and innermost, this makes Django adapt once here,
    so the chain runs in one thread from WhiteNoise down to the view.
    """

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
