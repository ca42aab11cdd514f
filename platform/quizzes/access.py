"""Who may see which quiz and attempt: one helper per object kind; what you may not see is a 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from catalog.access import can_author, modules_for_user
from catalog.models import Status
from quizzes.models import Attempt, Quiz


def _uuid_or_404(key: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(key))
    except ValueError:
        raise Http404(f"no such {what}") from None


def quizzes_for_user(user: Any) -> QuerySet[Quiz]:
    """Return the quizzes a user may take: published ones of readable modules (all for authors)."""
    qs = Quiz.objects.live().filter(module__in=modules_for_user(user)).select_related("module__course")
    return qs if can_author(user) else qs.filter(status=Status.PUBLISHED)


def quiz_get_for_user(user: Any, key: str) -> Quiz:
    """Return a quiz by uuid that the user may take, else raise Http404."""
    quiz = quizzes_for_user(user).filter(uuid=_uuid_or_404(key, "quiz")).first()
    if quiz is None:
        raise Http404("no such quiz")
    return quiz


def attempts_for_user(user: Any) -> QuerySet[Attempt]:
    """Return the attempts a user may read: their own; every attempt for course staff."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Attempt.objects.none()
    if can_author(user):
        return Attempt.objects.all()
    return Attempt.objects.filter(user=user)


def attempt_get_for_user(user: Any, key: str) -> Attempt:
    """Return an attempt by uuid that the user may read, else raise Http404."""
    attempt = (
        attempts_for_user(user)
        .select_related("quiz__module__course", "user", "quiz_revision")
        .filter(uuid=_uuid_or_404(key, "attempt"))
        .first()
    )
    if attempt is None:
        raise Http404("no such attempt")
    return attempt


def attempt_can_answer(user: Any, attempt: Attempt) -> bool:
    """Only the learner who started an attempt answers and submits it."""
    return attempt.user_id == user.pk
