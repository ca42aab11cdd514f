"""Pages whose content is ready-made HTML, served inside a page frame rendered once per user.

The frame (head, header with the user's links, footer: base.html) depends only on who is signed
in, so for a signed-in user without pending messages it is rendered once per process, with random
per-process markers where the title, the content and the CSRF token go, and filled in per request.
Anything else (anonymous users, messages to show) renders the same template the ordinary way.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from common.csrf import masked_token

TEMPLATE = "common/framed.html"
_MARK = secrets.token_hex(16)
_TITLE, _CONTENT, _TOKEN = (f"{name}{_MARK}" for name in ("title", "content", "csrf"))
_FRAMES: OrderedDict[tuple[Any, ...], tuple[str, str, str]] = OrderedDict()
_FRAMES_MAX = 2048
_LOCK = threading.Lock()


def _frame(request: HttpRequest) -> tuple[str, str, str]:
    """Return the frame split around the content marker: (before, after, content type)."""
    user: Any = request.user
    key = (user.pk, user.email, user.is_instructor)
    with _LOCK:
        found = _FRAMES.get(key)
        if found is not None:
            _FRAMES.move_to_end(key)
            return found
    context = {"title": _TITLE, "content": _CONTENT, "csrf_token": _TOKEN, "messages": ()}
    response = render(request, TEMPLATE, context)
    before, after = response.content.decode().split(_CONTENT)
    found = (before, after, response["Content-Type"])
    with _LOCK:
        _FRAMES[key] = found
        while len(_FRAMES) > _FRAMES_MAX:
            _FRAMES.popitem(last=False)
    return found


def framed_page(request: HttpRequest, *, title: str, content: Any) -> HttpResponse:
    """Return a page of ``title`` (text) and ``content`` (safe HTML) inside the site's frame.

    ``content`` may hold ``csrf_marker()`` where its forms need the request's CSRF token.
    """
    token = masked_token(request)
    user = request.user
    if not user.is_authenticated or len(get_messages(request)):  # type: ignore[arg-type]
        body = mark_safe(str(content).replace(_TOKEN, token))  # noqa: S308 - content is safe HTML
        return render(request, TEMPLATE, {"title": title, "content": body, "csrf_token": token})
    before, after, content_type = _frame(request)
    page = "".join((before, str(content), after))
    page = page.replace(_TITLE, str(conditional_escape(title))).replace(_TOKEN, token)
    return HttpResponse(page, content_type=content_type)


def csrf_marker() -> str:
    """The stand-in for the CSRF token in content rendered ahead of a request."""
    return _TOKEN
