"""Shared admin pieces: list-of-lines fields, file-format validation in forms, content actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from catalog.content.problems import Problem
from catalog.services import content_publish


class LinesField(forms.CharField):
    """A list of short texts edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 80})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "One item per line.")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


def add_problems(form: forms.Form, problems: list[Problem]) -> None:
    """Show file-format problems on a form with the same words as `manage.py course validate`."""
    for problem in problems:
        form.add_error(None, problem.text)


def one_per_parent(form: forms.ModelForm, parent_field: str, what: str, file: str) -> None:
    """Refuse a second live item where the file format has room for one (a quiz per module...)."""
    parent = form.cleaned_data.get(parent_field)
    if parent is None:
        return
    others = type(form.instance).objects.live().filter(**{parent_field: parent}).exclude(pk=form.instance.pk)
    if others.exists():
        form.add_error(
            parent_field,
            f"{parent} already has a {what} ({others.first()}); the files hold one {file}: edit that one, or archive it first",
        )


class OnePerParentForm(forms.ModelForm):
    """A content form for items the files hold once per parent; set ONE = (field, what, file)."""

    ONE: tuple[str, str, str] = ("", "", "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        one_per_parent(self, *self.ONE)
        return data


class ContentAdmin(admin.ModelAdmin):
    """What every content item's admin has: state filters, publish/archive actions, no hard delete."""

    actions: Any = ("publish", "unpublish", "archive", "restore")
    readonly_fields: Any = ("uuid", "revision", "archived_at")
    list_filter: Any = ("status", ("archived_at", admin.EmptyFieldListFilter))
    list_per_page = 50

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The uuid is the item's identity: settable when created, fixed afterwards.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is not None else [f for f in fields if f != "uuid"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Learners' history points at content; archive instead of deleting.
        return False

    @admin.action(description="Publish selected items", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = content_publish(items=queryset, publish=True)
        self.message_user(request, f"{count} item(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish selected items (back to draft)", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = content_publish(items=queryset, publish=False)
        self.message_user(request, f"{count} item(s) set to draft.", messages.SUCCESS)

    @admin.action(description="Archive selected items (hidden, history kept)", permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = queryset.filter(archived_at__isnull=True).update(archived_at=timezone.now())
        self.message_user(request, f"{count} item(s) archived.", messages.SUCCESS)

    @admin.action(description="Restore selected archived items", permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = queryset.filter(archived_at__isnull=False).update(archived_at=None)
        self.message_user(request, f"{count} item(s) restored.", messages.SUCCESS)


class ContentInline(admin.TabularInline):
    extra = 0
    show_change_link = True

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(archived_at__isnull=True)
