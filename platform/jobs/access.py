"""Who may see a job and a lab: one rule for pages, the API and websockets."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from catalog.access import can_author, modules_for_user
from catalog.models import Lab, Status
from jobs.models import Job


def labs_for_user(user: Any) -> QuerySet[Lab]:
    """Return the labs a user may open: published ones of readable modules (all for authors)."""
    qs = Lab.objects.live().filter(module__in=modules_for_user(user)).select_related("module__course")
    return qs if can_author(user) else qs.filter(status=Status.PUBLISHED)


def lab_get_for_user(user: Any, key: str) -> Lab:
    """Return a lab by uuid that the user may open, else raise Http404."""
    try:
        lab_uuid = uuid.UUID(str(key))
    except ValueError:
        raise Http404("no such lab") from None
    lab = labs_for_user(user).filter(uuid=lab_uuid).first()
    if lab is None:
        raise Http404("no such lab")
    return lab


def jobs_for_user(user: Any) -> QuerySet[Job]:
    """Return the jobs a user may watch: their own; every job for course staff."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Job.objects.none()
    if can_author(user):
        return Job.objects.all()
    return Job.objects.filter(Q(user=user))


def job_find_for_user(user: Any, key: str) -> Job | None:
    """Return a job by uuid if the user may watch it."""
    try:
        job_uuid = uuid.UUID(str(key))
    except ValueError:
        return None
    return jobs_for_user(user).select_related("lab__module__course", "user").filter(uuid=job_uuid).first()


def job_get_for_user(user: Any, key: str) -> Job:
    """Return a job the user may watch, else raise Http404."""
    job = job_find_for_user(user, key)
    if job is None:
        raise Http404("no such job")
    return job


def job_can_cancel(user: Any, job: Job) -> bool:
    """The owner and course staff may cancel a job they can see."""
    return job.user_id == user.pk or can_author(user)
