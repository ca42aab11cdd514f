"""ASGI entry point: HTTP and websockets in one application."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

_PLATFORM = Path(__file__).resolve().parent.parent
for _entry in (str(_PLATFORM), str(_PLATFORM.parent)):
    if _entry not in sys.path:
        sys.path.insert(0, _entry)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from common.embedded import EmbeddedServicesMiddleware  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402

# Everything loaded so far lives as long as the process: keep it out of the collector's
# full passes, whose pauses would otherwise show as latency spikes on live streams.
gc.freeze()

application = EmbeddedServicesMiddleware(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
        }
    )
)
