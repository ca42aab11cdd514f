"""Websockets: session-authenticated users connect; anonymous users and foreign origins do not."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application


async def session_headers(user) -> list[tuple[bytes, bytes]]:  # type: ignore[no-untyped-def]
    client = Client()
    await sync_to_async(client.force_login)(user)
    cookie = client.cookies["sessionid"].value
    return [
        (b"origin", b"http://localhost"),
        (b"cookie", f"sessionid={cookie}".encode()),
        (b"host", b"localhost"),
    ]


@pytest.mark.django_db(transaction=True)
async def test_authenticated_websocket_connects(student) -> None:  # type: ignore[no-untyped-def]
    communicator = WebsocketCommunicator(application, "/ws/me/", headers=await session_headers(student))
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from()
    assert hello == {"type": "hello", "user": student.email}
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_anonymous_websocket_on_private_route_is_refused() -> None:
    communicator = WebsocketCommunicator(
        application, "/ws/me/", headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")]
    )
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401


@pytest.mark.django_db(transaction=True)
async def test_websocket_from_foreign_origin_is_refused(student) -> None:  # type: ignore[no-untyped-def]
    headers = [(k, v) for k, v in await session_headers(student) if k != b"origin"]
    headers.append((b"origin", b"http://evil.example"))
    communicator = WebsocketCommunicator(application, "/ws/me/", headers=headers)
    connected, _ = await communicator.connect()
    assert not connected
