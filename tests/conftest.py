"""Fixtures for every suite: a standing cast of users, live servers, a real browser."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import PASSWORD, UserFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def services_available() -> bool:
    """Return whether PostgreSQL and Redis were configured (services mode)."""
    return bool(os.environ.get("DATABASE_URL")) and bool(os.environ.get("REDIS_URL"))


def pytest_configure(config: pytest.Config) -> None:
    # Cached users, ticks and course stamps are keyed by database ids, which a fresh test database
    # hands out again: each run keeps its cache entries apart (servers it starts inherit this).
    prefix = os.environ.setdefault("CACHE_KEY_PREFIX", f"test-{os.getpid()}-{time.time_ns()}")
    from django.conf import settings

    settings.CACHES["default"]["KEY_PREFIX"] = prefix


@pytest.fixture(autouse=True)
def _fresh_local_caches() -> Iterator[None]:
    """Start every test with empty in-process caches (ids come back after a rolled-back test)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests last: Playwright's sync API keeps an event loop on the main thread.
    items.sort(key=lambda item: "e2e" in item.keywords)
    skip = pytest.mark.skip(reason="services mode only: set DATABASE_URL and REDIS_URL")
    for item in items:
        if "services" in item.keywords and not services_available():
            item.add_marker(skip)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def student(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="student@test.example", role="student")


@pytest.fixture
def other_student(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="other@test.example", role="student")


@pytest.fixture
def instructor(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="instructor@test.example", role="instructor")


@pytest.fixture
def ops_user(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="ops@test.example", role="ops")


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    """A signed-up user with no role in any course."""
    return UserFactory(email="outsider@test.example")


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    path = tmp_path / "logs"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real Chromium (Debian's), driven by Playwright."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def site(transactional_db, log_dir: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The site under Daphne on the test database, in the mode the environment selects.

    With REDIS_URL set: Redis channel layer and broker, plus a separate Celery worker on every
    queue; otherwise the embedded default with its in-process worker.
    """
    from tests.support.servers import asgi_server, celery_worker

    if os.environ.get("REDIS_URL"):
        with (
            celery_worker(log_dir / "worker.log", queues="default,jobs.cpu,jobs.gpu"),
            asgi_server(log_dir / "site.log", EMBEDDED_WORKER="0") as base,
        ):
            yield base
    else:
        with asgi_server(log_dir / "site.log", EMBEDDED_WORKER="1") as base:
            yield base
