"""Capstone specifications in the admin."""

from __future__ import annotations

from django.contrib import admin

from capstones.models import Capstone
from catalog.adminkit import ContentAdmin, ContentInline, OnePerParentForm
from reviews.models import Rubric


class RubricInline(ContentInline):
    model = Rubric
    fields = ("status",)


class CapstoneForm(OnePerParentForm):
    ONE = ("course", "capstone", "capstone/capstone.yaml per course")

    class Meta:
        model = Capstone
        fields = ("uuid", "course", "title", "brief", "status")


@admin.register(Capstone)
class CapstoneAdmin(ContentAdmin):
    form = CapstoneForm
    list_display = ("title", "course", "status", "revision")
    list_filter = ("course", *ContentAdmin.list_filter)
    search_fields = ("title", "brief")
    fields = ("uuid", "course", "title", "brief", "status", "revision", "archived_at")
    inlines = (RubricInline,)
