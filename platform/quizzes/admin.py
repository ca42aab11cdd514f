"""Quizzes and questions in the admin, validated like the quiz.yaml files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from catalog.adminkit import ContentAdmin, LinesField, OnePerParentForm, add_problems
from catalog.content import formats
from catalog.content.items import QuestionData
from catalog.content.problems import Problem
from quizzes.models import Question, Quiz

QUESTION_FIELDS = (
    "uuid",
    "quiz",
    "order",
    "type",
    "prompt",
    "options",
    "answers",
    "numeric_answer",
    "tolerance",
    "accepted",
    "pattern",
    "case_sensitive",
    "starter",
    "checks",
    "explanation",
    "points",
    "status",
)


class QuestionForm(forms.ModelForm):
    options = LinesField(
        help_text="single/multiple: the options; ordering: the items in the right order. One per line."
    )
    answers = LinesField(help_text="single/multiple: the right options, copied exactly. One per line.")
    accepted = LinesField(help_text="text: accepted answers, one per line.")

    class Meta:
        model = Question
        fields = QUESTION_FIELDS
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "explanation": forms.Textarea(attrs={"rows": 3, "cols": 80}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        q = QuestionData(
            uuid=str(data.get("uuid") or self.instance.uuid),
            type=data.get("type") or "",
            prompt=data.get("prompt") or "",
            explanation=data.get("explanation") or "",
            points=data.get("points") if data.get("points") is not None else 1.0,
            options=data.get("options") or [],
            answers=data.get("answers") or [],
            numeric_answer=data.get("numeric_answer"),
            tolerance=data.get("tolerance"),
            accepted=data.get("accepted") or [],
            pattern=data.get("pattern") or "",
            case_sensitive=bool(data.get("case_sensitive")),
            starter=data.get("starter") or "",
            checks=data.get("checks") or "",
        )
        if q.type == "single" and len(q.answers) != 1:
            add_problems(
                self,
                [
                    Problem(
                        "quiz.yaml",
                        None,
                        "a single question has exactly one answer",
                        "write the one right option in Answers",
                    )
                ],
            )
            return data
        problems: list[Problem] = []
        formats.parse_question(
            formats.question_mapping(q), "quiz.yaml", problems, index=1, line=None, where=""
        )
        add_problems(self, problems)
        return data


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    fields = QUESTION_FIELDS[2:]
    extra = 0
    show_change_link = True
    ordering = ("order",)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).filter(archived_at__isnull=True)


class QuizForm(OnePerParentForm):
    ONE = ("module", "quiz", "quiz.yaml per module")

    class Meta:
        model = Quiz
        fields = ("uuid", "module", "title", "attempts_allowed", "scoring", "status")


@admin.register(Quiz)
class QuizAdmin(ContentAdmin):
    form = QuizForm
    list_display = ("title", "module", "attempts_allowed", "scoring", "status", "revision")
    list_filter = ("module__course", *ContentAdmin.list_filter)
    search_fields = ("title",)
    fields = ("uuid", "module", "title", "attempts_allowed", "scoring", "status", "revision", "archived_at")
    inlines = (QuestionInline,)


@admin.register(Question)
class QuestionAdmin(ContentAdmin):
    form = QuestionForm
    list_display = ("short_prompt", "quiz", "type", "order", "status", "revision")
    list_filter = ("type", "quiz__module__course", *ContentAdmin.list_filter)
    search_fields = ("prompt", "explanation")
    ordering = ("quiz", "order")
    fields = (*QUESTION_FIELDS, "revision", "archived_at")

    @admin.display(description="prompt")
    def short_prompt(self, obj: Question) -> str:
        return obj.prompt[:80]
