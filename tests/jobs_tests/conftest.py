"""Fixtures for the job pipeline: the example course's lab, and a scripted sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from catalog.models import Lab
from catalog.services import course_import
from jobs import runner
from tests.support.servers import ROOT

LAB_UUID = "4dddae2a-697b-4d09-b365-9c2db269e12c"


@pytest.fixture
def lab(db) -> Lab:  # type: ignore[no-untyped-def]
    course_import(path=ROOT / "courses" / "example")
    return Lab.objects.get(uuid=LAB_UUID)


@pytest.fixture
def fake_sandbox(monkeypatch) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """Replace the worker's backend with a scripted one; yield a function that scripts it."""
    from sandbox.backends.fake import FakeBackend

    holder: dict[str, Any] = {"backend": FakeBackend()}
    monkeypatch.setattr(runner, "sandbox_backend", lambda: holder["backend"])
    import jobs.services

    monkeypatch.setattr(jobs.services, "sandbox_backend", lambda: holder["backend"])

    def script(**kwargs: Any) -> FakeBackend:
        holder["backend"] = FakeBackend(**kwargs)
        return holder["backend"]

    yield script


@pytest.fixture
def no_enqueue(monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Record enqueued job ids instead of sending them to a broker."""
    sent: list[int] = []
    import jobs.services

    monkeypatch.setattr(jobs.services, "_enqueue", lambda job, wall: sent.append(job.pk))
    return sent
