"""The lesson page's cached reads: no queries when warm, and every kind of write shows on the next request."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from catalog.models import Enrollment, Lesson, LessonCompletion
from catalog.services import content_publish, course_import
from tests.learning_tests.conftest import EXAMPLE

LESSON = "/courses/example/basics/loss/"
OTHER = "/courses/example/basics/a-line/"


def client_for(user, **kwargs) -> Client:  # type: ignore[no-untyped-def]
    client = Client(**kwargs)
    client.force_login(user)
    return client


def page(client: Client, path: str = LESSON) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_warm_lesson_page_makes_no_queries(  # type: ignore[no-untyped-def]
    course, student, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    client = client_for(student)
    with django_capture_on_commit_callbacks(execute=True):  # as on commit of the first visit
        page(client)
    with django_assert_num_queries(0):
        html = page(client)
    assert "lesson-body" in html and student.email in html


def test_content_edits_show_on_the_next_request(course, student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    assert "Measuring the error" in page(client)
    lesson = Lesson.objects.get(slug="loss")
    lesson.title = "Measuring how wrong we are"
    lesson.body = lesson.body + "\n\nA sentence added by the instructor.\n"
    lesson.save()
    html = page(client)
    assert "Measuring how wrong we are" in html and "A sentence added by the instructor." in html
    # A bulk unpublish (no per-row signals) hides the lesson at once; publishing brings it back.
    content_publish(items=Lesson.objects.filter(pk=lesson.pk), publish=False)
    assert client.get(LESSON).status_code == 404
    content_publish(items=Lesson.objects.filter(pk=lesson.pk), publish=True)
    assert client.get(LESSON).status_code == 200
    # A re-import (bulk writes) restores the files' version.
    course_import(path=EXAMPLE)
    assert "Measuring the error" in page(client)


def test_ticks_follow_every_write(course, student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    assert 'class="tick"' not in page(client)
    assert client.post("/courses/example/basics/loss/done/").status_code == 302
    html = page(client)
    assert 'class="tick"' in html and 'data-testid="lesson-done-state"' in html
    LessonCompletion.objects.filter(user=student).delete()  # e.g. an instructor in the admin
    html = page(client)
    assert 'class="tick"' not in html and 'data-testid="mark-done"' in html


def test_ticks_are_per_learner(course, student, other_student) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = client_for(student), client_for(other_student)
    mine.post("/courses/example/basics/loss/done/")
    assert 'class="tick"' in page(mine)
    html = page(theirs)
    assert 'class="tick"' not in html and other_student.email in html and student.email not in html


def test_enrollment_remembers_the_last_lesson(course, student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    page(client, OTHER)
    assert Enrollment.objects.get(user=student).last_lesson.slug == "a-line"  # type: ignore[union-attr]
    page(client, LESSON)
    assert Enrollment.objects.get(user=student).last_lesson.slug == "loss"  # type: ignore[union-attr]
    Enrollment.objects.filter(user=student).delete()
    page(client, LESSON)  # the same lesson again: enrolled anew, not skipped as already recorded
    assert Enrollment.objects.get(user=student).last_lesson.slug == "loss"  # type: ignore[union-attr]


def test_role_and_account_changes_apply_at_once(course, student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    assert ">Authoring<" not in page(client)
    student.groups.add(Group.objects.get(name="instructor"))
    assert ">Authoring<" in page(client)
    Group.objects.get(name="instructor").user_set.remove(student)
    assert ">Authoring<" not in page(client)
    student.email = "renamed@example.com"
    student.save()
    assert "renamed@example.com" in page(client)
    student.is_active = False
    student.save()
    assert client.get(LESSON).status_code == 302  # signed out: back to the login page


def test_a_password_change_signs_other_sessions_out(course, student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    page(client)
    student.set_password("a-brand-new-password-42")
    student.save()
    response = client.get(LESSON)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_csrf_token_is_fresh_and_accepted(course, student) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student, enforce_csrf_checks=True)
    first, second = page(client), page(client)
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', first)
    assert len(tokens) == 2 and tokens[0] == tokens[1]  # log-out form and Mark as done
    assert tokens[0] not in second  # masked afresh for every response
    assert (
        client.post("/courses/example/basics/loss/done/", {"csrfmiddlewaretoken": "x" * 64}).status_code
        == 403
    )
    response = client.post("/courses/example/basics/loss/done/", {"csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302
    assert LessonCompletion.objects.filter(user=student).exists()


def test_titles_are_escaped_and_messages_shown(course, student, password) -> None:  # type: ignore[no-untyped-def]
    Lesson.objects.filter(slug="loss").update(title="<script>alert(1)</script> loss")
    Lesson.objects.get(slug="loss").save()  # a save, so the course map sees the change
    client = Client()
    response = client.post("/accounts/login/", {"login": student.email, "password": password})
    assert response.status_code == 302
    html = page(client)  # the sign-in message is still pending: shown on this page
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; loss" in html
    assert 'class="messages"' in html
    assert 'class="messages"' not in page(client)  # shown once


@pytest.mark.parametrize("path", [LESSON, OTHER])
def test_anonymous_visitors_are_sent_to_log_in(course, path) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
