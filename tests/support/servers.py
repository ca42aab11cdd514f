"""Start real servers for tests: the ASGI site (Daphne) and Celery workers, as subprocesses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_env() -> dict[str, str]:
    """Point a subprocess at the database the tests use (the test database)."""
    db = settings.DATABASES["default"]
    if settings.USING_POSTGRES:
        user = db.get("USER") or "postgres"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        url = f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
        return {"DATABASE_URL": url}
    return {"DATABASE_URL": "", "SQLITE_PATH": str(db["NAME"])}


def base_env(**overrides: str) -> dict[str, str]:
    """Return the environment for a server or worker subprocess."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_HTTPS="0",
        DJANGO_DEBUG="0",
        FAST_PASSWORD_HASHER="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(database_env())
    env.update(overrides)
    return env


def wait_http(url: str, timeout: float = 30.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until a URL answers (any HTTP status), or fail with the process output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urlopen(url, timeout=2).close()
            return
        except URLError as exc:
            if hasattr(exc, "code"):
                return
            time.sleep(0.1)
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@contextmanager
def asgi_server(log_path: Path, **env: str) -> Iterator[str]:
    """Run the site under Daphne on a free port; yield its base URL."""
    port = free_port()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [PYTHON, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env=base_env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(f"{base}/healthz", proc=proc)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def celery_worker(log_path: Path, queues: str = "default", **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run a separate Celery worker process (services mode); yield the process."""
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "workers",
                "worker",
                "-Q",
                queues,
                "-P",
                "threads",
                "-c",
                "2",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"test-{free_port()}@%h",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=base_env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
