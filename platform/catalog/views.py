"""Learner pages of the catalog (a minimal lesson page; the full experience comes later)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.access import lesson_get_for_user
from catalog.selectors import lesson_html


@login_required
def lesson_detail(request: HttpRequest, course_slug: str, module_key: str, lesson_key: str) -> HttpResponse:
    """Show one lesson rendered from its Markdown."""
    lesson = lesson_get_for_user(request.user, course_slug, module_key, lesson_key)
    return render(
        request,
        "catalog/lesson_detail.html",
        {
            "lesson": lesson,
            "module": lesson.module,
            "course": lesson.module.course,
            "body_html": lesson_html(lesson),
        },
    )
