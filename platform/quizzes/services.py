"""Writes of quizzes: start an attempt, save answers, submit and grade; code answers via jobs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.models import Status
from catalog.services import revision_current
from quizzes.grading import AnswerInvalid, grade, response_clean
from quizzes.models import Answer, Attempt, Question, QuestionType, Quiz


class AttemptRefused(Exception):
    """An attempt that may not be started or submitted (limit reached, already submitted)."""


class AnswersInvalid(Exception):
    """Answers that cannot be graded as sent: question uuid -> message; nothing was recorded."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def quiz_questions(quiz: Quiz) -> list[Question]:
    """Return the questions learners get, in order."""
    return list(quiz.questions.live().filter(status=Status.PUBLISHED).order_by("order", "id"))


def attempts_used(*, user: Any, quiz: Quiz) -> int:
    """Return how many attempts of a quiz the user has submitted (open ones do not count)."""
    return Attempt.objects.filter(user=user, quiz=quiz, submitted_at__isnull=False).count()


def attempts_left(*, user: Any, quiz: Quiz) -> int | None:
    """Return how many attempts the user may still submit; None when unlimited."""
    if not quiz.attempts_allowed:
        return None
    return max(0, quiz.attempts_allowed - attempts_used(user=user, quiz=quiz))


def _limit_message(quiz: Quiz) -> str:
    return f"You have used all {quiz.attempts_allowed} attempt(s) of this quiz."


def attempt_start(*, user: Any, quiz: Quiz) -> Attempt:
    """Return the user's open attempt at a quiz, or start one (refused when no attempt is left)."""
    with transaction.atomic():
        # Lock the learner's row: two quick clicks must not open two attempts.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        open_attempt = Attempt.objects.filter(user=user, quiz=quiz, submitted_at__isnull=True).first()
        if open_attempt is not None:
            return open_attempt
        if attempts_left(user=user, quiz=quiz) == 0:
            raise AttemptRefused(_limit_message(quiz))
        attempt = Attempt.objects.create(user=user, quiz=quiz, quiz_revision=revision_current(quiz))
        # Freeze the revision of every question now: grading uses what the learner was shown.
        Answer.objects.bulk_create(
            Answer(attempt=attempt, question=q, question_revision=revision_current(q))
            for q in quiz_questions(quiz)
        )
    return attempt


def _open_for_update(attempt: Attempt) -> Attempt:
    locked = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    if locked.submitted_at is not None:
        raise AttemptRefused("This attempt was already submitted; start a new one to answer again.")
    return locked


def _answer_for(attempt: Attempt, question_key: str) -> Answer:
    answer = (
        Answer.objects.select_related("question_revision", "question")
        .filter(attempt=attempt, question__uuid=question_key)
        .first()
    )
    if answer is None:
        raise AnswersInvalid({str(question_key): "That question is not part of this attempt."})
    return answer


def attempt_answer(*, attempt: Attempt, question_key: str, response: Any) -> Answer:
    """Save one answer of an open attempt (validated; graded only on submission)."""
    with transaction.atomic():
        _open_for_update(attempt)
        answer = _answer_for(attempt, question_key)
        try:
            answer.response = response_clean(answer.question_revision.snapshot, response)
        except AnswerInvalid as exc:
            raise AnswersInvalid({str(answer.question.uuid): str(exc)}) from None
        answer.answered_at = timezone.now()
        answer.save(update_fields=["response", "answered_at"])
    return answer


def attempt_submit(*, attempt: Attempt, responses: dict[str, Any] | None = None) -> Attempt:
    """Grade and close an open attempt; any invalid or missing answer refuses it and records nothing.

    ``responses`` (question uuid -> response) override answers saved before.
    """
    from jobs.services import JobRejected, job_submit_for_question

    responses = responses or {}
    with transaction.atomic():
        locked = _open_for_update(attempt)
        quiz = locked.quiz
        if quiz.attempts_allowed and attempts_used(user=locked.user, quiz=quiz) >= quiz.attempts_allowed:
            raise AttemptRefused(_limit_message(quiz))
        answers = list(Answer.objects.filter(attempt=locked).select_related("question_revision", "question"))
        known = {str(a.question.uuid) for a in answers}
        errors = {key: "That question is not part of this attempt." for key in responses if key not in known}
        for answer in answers:
            key = str(answer.question.uuid)
            sent = responses.get(key, answer.response)
            try:
                answer.response = response_clean(answer.question_revision.snapshot, sent)
            except AnswerInvalid as exc:
                errors[key] = str(exc)
        if errors:
            raise AnswersInvalid(errors)
        now = timezone.now()
        for answer in answers:
            snapshot = answer.question_revision.snapshot
            if snapshot.get("type") == QuestionType.CODE:
                try:
                    answer.job = job_submit_for_question(
                        user=locked.user, question=answer.question, code=answer.response["code"]
                    )
                except JobRejected as exc:
                    raise AnswersInvalid({str(answer.question.uuid): str(exc)}) from None
                answer.score = None
                answer.feedback = {"verdict": "pending"}
            else:
                result = grade(snapshot, answer.response)
                answer.score = result.score
                answer.feedback = result.feedback
            answer.answered_at = answer.answered_at or now
        Answer.objects.bulk_update(answers, ["response", "score", "feedback", "job", "answered_at"])
        locked.submitted_at = now
        _total(locked, answers)
        locked.save(update_fields=["submitted_at", "score", "max_score"])
    attempt.refresh_from_db()
    return attempt


def _total(attempt: Attempt, answers: list[Answer]) -> None:
    """Set an attempt's score (pending code answers count as 0 until their run ends)."""
    attempt.max_score = round(sum(float(a.question_revision.snapshot.get("points") or 1) for a in answers), 6)
    attempt.score = round(sum(a.score or 0.0 for a in answers), 6)


def answer_grade_from_job(*, job: Any) -> None:
    """Grade the code answer a finished run belongs to, and update its attempt's score."""
    if job.is_active:
        return
    with transaction.atomic():
        answer = (
            Answer.objects.select_for_update()
            .select_related("question_revision", "attempt")
            .filter(job=job, score__isnull=True)
            .first()
        )
        if answer is None:
            return
        points = float(answer.question_revision.snapshot.get("points") or 1)
        share = (job.score / job.max_score) if job.score is not None and job.max_score else 0.0
        answer.score = round(points * max(0.0, min(1.0, share)), 6)
        verdict = "correct" if share >= 1 else "partial" if share > 0 else "incorrect"
        answer.feedback = {
            "verdict": verdict,
            "checks": list(job.checks or []),
            "message": job.message,
            "status": job.status,
        }
        answer.save(update_fields=["score", "feedback"])
        attempt = Attempt.objects.select_for_update().get(pk=answer.attempt_id)
        _total(attempt, list(Answer.objects.filter(attempt=attempt).select_related("question_revision")))
        attempt.save(update_fields=["score", "max_score"])


def attempt_refresh(*, attempt: Attempt) -> Attempt:
    """Pull the grades of finished code runs into a submitted attempt (when a hook was missed)."""
    pending = Answer.objects.filter(attempt=attempt, score__isnull=True, job__isnull=False).select_related(
        "job"
    )
    changed = False
    for answer in pending:
        if answer.job is not None and not answer.job.is_active:
            answer_grade_from_job(job=answer.job)
            changed = True
    if changed:
        attempt.refresh_from_db()
    return attempt
