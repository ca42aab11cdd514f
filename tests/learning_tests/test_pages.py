"""Course, module and lesson pages; done ticks, previous/next, continue link, search, progress, gradebook."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid

from django.test import Client

from catalog.models import Enrollment, Lab, Lesson, LessonCompletion
from quizzes.services import attempt_start, attempt_submit
from tests.learning_tests.conftest import RIGHT, WRONG


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_course_page_lists_modules_lessons_quiz_and_labs(course, student, quiz) -> None:  # type: ignore[no-untyped-def]
    html = client_for(student).get("/courses/example/").content.decode()
    for title in ("A line as a model", "Measuring the error", "Many inputs", quiz.title):
        assert title in html
    lab = Lab.objects.get(slug="fit-a-line")
    assert f'href="/labs/{lab.uuid}/"' in html
    assert f'href="/quizzes/{quiz.uuid}/"' in html
    assert "Start: A line as a model" in html
    module = client_for(student).get("/courses/example/basics/").content.decode()
    assert "Measuring the error" in module and f"/labs/{lab.uuid}/" in module


def test_lesson_page_navigation_and_done(course, student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    first = client.get("/courses/example/basics/a-line/").content.decode()
    assert 'rel="next" href="/courses/example/basics/loss/"' in first and 'rel="prev"' not in first
    last_of_module = client.get("/courses/example/basics/loss/").content.decode()
    # Next crosses into the next module.
    assert re.search(r'rel="next" href="/courses/example/next-steps/[\w-]+/"', last_of_module)
    assert 'data-testid="mark-done"' in first
    response = client.post("/courses/example/basics/a-line/done/")
    assert response.status_code == 302
    again = client.get("/courses/example/basics/a-line/").content.decode()
    assert 'data-testid="lesson-done-state"' in again and 'class="tick"' in again
    client.post("/courses/example/basics/a-line/done/", {"done": "0"})
    assert not LessonCompletion.objects.filter(user=student).exists()
    assert client.get("/courses/example/basics/a-line/done/").status_code == 405


def test_lesson_api_done_and_progress(course, student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    lesson = Lesson.objects.get(slug="a-line")
    assert client.post(f"/api/lessons/{lesson.uuid}/done/").json()["done"] is True
    progress = client.get("/api/progress/example/").json()
    basics = progress["modules"][0]
    assert (
        basics["lessons_done"] == 1
        and basics["lessons_total"] == 2
        and str(lesson.uuid) in basics["done_lessons"]
    )
    assert client.delete(f"/api/lessons/{lesson.uuid}/done/").json()["done"] is False
    assert client.post("/api/lessons/not-a-uuid/done/").status_code == 404


def test_dashboard_continues_where_the_learner_left_off(course, student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    assert "Start: A line as a model" in client.get("/dashboard/").content.decode()
    client.get("/courses/example/basics/loss/")
    assert Enrollment.objects.get(user=student).last_lesson.slug == "loss"
    html = client.get("/dashboard/").content.decode()
    assert "Continue where you left off: Measuring the error" in html
    assert 'href="/courses/example/basics/loss/"' in html


def test_search_finds_lessons(course, student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    html = client.get("/search/", {"q": "squared error"}).content.decode()
    assert "Measuring the error" in html and "A line as a model" not in html.split("search-hits")[1]
    assert "0 lessons found" in client.get("/search/", {"q": "zebra"}).content.decode()
    scoped = client.get("/search/", {"q": "bias", "course": "example"}).content.decode()
    assert "A line as a model" in scoped


def chart_values(html: str) -> list[list[float | None]]:
    match = re.search(r'data-testid="progress-chart" data-figure="([^"]+)"', html)
    assert match
    figure = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return [trace["y"] for trace in figure["data"]]


def test_progress_page_chart_changes(course, student, quiz, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    before = chart_values(client.get("/courses/example/progress/").content.decode())
    assert before[0][0] == 0 and before[1][0] is None
    client.post("/courses/example/basics/a-line/done/")
    attempt_submit(attempt=attempt_start(user=student, quiz=quiz), responses=RIGHT)
    after = chart_values(client.get("/courses/example/progress/").content.decode())
    assert after[0][0] == 50 and after[1][0] == round(100 * 6 / 7, 1)


def test_lesson_markdown_is_rendered_once_per_revision(course, student, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import catalog.selectors as selectors

    calls: list[int] = []
    real = selectors.render_markdown

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(selectors, "render_markdown", counting)
    client = client_for(student)
    lesson = Lesson.objects.get(slug="loss")
    # A text no earlier run rendered: the shared cache (Redis in services mode) outlives runs.
    marker = f"fresh-{uuid.uuid4().hex}"
    lesson.body += f"\n\nA paragraph {marker}."
    lesson.save()
    for _ in range(3):
        assert marker in client.get("/courses/example/basics/loss/").content.decode()
    assert len(calls) == 1
    lesson.body += f"\n\nAnd another {marker}-2."
    lesson.save()
    assert f"{marker}-2" in client.get("/courses/example/basics/loss/").content.decode()
    assert len(calls) == 2


def test_gradebook_csv_and_item_statistics(
    course, quiz, student, other_student, instructor, no_enqueue
) -> None:  # type: ignore[no-untyped-def]
    attempt_submit(attempt=attempt_start(user=student, quiz=quiz), responses=RIGHT)
    attempt_submit(attempt=attempt_start(user=other_student, quiz=quiz), responses=WRONG)
    client_for(student).post("/courses/example/basics/a-line/done/")
    client = client_for(instructor)
    page = client.get("/courses/example/gradebook/").content.decode()
    assert student.email in page and other_student.email in page
    response = client.get("/courses/example/gradebook.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_email = {r["email"]: r for r in rows}
    assert by_email[student.email][quiz.title] == str(round(100 * 6 / 7, 1))
    assert by_email[other_student.email][quiz.title] == "0.0"
    assert by_email[student.email]["Fitting a line: lessons read"] == "50.0"
    filtered = client.get("/courses/example/gradebook.csv?module=next-steps").content.decode()
    assert quiz.title not in filtered.splitlines()[0]
    assert client.get("/courses/example/gradebook/?module=nope").status_code == 404
    stats_page = client.get(f"/quizzes/{quiz.uuid}/statistics/").content.decode()
    assert 'data-testid="statistics-chart"' in stats_page


def test_item_statistics_discrimination(course, quiz, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    from quizzes.selectors import question_statistics
    from tests.factories import UserFactory
    from tests.learning_tests.conftest import Q_NUMERIC, Q_SINGLE

    # Strong learners answer everything right; weak ones only the single choice question.
    for i in range(8):
        user = UserFactory(role="student")
        answers = RIGHT if i < 4 else {**WRONG, Q_SINGLE: RIGHT[Q_SINGLE]}
        attempt_submit(attempt=attempt_start(user=user, quiz=quiz), responses=answers)
    stats = {s["question"]: s for s in question_statistics(quiz)}
    single = next(s for s in stats.values() if s["type"] == "single")
    numeric = next(s for s in stats.values() if s["type"] == "numeric")
    assert (
        single["percent_correct"] == 100 and "too easy" in single["flags"] and single["discrimination"] == 0
    )
    assert numeric["percent_correct"] == 50 and numeric["discrimination"] == 1 and not numeric["flags"]
    assert single["answered"] == 8
    assert Q_NUMERIC  # the uuids name the questions in the fixture
