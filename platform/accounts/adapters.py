"""django-allauth hooks: every new account starts as a student."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from accounts.roles import STUDENT, assign_role


class AccountAdapter(DefaultAccountAdapter):
    """Give new sign-ups the student role."""

    def save_user(self, request: Any, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            assign_role(user, STUDENT)
        return user
