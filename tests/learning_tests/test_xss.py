"""Script payloads in a lesson and in a quiz explanation render inert (HTML checks; the browser test is e2e)."""

from __future__ import annotations

import pytest
from django.test import Client

from catalog.services import course_import
from quizzes.models import Quiz
from tests.learning_tests.conftest import QUIZ_UUID, RIGHT
from tests.learning_tests.payloads import hostile_course, live_problems


def body_of(html: str, marker: str) -> str:
    """Return the page from a marker on (the site's own head scripts are not content)."""
    return html[html.index(marker) :]


@pytest.fixture
def hostile(db, tmp_path):  # type: ignore[no-untyped-def]
    return course_import(path=hostile_course(tmp_path)).course


def assert_inert(html: str) -> None:
    assert live_problems(html) == []
    lowered = html.lower()
    assert "<script" not in lowered and "onerror=" not in lowered and "onload=" not in lowered


def test_lesson_payloads_render_inert(hostile, student) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(student)
    html = client.get("/courses/example/basics/a-line/").content.decode()
    lesson = body_of(html, 'class="lesson-body"')
    assert "html link" in lesson and "svg link" not in lesson
    assert_inert(lesson.split("</main>")[0])
    api = client.get("/api/lessons/328ba416-1f0c-4a2d-a058-e49a9a25dbf7/").json()
    assert_inert(api["html"])


def test_explanation_payloads_render_inert(hostile, student, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(student)
    quiz = Quiz.objects.get(uuid=QUIZ_UUID)
    attempt = client.post(f"/api/quizzes/{quiz.uuid}/attempts/").json()
    body = client.post(
        f"/api/attempts/{attempt['uuid']}/submit/", {"answers": RIGHT}, content_type="application/json"
    ).json()
    explanation = body["questions"][0]["explanation_html"]
    assert "prediction is b" in explanation
    assert_inert(explanation)
    html = client.get(f"/attempts/{attempt['uuid']}/").content.decode()
    assert "prediction is b" in html
    assert_inert(body_of(html, "<main").split("</main>")[0])
