"""docker-compose.yml agrees with the code: commands, images, queues, environment."""

from __future__ import annotations

import importlib
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests.support.servers import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def command(name: str) -> list[str]:
    cmd = SERVICES[name]["command"]
    return shlex.split(cmd) if isinstance(cmd, str) else list(cmd)


def queues(name: str) -> set[str]:
    cmd = command(name)
    return set(cmd[cmd.index("-Q") + 1].split(","))


def test_every_service_is_there() -> None:
    assert set(SERVICES) == {"web", "worker-cpu", "worker-gpu", "beat", "postgres", "redis", "flower"}


@pytest.mark.parametrize("name", ["web", "worker-cpu", "worker-gpu", "beat", "flower"])
def test_app_services_build_the_project_image(name: str) -> None:
    build = SERVICES[name]["build"]
    assert (ROOT / build["context"] / build["dockerfile"]).is_file()
    env = SERVICES[name]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379")
    assert "DJANGO_SECRET_KEY" in env


def test_workers_consume_exactly_the_queues_the_code_routes_to() -> None:
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    consumed = queues("worker-cpu") | queues("worker-gpu")
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} == consumed
    assert "jobs.gpu" in queues("worker-gpu") and "jobs.gpu" not in queues("worker-cpu")
    assert set(settings.EMBEDDED_WORKER_QUEUES) == consumed


def test_celery_commands_name_the_real_app() -> None:
    for name in ["worker-cpu", "worker-gpu", "beat", "flower"]:
        cmd = command(name)
        assert cmd[:3] == ["celery", "-A", "workers"], name
    module = importlib.import_module(command("worker-cpu")[2])
    assert module.app.main == "masterclass"


def test_gpu_worker_reserves_a_gpu_and_never_forks_after_cuda() -> None:
    gpu = SERVICES["worker-gpu"]
    devices = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]
    cmd = command("worker-gpu")
    assert cmd[cmd.index("--pool") + 1] == "solo"


def test_web_serves_the_asgi_application_after_migrating() -> None:
    cmd = " ".join(command("web"))
    assert "manage.py migrate" in cmd
    target = cmd.split("daphne")[1].split()[-1]
    module_name, attr = target.split(":")
    assert module_name == "config.asgi" and attr == "application"
    assert (ROOT / "platform" / "config" / "asgi.py").is_file()


def test_sandbox_backend_of_production_is_a_real_class() -> None:
    path = SERVICES["web"]["environment"]["SANDBOX_BACKEND"].split(":-")[-1].rstrip("}")
    module_name, _, cls = path.rpartition(".")
    module = importlib.import_module(module_name)
    assert isinstance(getattr(module, cls), type)


def test_dockerfile_copies_and_builds_what_the_site_needs() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "requirements.txt" in text and "npm run build" in text and "collectstatic" in text
    assert "USER app" in text, "the image must not run as root"
    assert Path(ROOT / "package-lock.json").is_file()
