"""The lesson page's content, rendered once per course version and learner state.

A lesson page is the same for every learner but for the ticks in the module outline, the state
of the "Mark as done" form and the form's CSRF token. So its content (outline, article with the
lesson body, form, pager) is rendered once per lesson and tick pattern, with the frame's marker
where the token goes (common.frame), and kept on the course map, which is itself rebuilt whenever
the course changes (catalog.coursemap). A request picks its variant; the frame puts the request's
own token in place of the marker.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from catalog.coursemap import CourseMap
from catalog.models import Lesson
from catalog.selectors import lesson_html
from common.frame import csrf_marker

_VARIANTS_MAX = 512  # rendered variants kept per course map
_LOCK = threading.Lock()


@dataclass(frozen=True)
class LessonPage:
    title: str
    content: SafeString  # with common.frame's CSRF marker in its form


def lesson_url(course_slug: str, module_slug: str, lesson_slug: str) -> str:
    return reverse("catalog:lesson", args=[course_slug, module_slug, lesson_slug])


def _render(cmap: CourseMap, lesson: Lesson, done: frozenset[int]) -> SafeString:
    module, course = lesson.module, cmap.course
    sequence = cmap.lessons
    index = sequence.index(lesson)

    def link(item: Lesson) -> dict[str, Any]:
        return {
            "url": lesson_url(course.slug, item.module.slug, item.slug),
            "title": item.title,
            "done": item.pk in done,
            "current": item.pk == lesson.pk,
        }

    context = {
        "lesson": lesson,
        "module": module,
        "course": course,
        "body_html": lesson_html(lesson, figures=cmap.figures.get(module.pk)),
        "outline": [link(item) for item in sequence if item.module_id == module.pk],
        "previous": link(sequence[index - 1]) if index > 0 else None,
        "next": link(sequence[index + 1]) if index < len(sequence) - 1 else None,
        "is_done": lesson.pk in done,
        "quizzes": cmap.quizzes.get(module.pk, []),
        "labs": cmap.labs.get(module.pk, []),
        "csrf_token": csrf_marker(),
    }
    return mark_safe(render_to_string("catalog/_lesson_content.html", context))  # noqa: S308 - template output


def lesson_page(cmap: CourseMap, lesson: Lesson, done: frozenset[int]) -> LessonPage:
    """Return the lesson page for a learner who has done the lessons ``done``."""
    # What the page shows of ``done``: the ticks of the module's lessons (this one included).
    ticks = tuple(item.pk for item in cmap.lessons if item.module_id == lesson.module_id and item.pk in done)
    key = ("lesson-page", lesson.pk, ticks)
    with _LOCK:
        content = cmap.parts.get(key)
    if content is None:
        content = _render(cmap, lesson, done)
        with _LOCK:
            if len(cmap.parts) >= _VARIANTS_MAX:
                cmap.parts.clear()
            cmap.parts[key] = content
    return LessonPage(title=lesson.title, content=content)
