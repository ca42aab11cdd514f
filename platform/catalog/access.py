"""Who may see which content: one helper per object kind; what you may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from catalog.models import Course, Lesson, Module, Status


def can_author(user: Any) -> bool:
    """Tell whether a user edits course content (instructors and superusers)."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_instructor", False))


def courses_for_user(user: Any) -> Any:
    """Return the courses a user may read: published ones, and drafts for authors."""
    qs = Course.objects.live()
    return qs if can_author(user) else qs.filter(status=Status.PUBLISHED)


def modules_for_user(user: Any) -> Any:
    qs = Module.objects.live().filter(course__in=courses_for_user(user)).select_related("course")
    return qs if can_author(user) else qs.filter(status=Status.PUBLISHED)


def lessons_for_user(user: Any) -> Any:
    qs = Lesson.objects.live().filter(module__in=modules_for_user(user)).select_related("module__course")
    return qs if can_author(user) else qs.filter(status=Status.PUBLISHED)


def _by_uuid_or_slug(qs: Any, key: str) -> Any:
    import uuid

    try:
        return qs.filter(uuid=uuid.UUID(key))
    except ValueError:
        return qs.filter(slug=key)


def course_get_for_user(user: Any, slug: str) -> Course:
    """Return a course the user may read, else raise Http404."""
    course = courses_for_user(user).filter(slug=slug).first()
    if course is None:
        raise Http404("no such course")
    return course


def module_get_for_user(user: Any, course_slug: str, key: str) -> Module:
    """Return a module (by uuid or slug) the user may read, else raise Http404."""
    module = _by_uuid_or_slug(modules_for_user(user).filter(course__slug=course_slug), key).first()
    if module is None:
        raise Http404("no such module")
    return module


def lesson_get_for_user(user: Any, course_slug: str, module_key: str, lesson_key: str) -> Lesson:
    """Return a lesson (module and lesson by uuid or slug) the user may read, else raise Http404."""
    module = module_get_for_user(user, course_slug, module_key)
    lesson = _by_uuid_or_slug(lessons_for_user(user).filter(module=module), lesson_key).first()
    if lesson is None:
        raise Http404("no such lesson")
    return lesson
