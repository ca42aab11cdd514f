"""Progress pages (a learner's own; any learner's for instructors) and the instructor gradebook."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.access import can_author, course_get_for_user
from catalog.gradebook import gradebook_build, gradebook_csv
from catalog.models import Course, Module
from catalog.progress import course_progress, progress_figure


def learner_get_for_user(viewer: Any, user_id: int | str | None) -> Any:
    """Return the learner whose progress the viewer asked for: themselves, or anyone for staff; else 404."""
    if user_id in (None, "", str(getattr(viewer, "pk", ""))) or user_id == viewer.pk:
        return viewer
    if not can_author(viewer):
        raise Http404("no such learner")
    try:
        return get_user_model().objects.get(pk=int(user_id))
    except (ValueError, TypeError, get_user_model().DoesNotExist):
        raise Http404("no such learner") from None


def staff_course_get(viewer: Any, course_slug: str) -> Course:
    """Return a course whose gradebook the viewer may read (course staff only), else 404."""
    if not can_author(viewer):
        raise Http404("no such gradebook")
    return course_get_for_user(viewer, course_slug)


@login_required
def progress_page(request: HttpRequest, course_slug: str, user_id: int | None = None) -> HttpResponse:
    """Show a learner's progress in a course: per module lessons read, quiz score, labs passed, and a chart."""
    course = course_get_for_user(request.user, course_slug)
    learner = learner_get_for_user(request.user, user_id)
    progress = course_progress(request.user, learner, course)
    return render(
        request,
        "catalog/progress.html",
        {
            "course": course,
            "learner": learner,
            "progress": progress,
            "figure": progress_figure(progress),
            "own": learner.pk == request.user.pk,
        },
    )


def _module_filter(request: HttpRequest, course: Course) -> Module | None:
    key = request.GET.get("module", "")
    if not key:
        return None
    module = Module.objects.live().filter(course=course, slug=key).first()
    if module is None:
        raise Http404("no such module")
    return module


@login_required
def gradebook_page(request: HttpRequest, course_slug: str) -> HttpResponse:
    """Show learners x items with scores, filtered by module, with CSV export and question statistics."""
    course = staff_course_get(request.user, course_slug)
    module = _module_filter(request, course)
    book = gradebook_build(course=course, module=module)
    from quizzes.models import Quiz

    quizzes = Quiz.objects.published().filter(module__course=course).order_by("module__order", "order")
    return render(
        request,
        "catalog/gradebook.html",
        {
            "course": course,
            "book": book,
            "module": module,
            "quizzes": quizzes,
            "all_modules": Module.objects.published().filter(course=course).order_by("order", "id"),
        },
    )


@login_required
def gradebook_export(request: HttpRequest, course_slug: str) -> HttpResponse:
    """Download the gradebook as CSV (same module filter as the page)."""
    course = staff_course_get(request.user, course_slug)
    book = gradebook_build(course=course, module=_module_filter(request, course))
    response = HttpResponse(gradebook_csv(book), content_type="text/csv; charset=utf-8")
    suffix = f"-{request.GET['module']}" if request.GET.get("module") else ""
    response["Content-Disposition"] = f'attachment; filename="{course.slug}{suffix}-gradebook.csv"'
    return response
