"""Home page, role dashboards and the health endpoint."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common.health import health


def home(request: HttpRequest) -> HttpResponse:
    """Show the landing page, or send a signed-in user to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the dashboard of the user's primary role."""
    role = request.user.primary_role  # type: ignore[union-attr]
    return render(request, f"dashboards/{role}.html", {"role": role})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Report database, broker and channel layer status; 503 when one is down."""
    healthy, body = health(include_worker=request.GET.get("worker") == "1")
    return JsonResponse(body, status=200 if healthy else 503)
