"""Create one demo account per role (idempotent) and print how to log in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import User
from accounts.roles import INSTRUCTOR, OPS, STUDENT, assign_role

DEMO = [
    ("student@example.com", STUDENT, "Sam Student"),
    ("instructor@example.com", INSTRUCTOR, "Ines Instructor"),
    ("ops@example.com", OPS, "Oscar Ops"),
]
DEMO_PASSWORD = "masterclass-demo"


class Command(BaseCommand):
    help = "Create demo accounts (student, instructor, ops) and print their credentials."

    def handle(self, *args: Any, **options: Any) -> None:
        from allauth.account.models import EmailAddress

        for email, role, name in DEMO:
            user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            assign_role(user, role)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, role, _ in DEMO:
            self.stdout.write(f"  {role:<10} {email}")
        self.stdout.write(f"Log in at {settings.SITE_URL}/accounts/login/")
