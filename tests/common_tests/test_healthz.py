"""/healthz reports each component; it turns 503 when Redis goes away."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from tests.support.servers import asgi_server, free_port


def fetch(url: str) -> tuple[int, dict]:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.django_db
def test_healthz_reports_components(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["components"]) == {"database", "broker", "channel_layer"}
    assert all(component["ok"] for component in body["components"].values())


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs the redis-server binary")
def test_healthz_turns_503_when_redis_stops(transactional_db, log_dir) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.3)
        with asgi_server(
            log_dir / "site.log", REDIS_URL=f"redis://127.0.0.1:{port}/0", EMBEDDED_WORKER="0"
        ) as base:
            status, body = fetch(f"{base}/healthz")
            assert status == 200, body
            assert body["mode"] == "services"
            redis.terminate()
            redis.wait(timeout=10)
            status, body = fetch(f"{base}/healthz")
            assert status == 503
            assert body["status"] == "unavailable"
            assert body["components"]["broker"]["ok"] is False
            assert body["components"]["database"]["ok"] is True
    finally:
        if redis.poll() is None:
            redis.kill()
