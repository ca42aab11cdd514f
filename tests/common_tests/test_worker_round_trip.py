"""A task sent through the running site reaches a real worker and its result comes back."""

from __future__ import annotations

import json
from urllib.request import urlopen

import pytest

from tests.support.servers import asgi_server, celery_worker


def worker_health(base: str) -> dict:
    with urlopen(f"{base}/healthz?worker=1", timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())


@pytest.mark.slow
def test_embedded_default_runs_tasks_in_process(transactional_db, log_dir) -> None:  # type: ignore[no-untyped-def]
    with asgi_server(log_dir / "site.log", REDIS_URL="", EMBEDDED_WORKER="1") as base:
        body = worker_health(base)
    assert body["mode"] == "embedded"
    assert body["components"]["worker"]["ok"] is True
    assert "embedded Celery worker started" in (log_dir / "site.log").read_text()


@pytest.mark.slow
@pytest.mark.services
def test_services_mode_uses_a_separate_worker_on_redis(transactional_db, log_dir) -> None:  # type: ignore[no-untyped-def]
    with (
        celery_worker(log_dir / "worker.log", queues="default"),
        asgi_server(log_dir / "site.log", EMBEDDED_WORKER="0") as base,
    ):
        body = worker_health(base)
    assert body["mode"] == "services"
    assert body["components"]["broker"]["detail"] == "redis"
    assert body["components"]["worker"]["ok"] is True
    log = (log_dir / "worker.log").read_text()
    assert "workers.tasks.ping" in log and "succeeded" in log
