"""Learner pages of the catalog: course home, module, lesson (outline, previous/next, done), search."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from catalog.access import course_get_for_user, lesson_get_for_user, module_get_for_user
from catalog.coursemap import course_map_for_user
from catalog.models import Enrollment, Lesson, LessonCompletion
from catalog.progress import course_progress, student_overview
from catalog.search import lessons_search
from catalog.selectors import course_manifest, lesson_html
from catalog.services import enrollment_touch, progress_mark_lesson_done


def lesson_url(course_slug: str, module_slug: str, lesson_slug: str) -> str:
    return reverse("catalog:lesson", args=[course_slug, module_slug, lesson_slug])


@login_required
def course_detail(request: HttpRequest, course_slug: str) -> HttpResponse:
    """Show a course: its modules with lessons (ticked when done), quizzes and labs, and progress."""
    course = course_get_for_user(request.user, course_slug)
    progress = course_progress(request.user, request.user, course)
    resume = next((o for o in student_overview(request.user) if o["course"].pk == course.pk), None)
    return render(
        request,
        "catalog/course_detail.html",
        {
            "course": course,
            "progress": progress,
            "resume": resume["resume"] if resume else None,
            "started": bool(resume and resume["started"]),
        },
    )


@login_required
def course_credits(request: HttpRequest, course_slug: str) -> HttpResponse:
    """List the data sets and models the course uses, with sources, licences and attributions."""
    course = course_get_for_user(request.user, course_slug)
    return render(request, "catalog/credits.html", {"course": course, "manifest": course_manifest(course)})


@login_required
def module_detail(request: HttpRequest, course_slug: str, module_key: str) -> HttpResponse:
    """Show one module: summary, lessons with ticks, its quiz and labs."""
    module = module_get_for_user(request.user, course_slug, module_key)
    progress = course_progress(request.user, request.user, module.course, module=module)
    return render(
        request,
        "catalog/module_detail.html",
        {
            "course": module.course,
            "module": module,
            "entry": progress.modules[0] if progress.modules else None,
        },
    )


@login_required
def lesson_detail(request: HttpRequest, course_slug: str, module_key: str, lesson_key: str) -> HttpResponse:
    """Show one lesson: rendered body, the module outline with ticks, previous/next and Mark as done."""
    cmap = course_map_for_user(request.user, course_slug)
    lesson = cmap.lesson(module_key, lesson_key)
    module, course = lesson.module, cmap.course
    sequence = cmap.lessons
    done = set(
        LessonCompletion.objects.filter(
            user=request.user, lesson_id__in=[item.pk for item in sequence]
        ).values_list("lesson_id", flat=True)
    )
    index = sequence.index(lesson)

    def link(item: Lesson) -> dict[str, Any]:
        return {
            "url": lesson_url(course.slug, item.module.slug, item.slug),
            "title": item.title,
            "done": item.pk in done,
            "current": item.pk == lesson.pk,
        }

    known = Enrollment.objects.filter(user=request.user, course=course).only("id", "last_lesson_id").first()
    enrollment_touch(user=request.user, lesson=lesson, known=known)
    return render(
        request,
        "catalog/lesson_detail.html",
        {
            "lesson": lesson,
            "module": module,
            "course": course,
            "body_html": lesson_html(lesson),
            "outline": [link(item) for item in sequence if item.module_id == module.pk],
            "previous": link(sequence[index - 1]) if index > 0 else None,
            "next": link(sequence[index + 1]) if index < len(sequence) - 1 else None,
            "is_done": lesson.pk in done,
            "quizzes": cmap.quizzes.get(module.pk, []),
            "labs": cmap.labs.get(module.pk, []),
        },
    )


@login_required
@require_POST
def lesson_done(request: HttpRequest, course_slug: str, module_key: str, lesson_key: str) -> HttpResponse:
    """Mark a lesson as done (or, with done=0, as not done) and go back to it."""
    lesson = lesson_get_for_user(request.user, course_slug, module_key, lesson_key)
    progress_mark_lesson_done(user=request.user, lesson=lesson, done=request.POST.get("done", "1") != "0")
    return redirect(lesson_url(course_slug, lesson.module.slug, lesson.slug))


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search the lessons the user may read (full-text on PostgreSQL, word matching elsewhere)."""
    query = request.GET.get("q", "").strip()[:200]
    course_slug = request.GET.get("course", "")
    course = course_get_for_user(request.user, course_slug) if course_slug else None
    hits = lessons_search(request.user, query, course=course) if query else []
    return render(request, "catalog/search.html", {"query": query, "hits": hits, "course": course})
