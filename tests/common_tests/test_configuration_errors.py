"""Bad configuration stops start-up with a message naming the variable, not a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.servers import ROOT, base_env


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("DATABASE_URL", "postgres://user@host:notaport/db", "DATABASE_URL"),
        ("DATABASE_URL", "mysql://root@localhost/db", "DATABASE_URL must be a postgres://"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:5432", "DATABASE_URL names no database"),
        ("REDIS_URL", "http://127.0.0.1:6379/0", "REDIS_URL must be a redis://"),
        ("REDIS_URL", "redis://127.0.0.1:port/0", "REDIS_URL is not a valid Redis URL"),
        ("REDIS_URL", "redis://127.0.0.1:6379/zero", "REDIS_URL database must be a number"),
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG must be true or false"),
        ("SANDBOX_POOL_SIZE", "-1", "SANDBOX_POOL_SIZE must be at least 0"),
    ],
)
def test_malformed_variable_is_named_without_traceback(name: str, value: str, fragment: str) -> None:
    result = manage("check", **{name: value})
    assert result.returncode == 2, result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_asgi_server_refuses_to_start_on_bad_redis_url() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import config.asgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=base_env(REDIS_URL="redis//nohost"),
        timeout=120,
    )
    assert result.returncode == 2
    assert "REDIS_URL" in result.stderr and "Traceback" not in result.stderr


def test_deploy_check_is_clean_with_production_variables() -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="1",
        DJANGO_SECRET_KEY="k3y-" + "x9Qm2vLp8Zr4Tn6Wb1Yc5Hd7Jf0Gs3Ka" * 2,
        DJANGO_ALLOWED_HOSTS="masterclass.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
