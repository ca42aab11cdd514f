"""Template context shared by every page."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse


@functools.cache
def _chrome() -> dict[str, Any]:
    # The page frame's links and asset URLs are the same for every request of a process (asset
    # URLs carry the content hash of the deployed build), so they are resolved once, not per page.
    return {
        "SITE_NAME": "LLM Masterclass",
        "EMBEDDED_MODE": settings.EMBEDDED,
        "ASSETS": {
            "favicon": static("favicon.svg"),
            "css": static("dist/app.css"),
            "js": static("dist/app.js"),
            "plotly": static("dist/plotly.min.js"),
        },
        "NAV": {
            name.replace("-", "_"): reverse(route)
            for name, route in (
                ("home", "home"),
                ("dashboard", "dashboard"),
                ("authoring", "admin:index"),
                ("logout", "account_logout"),
                ("login", "account_login"),
                ("signup", "account_signup"),
            )
        },
    }


def site(request: HttpRequest) -> dict[str, Any]:
    """Expose the site's name, mode, navigation links and asset URLs to templates."""
    return _chrome()
