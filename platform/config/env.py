"""Typed readers for environment variables; a bad value stops start-up with a clear message."""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn
from urllib.parse import urlparse

import dj_database_url

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def fail(name: str, problem: str) -> NoReturn:
    """Print what is wrong with one variable and stop (no traceback: this is bad input)."""
    sys.stderr.write(f"Configuration error: {name} {problem}\n")
    raise SystemExit(2)


def env_str(name: str, default: str = "") -> str:
    """Return a string variable, or the default when unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean variable (1/0, true/false, yes/no, on/off)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    fail(name, f"must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return an integer variable, checked against a lower bound."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        fail(name, f"must be a whole number, not {raw!r}")
    if minimum is not None and value < minimum:
        fail(name, f"must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_env(name: str, sqlite_path: str) -> dict[str, Any]:
    """Return Django's DATABASES['default'] from a URL, or SQLite when the variable is unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            # A file, not memory, so servers started by tests share the test database; one per
            # test process, so concurrent test runs never share one.
            "TEST": {"NAME": str(sqlite_path).replace(".sqlite3", f"-test-{os.getpid()}.sqlite3")},
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parsed = urlparse(raw)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        fail(name, f"must be a postgres://user@host:port/dbname URL, got scheme {parsed.scheme!r}")
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
        _ = parsed.port  # raises ValueError on a malformed port
    except ValueError as exc:
        fail(name, f"is not a valid database URL ({exc})")
    if not config.get("NAME"):
        fail(name, "names no database: add /dbname at the end")
    return dict(config)


def redis_from_env(name: str) -> str:
    """Return a validated redis:// URL, or '' when unset (the embedded default)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in {"redis", "rediss", "unix"}:
        fail(name, f"must be a redis://host:port/db URL, got scheme {parsed.scheme!r}")
    try:
        port = parsed.port
    except ValueError as exc:
        fail(name, f"is not a valid Redis URL ({exc})")
    if parsed.scheme != "unix" and not parsed.hostname:
        fail(name, "names no host: use redis://host:port/db")
    path = parsed.path.strip("/")
    if path and not path.isdigit():
        fail(name, f"database must be a number, not {path!r}")
    del port
    return raw
