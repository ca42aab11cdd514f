"""Quiz pages: start or resume, answer and submit, results with feedback, question statistics."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from catalog.access import can_author
from quizzes.access import attempt_can_answer, attempt_get_for_user, quiz_get_for_user
from quizzes.models import Attempt
from quizzes.selectors import attempt_view, question_statistics, statistics_figure
from quizzes.services import (
    AnswersInvalid,
    AttemptRefused,
    attempt_refresh,
    attempt_start,
    attempt_submit,
    attempts_left,
)


def responses_from_form(questions: list[dict[str, Any]], data: QueryDict) -> dict[str, Any]:
    """Turn the posted quiz form into responses (question uuid -> response) for the grader."""
    responses: dict[str, Any] = {}
    for q in questions:
        name = f"q-{q['uuid']}"
        kind = q["type"]
        if kind == "single":
            responses[q["uuid"]] = {"choice": data.get(name, "")}
        elif kind == "multiple":
            responses[q["uuid"]] = {"choices": data.getlist(name)}
        elif kind == "numeric":
            responses[q["uuid"]] = {"value": data.get(name, "")}
        elif kind == "text":
            responses[q["uuid"]] = {"text": data.get(name, "")}
        elif kind == "code":
            responses[q["uuid"]] = {"code": data.get(name, "")}
        elif kind == "ordering":
            items = data.getlist(f"{name}-item")
            ranks = data.getlist(f"{name}-rank")
            try:
                pairs = sorted(zip([float(r) for r in ranks], range(len(items)), items, strict=True))
                responses[q["uuid"]] = {"order": [item for _, _, item in pairs]}
            except ValueError:
                responses[q["uuid"]] = {"order": None}
    return responses


@login_required
def quiz_page(request: HttpRequest, quiz_uuid: str) -> HttpResponse:
    """Show a quiz: rules, the learner's attempts, and Start (or Resume)."""
    quiz = quiz_get_for_user(request.user, quiz_uuid)
    attempts = list(Attempt.objects.filter(user=request.user, quiz=quiz).order_by("-started_at"))
    return render(
        request,
        "quizzes/quiz.html",
        {
            "quiz": quiz,
            "module": quiz.module,
            "course": quiz.module.course,
            "attempts": attempts,
            "open_attempt": next((a for a in attempts if not a.is_submitted), None),
            "left": attempts_left(user=request.user, quiz=quiz),
            "question_count": quiz.questions.live().count(),
            "is_staff": can_author(request.user),
        },
    )


@login_required
@require_POST
def quiz_start(request: HttpRequest, quiz_uuid: str) -> HttpResponse:
    """Start (or resume) an attempt and open it."""
    quiz = quiz_get_for_user(request.user, quiz_uuid)
    try:
        attempt = attempt_start(user=request.user, quiz=quiz)
    except AttemptRefused as exc:
        messages.error(request, str(exc))
        return redirect("quizzes:quiz", quiz_uuid=quiz.uuid)
    return redirect("quizzes:attempt", attempt_uuid=attempt.uuid)


@login_required
def attempt_page(request: HttpRequest, attempt_uuid: str) -> HttpResponse:
    """Show an open attempt as a form (POST submits it), or a submitted one with its feedback."""
    attempt = attempt_get_for_user(request.user, attempt_uuid)
    if attempt.is_submitted:
        attempt_refresh(attempt=attempt)
    view = attempt_view(attempt)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not attempt_can_answer(request.user, attempt):
            raise Http404("no such attempt")
        try:
            attempt_submit(attempt=attempt, responses=responses_from_form(view["questions"], request.POST))
            return redirect("quizzes:attempt", attempt_uuid=attempt.uuid)
        except AnswersInvalid as exc:
            errors, status = exc.errors, 400
            sent = responses_from_form(view["questions"], request.POST)
            for q in view["questions"]:
                q["response"] = sent.get(q["uuid"], {})
        except AttemptRefused as exc:
            messages.error(request, str(exc))
            return redirect("quizzes:quiz", quiz_uuid=attempt.quiz.uuid)
    for q in view["questions"]:
        q["error"] = errors.get(q["uuid"], "")
    return render(
        request,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "view": view,
            "quiz": attempt.quiz,
            "course": attempt.quiz.module.course,
            "module": attempt.quiz.module,
            "errors": errors,
            "can_answer": attempt_can_answer(request.user, attempt),
        },
        status=status,
    )


@login_required
def quiz_statistics(request: HttpRequest, quiz_uuid: str) -> HttpResponse:
    """Show item statistics of a quiz for course staff: answered, percent correct, discrimination."""
    if not can_author(request.user):
        raise Http404("no such quiz")
    quiz = quiz_get_for_user(request.user, quiz_uuid)
    stats = question_statistics(quiz)
    return render(
        request,
        "quizzes/statistics.html",
        {
            "quiz": quiz,
            "course": quiz.module.course,
            "stats": stats,
            "figure": statistics_figure(stats),
        },
    )
