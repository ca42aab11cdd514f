"""Learner pages of the catalog: course home, module, lesson (outline, previous/next, done), search."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from catalog.access import course_get_for_user, lesson_get_for_user, module_get_for_user
from catalog.coursemap import course_map_for_user
from catalog.lesson_page import lesson_page, lesson_url
from catalog.progress import course_progress, student_overview
from catalog.search import lessons_search
from catalog.selectors import course_manifest, lessons_done_ids
from catalog.services import enrollment_touch, progress_mark_lesson_done
from common.frame import framed_page


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
    page = lesson_page(cmap, lesson, lessons_done_ids(request.user))
    enrollment_touch(user=request.user, lesson=lesson)
    return framed_page(request, title=page.title, content=page.content)


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
