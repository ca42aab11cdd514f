"""The read API and the lesson page show published content; nobody writes through the API."""

from __future__ import annotations

import pytest

from catalog.models import Course, Lesson, Status

pytestmark = pytest.mark.django_db


def test_student_reads_published_courses_modules_and_lessons(client, student, course: Course) -> None:  # type: ignore[no-untyped-def]
    client.force_login(student)
    courses = client.get("/api/courses/").json()["results"]
    assert [c["slug"] for c in courses] == ["example"]
    modules = client.get("/api/modules/?course=example").json()["results"]
    assert [m["slug"] for m in modules] == ["basics", "next-steps"]
    lessons = client.get(f"/api/lessons/?module={modules[1]['uuid']}").json()["results"]
    assert [x["slug"] for x in lessons] == ["many-inputs"]  # the draft lesson is hidden
    lesson = Lesson.objects.get(slug="loss")
    detail = client.get(f"/api/lessons/{lesson.uuid}/").json()
    assert '<span class="math" data-display="1">' in detail["html"]
    assert client.get(f"/api/lessons/{Lesson.objects.get(slug='outlook').uuid}/").status_code == 404


def test_drafts_are_for_authors_only(client, student, instructor, course: Course) -> None:  # type: ignore[no-untyped-def]
    Course.objects.filter(pk=course.pk).update(status=Status.DRAFT)
    client.force_login(student)
    assert client.get("/api/courses/example/").status_code == 404
    assert client.get("/courses/example/basics/a-line/").status_code == 404
    client.force_login(instructor)
    assert client.get("/api/courses/example/").status_code == 200
    assert client.get("/courses/example/basics/a-line/").status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "student", "ops_user", "instructor"])
def test_nobody_writes_through_the_api(client, request, course: Course, who: str) -> None:  # type: ignore[no-untyped-def]
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    lesson = Lesson.objects.get(slug="a-line")
    expected = 403 if who == "anonymous" else 405
    assert client.post("/api/courses/", {"slug": "x", "title": "X"}).status_code == expected
    assert (
        client.patch(
            f"/api/lessons/{lesson.uuid}/", {"title": "Hacked"}, content_type="application/json"
        ).status_code
        == expected
    )
    assert client.delete(f"/api/courses/{course.slug}/").status_code == expected
    lesson.refresh_from_db()
    assert lesson.title == "A line as a model" and Course.objects.count() == 1


def test_anonymous_users_read_nothing(client, course: Course) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/courses/").status_code == 403
    response = client.get("/courses/example/basics/a-line/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_lesson_page_by_slug_or_uuid(client, student, course: Course) -> None:  # type: ignore[no-untyped-def]
    client.force_login(student)
    lesson = Lesson.objects.get(slug="loss")
    page = client.get("/courses/example/basics/loss/").content.decode()
    assert "<h1>Measuring the error</h1>" in page and 'class="plotly-figure"' in page
    by_uuid = client.get(f"/courses/example/{lesson.module.uuid}/{lesson.uuid}/")
    assert by_uuid.status_code == 200
    assert client.get("/courses/example/basics/outlook/").status_code == 404
    assert client.get("/courses/example/basics/nope/").status_code == 404
    assert client.get("/courses/nope/basics/loss/").status_code == 404


def test_schema_lists_the_catalog_api(client, student) -> None:  # type: ignore[no-untyped-def]
    client.force_login(student)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/api/courses/", "/api/lessons/{uuid}/", "/api/modules/{uuid}/"} <= set(schema["paths"])
