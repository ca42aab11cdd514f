"""Roles are groups with permissions: student, instructor (course content), ops (site health)."""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps

STUDENT, INSTRUCTOR, OPS = "student", "instructor", "ops"
ROLES = (STUDENT, INSTRUCTOR, OPS)

# Instructors author content in the admin; they never edit users or jobs.
INSTRUCTOR_APPS = ("catalog", "quizzes", "capstones", "reviews")
INSTRUCTOR_EXCLUDED_MODELS = {"enrollment", "progress", "attempt", "answer", "submission", "review"}


def ensure_role_groups(sender: Any = None, **kwargs: Any) -> None:
    """Create the role groups and give them their permissions (idempotent)."""
    Group = global_apps.get_model("auth", "Group")
    Permission = global_apps.get_model("auth", "Permission")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    instructor = Group.objects.get(name=INSTRUCTOR)
    perms = Permission.objects.filter(content_type__app_label__in=INSTRUCTOR_APPS).exclude(
        content_type__model__in=INSTRUCTOR_EXCLUDED_MODELS
    )
    instructor.permissions.set(perms)
    ops = Group.objects.get(name=OPS)
    ops.permissions.set(
        Permission.objects.filter(content_type__app_label__in=("jobs", "ops"), codename__startswith="view_")
    )


def assign_role(user: Any, role: str) -> None:
    """Put a user in one role group; instructors get admin access for content."""
    Group = global_apps.get_model("auth", "Group")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    ensure_role_groups()
    user.groups.add(Group.objects.get(name=role))
    if role == INSTRUCTOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if hasattr(user, "_role_names"):
        del user._role_names
