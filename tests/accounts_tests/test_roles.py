"""Roles, demo accounts and who reaches the authoring admin."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import User


@pytest.mark.django_db
def test_demo_accounts_are_created_once_with_their_roles(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("demo_accounts")
    call_command("demo_accounts")
    out = capsys.readouterr().out
    assert "student@example.com" in out and "masterclass-demo" in out
    assert User.objects.count() == 3
    assert User.objects.get(email="instructor@example.com").is_instructor
    assert User.objects.get(email="ops@example.com").is_ops
    student = User.objects.get(email="student@example.com")
    assert student.primary_role == "student" and not student.is_staff
    assert student.check_password("masterclass-demo")


@pytest.mark.django_db
def test_instructor_reaches_admin_but_not_users(client, instructor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(instructor)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["student", "ops_user", "outsider"])
def test_non_instructors_do_not_reach_admin(client, request, who) -> None:  # type: ignore[no-untyped-def]
    client.force_login(request.getfixturevalue(who))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_dashboard_follows_role(client, student, instructor, ops_user) -> None:  # type: ignore[no-untyped-def]
    for user, marker in [
        (student, "student-dashboard"),
        (instructor, "instructor-dashboard"),
        (ops_user, "ops-dashboard"),
    ]:
        client.force_login(user)
        assert marker in client.get("/dashboard/").content.decode()


@pytest.mark.django_db
def test_dashboard_requires_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
