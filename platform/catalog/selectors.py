"""Reads of the catalog: rendered lessons and the outline of a course."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from catalog.access import lessons_for_user, modules_for_user
from catalog.models import Course, CourseFile, Lesson, Module
from common.markdown import render_markdown


def figure_loader_for(module: Module) -> Any:
    """Return a loader that finds a lesson's figures among its course's files."""

    def load(src: str) -> str | None:
        path = PurePosixPath(module.folder()) / src
        if ".." in PurePosixPath(src).parts:
            return None
        row = CourseFile.objects.filter(course_id=module.course_id, path=path.as_posix()).first()
        return bytes(row.content).decode("utf-8") if row else None

    return load


def lesson_html(lesson: Lesson) -> str:
    """Render a lesson's Markdown body to safe HTML."""
    return render_markdown(lesson.body, figure_loader=figure_loader_for(lesson.module))


def course_outline(user: Any, course: Course) -> list[tuple[Module, list[Lesson]]]:
    """Return the modules of a course with their lessons, as the user may see them."""
    modules = list(modules_for_user(user).filter(course=course).order_by("order", "id"))
    lessons: dict[int, list[Lesson]] = {}
    for lesson in lessons_for_user(user).filter(module__in=modules).order_by("order", "id"):
        lessons.setdefault(lesson.module_id, []).append(lesson)
    return [(m, lessons.get(m.pk, [])) for m in modules]
