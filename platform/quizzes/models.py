"""Quizzes and their questions (content), and learners' attempts and answers (history)."""

from __future__ import annotations

import secrets
import uuid as uuid_lib
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from catalog.models import ContentItem, ContentRevision, Module


class Scoring(models.TextChoices):
    BEST = "best", "Best attempt"
    LAST = "last", "Last attempt"


class Quiz(ContentItem):
    KIND = "quiz"
    CONTENT_FIELDS = ("title", "attempts_allowed", "scoring")

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="quizzes")
    title = models.CharField(max_length=200)
    attempts_allowed = models.PositiveIntegerField(default=0, help_text="0 = unlimited.")
    scoring = models.CharField(max_length=8, choices=Scoring.choices, default=Scoring.BEST)

    class Meta(ContentItem.Meta):
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title


class QuestionType(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple select"
    NUMERIC = "numeric", "Numeric"
    TEXT = "text", "Short text"
    ORDERING = "ordering", "Ordering"
    CODE = "code", "Code"


class Question(ContentItem):
    """One question; the fields used depend on its type (see courses/README.md)."""

    KIND = "question"
    CONTENT_FIELDS = (
        "type",
        "prompt",
        "explanation",
        "points",
        "options",
        "answers",
        "numeric_answer",
        "tolerance",
        "accepted",
        "pattern",
        "case_sensitive",
        "starter",
        "checks",
    )

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="questions")
    type = models.CharField(max_length=10, choices=QuestionType.choices)
    prompt = models.TextField(help_text="Markdown.")
    explanation = models.TextField(blank=True, help_text="Markdown: why the right answer is right.")
    points = models.FloatField(default=1)
    options = models.JSONField(
        default=list,
        blank=True,
        help_text="single/multiple: the options; ordering: the items in the right order.",
    )
    answers = models.JSONField(default=list, blank=True, help_text="single/multiple: the right options.")
    numeric_answer = models.FloatField(null=True, blank=True)
    tolerance = models.FloatField(null=True, blank=True, help_text="Absolute tolerance of a numeric answer.")
    accepted = models.JSONField(default=list, blank=True, help_text="text: accepted answers.")
    pattern = models.CharField(max_length=300, blank=True, help_text="text: a full-match regular expression.")
    case_sensitive = models.BooleanField(default=False)
    starter = models.TextField(blank=True, help_text="code: the code the learner starts from.")
    checks = models.TextField(blank=True, help_text="code: check_* functions that grade the code.")

    def __str__(self) -> str:
        return self.prompt[:80]


def new_seed() -> int:
    """Return the seed that fixes the order of options in one attempt."""
    return secrets.randbelow(2**31)


class Attempt(models.Model):
    """A learner's attempt at a quiz, made against one revision of it.

    An attempt is open until submitted; only submitted attempts count against the limit.
    """

    uuid = models.UUIDField(unique=True, default=uuid_lib.uuid4, editable=False)
    seed = models.PositiveIntegerField(default=new_seed, help_text="Fixes the shuffled order of options.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    quiz_revision = models.ForeignKey(ContentRevision, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-started_at"]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["quiz", "user", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.quiz}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return 100.0 * self.score / self.max_score


class Answer(models.Model):
    """One answer of an attempt; it keeps the question as the learner saw it."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="learner_answers")
    question_revision = models.ForeignKey(ContentRevision, on_delete=models.PROTECT, related_name="+")
    response: Any = models.JSONField(default=dict)
    score = models.FloatField(
        null=True, blank=True, help_text="Null until graded (code: until its run ends)."
    )
    feedback: Any = models.JSONField(
        default=dict, blank=True, help_text="What grading found, shown after submission."
    )
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="code: the run that grades this answer.",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["attempt", "question__order"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_unique_per_attempt")
        ]

    @property
    def prompt_seen(self) -> str:
        """Return the question text this answer was given to."""
        return str(self.question_revision.snapshot.get("prompt", ""))
