"""Fixtures for the learning experience: the example course, its quiz, right and wrong answers."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.models import Course
from catalog.services import course_import
from quizzes.models import Quiz
from tests.support.servers import ROOT

EXAMPLE = ROOT / "courses" / "example"
QUIZ_UUID = "d144ae7d-f4bb-4af2-858b-76e51bccf783"
Q_SINGLE = "53c6ed85-a4ae-4b8a-bfac-153cb530851c"
Q_MULTIPLE = "e1760e0d-5e9d-4ecf-8680-c946e8fc4c37"
Q_NUMERIC = "1f2c39b4-9027-4202-9022-4a65868fa920"
Q_TEXT = "79a89617-4a75-4e61-a62f-62314dfebf42"
Q_ORDERING = "c711bbc5-1d0e-4354-92c3-40ef322c9447"
Q_CODE = "f170e7fc-a198-4780-b9a0-6de30bb290da"

RIGHT: dict[str, Any] = {
    Q_SINGLE: {"choice": "The prediction at x = 0"},
    Q_MULTIPLE: {
        "choices": [
            "It is never negative",
            "It punishes large errors more than small ones",
            "It is smooth in w and b",
        ]
    },
    Q_NUMERIC: {"value": "4.005"},
    Q_TEXT: {"text": "Stochastic Gradient Descent"},
    Q_ORDERING: {"order": ["predict", "compute the loss", "compute the gradients", "update w and b"]},
    Q_CODE: {"code": "def predict(x, w, b):\n    return w * x + b\n"},
}
WRONG: dict[str, Any] = {
    Q_SINGLE: {"choice": "The slope"},
    Q_MULTIPLE: {"choices": ["It is never negative", "It is the same as accuracy"]},
    Q_NUMERIC: {"value": "4.5"},
    Q_TEXT: {"text": "newton"},
    Q_ORDERING: {"order": ["compute the loss", "predict", "compute the gradients", "update w and b"]},
    Q_CODE: {"code": "def predict(x, w, b):\n    return 0\n"},
}


@pytest.fixture
def course(db) -> Course:  # type: ignore[no-untyped-def]
    return course_import(path=EXAMPLE).course


@pytest.fixture
def quiz(course: Course) -> Quiz:
    return Quiz.objects.get(uuid=QUIZ_UUID)


@pytest.fixture
def no_enqueue(monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Record the runs code answers queue instead of sending them to a broker."""
    sent: list[int] = []
    import jobs.services

    monkeypatch.setattr(jobs.services, "_enqueue", lambda job, wall: sent.append(job.pk))
    return sent


@pytest.fixture(autouse=True)
def roomy_job_limits(settings) -> None:  # type: ignore[no-untyped-def]
    """Code answers queue runs that never finish here: let several wait at once."""
    settings.JOBS_MAX_ACTIVE_PER_USER = 100
    settings.JOBS_DAILY_QUOTA = 1000
