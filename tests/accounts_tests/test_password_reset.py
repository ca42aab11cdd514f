"""Password reset by email, end to end through allauth's views."""

from __future__ import annotations

import re

import pytest
from django.core import mail


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client, student) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/accounts/password/reset/", {"email": student.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [student.email]
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = "/" + link.group(0).split("/", 3)[3]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0] if form.redirect_chain else path
    done = client.post(
        action, {"password1": "a-brand-new-passphrase-7", "password2": "a-brand-new-passphrase-7"}
    )
    assert done.status_code == 302
    student.refresh_from_db()
    assert student.check_password("a-brand-new-passphrase-7")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_reveals_nothing(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert all("reset/key" not in message.body for message in mail.outbox)
