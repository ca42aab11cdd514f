"""REST API of quizzes: quiz info, start an attempt, save answers, submit, results."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from quizzes.access import attempt_can_answer, attempt_get_for_user, quiz_get_for_user
from quizzes.models import Attempt
from quizzes.selectors import attempt_view
from quizzes.services import (
    AnswersInvalid,
    AttemptRefused,
    attempt_answer,
    attempt_refresh,
    attempt_start,
    attempt_submit,
    attempts_left,
)


class AttemptBriefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    max_score = serializers.FloatField(allow_null=True)


class QuizSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    module = serializers.UUIDField(source="module.uuid")
    attempts_allowed = serializers.IntegerField(help_text="0 = unlimited")
    scoring = serializers.CharField()
    attempts_left = serializers.IntegerField(allow_null=True)
    attempts = AttemptBriefSerializer(many=True)


class QuestionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    type = serializers.CharField()
    points = serializers.FloatField()
    prompt_html = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField(), help_text="shuffled per attempt")
    starter = serializers.CharField(allow_blank=True)
    response = serializers.JSONField()
    score = serializers.FloatField(required=False, allow_null=True, help_text="after submission")
    verdict = serializers.CharField(required=False, help_text="correct | partial | incorrect | pending")
    feedback = serializers.JSONField(required=False, help_text="right answers and check results")
    explanation_html = serializers.CharField(required=False)
    job = serializers.UUIDField(required=False, allow_null=True, help_text="code: the run that grades it")


class AttemptSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    quiz = serializers.UUIDField()
    title = serializers.CharField()
    submitted = serializers.BooleanField()
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    max_score = serializers.FloatField(allow_null=True)
    pending = serializers.BooleanField(help_text="code answers still running")
    questions = QuestionSerializer(many=True)


class AnswerRequestSerializer(serializers.Serializer):
    response = serializers.JSONField(help_text='for example {"choice": "..."} (see the question type)')


class SubmitRequestSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="question uuid -> response; overrides saved answers",
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.CharField(), required=False)


def _invalid(exc: AnswersInvalid) -> Response:
    return Response(
        {"detail": "Some answers need fixing; nothing was recorded.", "errors": exc.errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _refused(exc: AttemptRefused) -> Response:
    return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)


def _own_attempt(request: Request, attempt_uuid: str) -> Attempt:
    attempt = attempt_get_for_user(request.user, attempt_uuid)
    if not attempt_can_answer(request.user, attempt):
        raise Http404("no such attempt")
    return attempt


class QuizDetailApi(APIView):
    @extend_schema(responses=QuizSerializer)
    def get(self, request: Request, quiz_uuid: str) -> Response:
        """Return a quiz's rules and the caller's attempts."""
        quiz = quiz_get_for_user(request.user, quiz_uuid)
        data: dict[str, Any] = {
            "uuid": quiz.uuid,
            "title": quiz.title,
            "module": quiz.module,
            "attempts_allowed": quiz.attempts_allowed,
            "scoring": quiz.scoring,
            "attempts_left": attempts_left(user=request.user, quiz=quiz),
            "attempts": list(Attempt.objects.filter(user=request.user, quiz=quiz).order_by("-started_at")),
        }
        return Response(QuizSerializer(data).data)


class AttemptStartApi(APIView):
    @extend_schema(request=None, responses={201: AttemptSerializer, 409: ErrorSerializer})
    def post(self, request: Request, quiz_uuid: str) -> Response:
        """Start an attempt (or return the open one); 409 when no attempt is left."""
        quiz = quiz_get_for_user(request.user, quiz_uuid)
        try:
            attempt = attempt_start(user=request.user, quiz=quiz)
        except AttemptRefused as exc:
            return _refused(exc)
        return Response(AttemptSerializer(attempt_view(attempt)).data, status=status.HTTP_201_CREATED)


class AttemptDetailApi(APIView):
    @extend_schema(responses=AttemptSerializer)
    def get(self, request: Request, attempt_uuid: str) -> Response:
        """Return an attempt: questions (and, once submitted, scores, right answers and explanations)."""
        attempt = attempt_get_for_user(request.user, attempt_uuid)
        if attempt.is_submitted:
            attempt_refresh(attempt=attempt)
        return Response(AttemptSerializer(attempt_view(attempt)).data)


class AttemptAnswerApi(APIView):
    @extend_schema(
        request=AnswerRequestSerializer, responses={200: dict, 400: ErrorSerializer, 409: ErrorSerializer}
    )
    def put(self, request: Request, attempt_uuid: str, question_uuid: str) -> Response:
        """Save one answer of an open attempt (validated now, graded on submission)."""
        attempt = _own_attempt(request, attempt_uuid)
        data = AnswerRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            answer = attempt_answer(
                attempt=attempt, question_key=question_uuid, response=data.validated_data["response"]
            )
        except AnswersInvalid as exc:
            return _invalid(exc)
        except AttemptRefused as exc:
            return _refused(exc)
        return Response({"question": question_uuid, "response": answer.response})


class AttemptSubmitApi(APIView):
    @extend_schema(
        request=SubmitRequestSerializer,
        responses={200: AttemptSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request: Request, attempt_uuid: str) -> Response:
        """Submit an attempt: graded on the server; invalid answers refuse it and record nothing."""
        attempt = _own_attempt(request, attempt_uuid)
        data = SubmitRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            attempt = attempt_submit(attempt=attempt, responses=data.validated_data.get("answers") or {})
        except AnswersInvalid as exc:
            return _invalid(exc)
        except AttemptRefused as exc:
            return _refused(exc)
        return Response(AttemptSerializer(attempt_view(attempt)).data)


class AttemptResultsApi(APIView):
    @extend_schema(responses={200: AttemptSerializer, 409: ErrorSerializer})
    def get(self, request: Request, attempt_uuid: str) -> Response:
        """Return the graded attempt with feedback; 409 before it is submitted."""
        attempt = attempt_get_for_user(request.user, attempt_uuid)
        if not attempt.is_submitted:
            return Response(
                {"detail": "Submit the attempt to see its results."}, status=status.HTTP_409_CONFLICT
            )
        attempt_refresh(attempt=attempt)
        return Response(AttemptSerializer(attempt_view(attempt)).data)
