"""Instructors author content in the admin; students, ops and anonymous users get none of it."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from catalog.models import Course, Lesson
from quizzes.models import Question

pytestmark = pytest.mark.django_db

AUTHORING_URLS = [
    "/admin/catalog/course/",
    "/admin/catalog/lesson/",
    "/admin/quizzes/question/",
    "/admin/capstones/capstone/",
    "/admin/reviews/rubric/",
]


def question_post(question: Question, **changes: Any) -> dict[str, Any]:
    data = {
        "quiz": question.quiz_id,
        "order": question.order,
        "type": question.type,
        "prompt": question.prompt,
        "options": "\n".join(question.options),
        "answers": "\n".join(question.answers),
        "numeric_answer": "" if question.numeric_answer is None else question.numeric_answer,
        "tolerance": "" if question.tolerance is None else question.tolerance,
        "accepted": "\n".join(question.accepted),
        "pattern": question.pattern,
        "starter": question.starter,
        "checks": question.checks,
        "explanation": question.explanation,
        "points": question.points,
        "status": question.status,
    }
    if question.case_sensitive:
        data["case_sensitive"] = "on"
    data.update(changes)
    return data


def lesson_post(lesson: Lesson, **changes: Any) -> dict[str, Any]:
    data = {
        "module": lesson.module_id,
        "title": lesson.title,
        "slug": lesson.slug,
        "path": lesson.path,
        "summary": lesson.summary,
        "body": lesson.body,
        "order": lesson.order,
        "status": lesson.status,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["anonymous", "student", "ops_user", "outsider"])
def test_non_authors_reach_no_authoring_page(client, request, course: Course, who: str) -> None:  # type: ignore[no-untyped-def]
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    lesson = Lesson.objects.first()
    for url in [*AUTHORING_URLS, f"/admin/catalog/lesson/{lesson.pk}/change/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    response = client.post(f"/admin/catalog/lesson/{lesson.pk}/change/", lesson_post(lesson, title="Hacked"))
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.title != "Hacked"


def test_instructor_sees_the_course_tree_and_a_preview(client, instructor, course: Course) -> None:  # type: ignore[no-untyped-def]
    client.force_login(instructor)
    for url in AUTHORING_URLS:
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/catalog/course/{course.pk}/change/").content.decode()
    assert "Fitting a line" in page and "Next steps" in page
    lesson = Lesson.objects.get(slug="loss")
    page = client.get(f"/admin/catalog/lesson/{lesson.pk}/change/").content.decode()
    assert '<span class="math" data-display="1">' in page and 'class="plotly-figure"' in page
    assert client.get("/admin/catalog/lesson/?q=squared").content.decode().count("Measuring the error") >= 1
    # Instructors never edit users or history.
    assert client.get("/admin/accounts/user/").status_code == 403
    revision_list = client.get("/admin/catalog/contentrevision/add/")
    assert revision_list.status_code == 403


def test_instructor_edits_a_question_and_the_revision_moves(client, instructor, course: Course) -> None:  # type: ignore[no-untyped-def]
    client.force_login(instructor)
    question = Question.objects.get(type="single")
    url = f"/admin/quizzes/question/{question.pk}/change/"
    response = client.post(url, question_post(question, prompt="What does b give?"))
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    assert (question.prompt, question.revision) == ("What does b give?", 2)


def test_admin_forms_show_the_same_messages_as_the_command(client, instructor, course: Course) -> None:  # type: ignore[no-untyped-def]
    client.force_login(instructor)
    question = Question.objects.get(type="single")
    url = f"/admin/quizzes/question/{question.pk}/change/"
    page = client.post(url, question_post(question, answers="The intercept")).content.decode()
    assert (
        "answer &#x27;The intercept&#x27; is not among the options (copy the answer exactly from options"
        in page
    )
    text = Question.objects.get(type="text")
    page = client.post(
        f"/admin/quizzes/question/{text.pk}/change/", question_post(text, pattern="(open")
    ).content.decode()
    assert "&#x27;pattern&#x27; is not a valid regular expression" in page
    lesson = Lesson.objects.get(slug="loss")
    page = client.post(
        f"/admin/catalog/lesson/{lesson.pk}/change/",
        lesson_post(lesson, body=lesson.body.replace("losses.json", "nope.json")),
    ).content.decode()
    assert "figure figures/nope.json not found in modules/01-basics/" in page
    question.refresh_from_db()
    assert question.answers == ["The prediction at x = 0"] and question.revision == 1


def test_publish_unpublish_and_export_actions(client, instructor, course: Course) -> None:  # type: ignore[no-untyped-def]
    client.force_login(instructor)
    draft = Lesson.objects.get(slug="outlook")
    client.post("/admin/catalog/lesson/", {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "published"
    client.post("/admin/catalog/lesson/", {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"
    response = client.post(
        "/admin/catalog/course/", {"action": "export_zip", "_selected_action": [course.pk]}
    )
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "example/course.yaml" in names and "example/modules/01-basics/quiz.yaml" in names
    assert "example/data/points.csv" in names


def test_content_is_archived_not_deleted(client, instructor, course: Course) -> None:  # type: ignore[no-untyped-def]
    client.force_login(instructor)
    lesson = Lesson.objects.get(slug="a-line")
    assert client.get(f"/admin/catalog/lesson/{lesson.pk}/delete/").status_code == 403
    client.post("/admin/catalog/lesson/", {"action": "archive", "_selected_action": [lesson.pk]})
    lesson.refresh_from_db()
    assert lesson.archived_at is not None


def test_a_second_quiz_in_a_module_is_refused(client, instructor, course: Course) -> None:  # type: ignore[no-untyped-def]
    from quizzes.models import Quiz

    client.force_login(instructor)
    quiz = Quiz.objects.get()
    page = client.post(
        "/admin/quizzes/quiz/add/",
        {
            "uuid": "0f0e0d0c-0b0a-4908-8706-050403020100",
            "module": quiz.module_id,
            "title": "Another",
            "attempts_allowed": 0,
            "scoring": "best",
            "status": "published",
            "questions-TOTAL_FORMS": 0,
            "questions-INITIAL_FORMS": 0,
        },
    ).content.decode()
    assert "already has a quiz (Fitting a line quiz)" in page
    assert Quiz.objects.count() == 1
