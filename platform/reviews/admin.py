"""Rubrics in the admin: rubric -> criteria (inline) -> levels (inline on each criterion)."""

from __future__ import annotations

from django.contrib import admin

from catalog.adminkit import ContentAdmin, ContentInline, OnePerParentForm
from reviews.models import Criterion, Level, Rubric


class CriterionInline(ContentInline):
    model = Criterion
    fields = ("order", "title", "description", "status")
    ordering = ("order",)


class LevelInline(ContentInline):
    model = Level
    fields = ("order", "title", "points", "description", "status")
    ordering = ("order",)


class RubricForm(OnePerParentForm):
    ONE = ("capstone", "rubric", "capstone/rubric.yaml per course")

    class Meta:
        model = Rubric
        fields = ("uuid", "capstone", "status")


@admin.register(Rubric)
class RubricAdmin(ContentAdmin):
    form = RubricForm
    list_display = ("__str__", "capstone", "status", "revision")
    fields = ("uuid", "capstone", "status", "revision", "archived_at")
    inlines = (CriterionInline,)


@admin.register(Criterion)
class CriterionAdmin(ContentAdmin):
    list_display = ("title", "rubric", "order", "status", "revision")
    list_filter = ("rubric__capstone__course", *ContentAdmin.list_filter)
    search_fields = ("title", "description")
    fields = ("uuid", "rubric", "order", "title", "description", "status", "revision", "archived_at")
    inlines = (LevelInline,)
