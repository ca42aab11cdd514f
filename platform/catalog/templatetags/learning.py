"""Template helpers of the learning pages: dashboard overviews, figure JSON, lesson links."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def learner_overview(user: Any) -> list[dict[str, Any]]:
    """Return the learner's courses with progress and where to continue."""
    from catalog.progress import student_overview

    return student_overview(user)


@register.simple_tag
def taught_courses(user: Any) -> list[Any]:
    """Return the courses an instructor may grade, with their quizzes."""
    from catalog.access import courses_for_user

    return list(courses_for_user(user).prefetch_related("modules__quizzes"))


@register.filter
def figure_json(figure: Any) -> str:
    """Return a Plotly figure as compact JSON for a data-figure attribute (autoescaped there)."""
    return json.dumps(figure, separators=(",", ":"), sort_keys=True)


@register.simple_tag
def lesson_link(lesson: Any) -> str:
    """Return the URL of a lesson."""
    module = lesson.module
    return reverse("catalog:lesson", args=[module.course.slug, module.slug, lesson.slug])


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
