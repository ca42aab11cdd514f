"""Who sees what: another learner's attempts and progress are 404 (pages and API); instructors see them."""

from __future__ import annotations

import pytest
from django.test import Client

from quizzes.services import attempt_start, attempt_submit
from tests.learning_tests.conftest import RIGHT


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def submitted(student, quiz, no_enqueue):  # type: ignore[no-untyped-def]
    attempt = attempt_start(user=student, quiz=quiz)
    return attempt_submit(attempt=attempt, responses=RIGHT)


@pytest.fixture
def open_attempt(student, quiz):  # type: ignore[no-untyped-def]
    return attempt_start(user=student, quiz=quiz)


def urls_of_student(attempt, student) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        f"/attempts/{attempt.uuid}/",
        f"/api/attempts/{attempt.uuid}/",
        f"/api/attempts/{attempt.uuid}/results/",
        f"/courses/example/progress/{student.pk}/",
        f"/api/progress/example/?user={student.pk}",
    ]


def test_another_student_gets_404(submitted, student, other_student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(other_student)
    for url in urls_of_student(submitted, student):
        assert client.get(url).status_code == 404, url
    # Own progress is fine, and says nothing of the other learner.
    mine = client.get("/api/progress/example/").json()
    assert mine["user"] == other_student.pk and mine["percent"] == 0


def test_another_student_cannot_answer_or_submit(open_attempt, other_student, instructor) -> None:  # type: ignore[no-untyped-def]
    for user in (other_student, instructor):
        client = client_for(user)
        first = next(iter(RIGHT))
        assert (
            client.put(
                f"/api/attempts/{open_attempt.uuid}/answers/{first}/",
                {"response": RIGHT[first]},
                content_type="application/json",
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/api/attempts/{open_attempt.uuid}/submit/",
                {"answers": RIGHT},
                content_type="application/json",
            ).status_code
            == 404
        )
        assert client.post(f"/attempts/{open_attempt.uuid}/", {}).status_code == 404
    open_attempt.refresh_from_db()
    assert open_attempt.submitted_at is None


def test_instructor_reads_attempts_progress_and_gradebook(submitted, student, instructor) -> None:  # type: ignore[no-untyped-def]
    client = client_for(instructor)
    for url in urls_of_student(submitted, student):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/api/progress/example/?user={student.pk}").json()["user"] == student.pk
    assert client.get("/courses/example/gradebook/").status_code == 200
    assert client.get("/api/gradebook/example/").status_code == 200


@pytest.mark.parametrize("who", ["student", "other_student", "outsider"])
def test_learners_have_no_gradebook_or_statistics(who, request, quiz) -> None:  # type: ignore[no-untyped-def]
    client = client_for(request.getfixturevalue(who))
    for url in (
        "/courses/example/gradebook/",
        "/courses/example/gradebook.csv",
        "/api/gradebook/example/",
        f"/quizzes/{quiz.uuid}/statistics/",
    ):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_log_in(submitted, quiz) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for url in (
        f"/attempts/{submitted.uuid}/",
        "/courses/example/",
        f"/quizzes/{quiz.uuid}/",
        "/courses/example/progress/",
    ):
        assert client.get(url).status_code == 302
    assert client.get(f"/api/attempts/{submitted.uuid}/").status_code in (401, 403)


def test_draft_quiz_is_404_for_learners(quiz, student, instructor) -> None:  # type: ignore[no-untyped-def]
    quiz.status = "draft"
    quiz.save()
    assert client_for(student).get(f"/quizzes/{quiz.uuid}/").status_code == 404
    assert client_for(student).post(f"/api/quizzes/{quiz.uuid}/attempts/").status_code == 404
    assert client_for(instructor).get(f"/quizzes/{quiz.uuid}/").status_code == 200
