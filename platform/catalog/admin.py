"""Authoring in the admin: the course tree, previews, publishing, validation and export."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalog.adminkit import ContentAdmin, ContentInline, LinesField, add_problems
from catalog.content import formats
from catalog.content.items import LabData, LessonData
from catalog.content.load import MANIFEST, figure_problems
from catalog.content.problems import Problem
from catalog.content.schema import SLUG, check_python
from catalog.content.yamlio import load_yaml
from catalog.models import ContentRevision, Course, CourseFile, Lab, Lesson, Module
from catalog.selectors import lesson_html
from catalog.services import course_export_files
from quizzes.models import Quiz


def _slug_problems(slug: str, what: str) -> list[Problem]:
    if slug and not SLUG.match(slug):
        return [
            Problem(
                what,
                None,
                f"slug {slug!r} may hold only lowercase letters, digits and dashes",
                "write it like `intro-to-ml`",
            )
        ]
    return []


class CourseFileInline(admin.TabularInline):
    model = CourseFile
    fields = ("path", "size", "sha256")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Other files (figures, data, lab helpers): edit them in the course folder"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ModuleInline(ContentInline):
    model = Module
    fields = ("order", "title", "slug", "status")
    ordering = ("order",)


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ("uuid", "slug", "title", "summary", "status")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        add_problems(self, _slug_problems(data.get("slug", ""), "course.yaml"))
        return data


@admin.register(Course)
class CourseAdmin(ContentAdmin):
    form = CourseForm
    list_display = ("title", "slug", "status", "revision", "archived_at")
    search_fields = ("title", "slug", "summary")
    inlines = (ModuleInline, CourseFileInline)
    actions = (*ContentAdmin.actions, "export_zip")
    fields = ("uuid", "slug", "title", "summary", "status", "revision", "archived_at")

    @admin.action(description="Export course files (zip)", permissions=["view"])
    def export_zip(self, request: HttpRequest, queryset: QuerySet[Course]) -> HttpResponse:
        courses = list(queryset)
        if len(courses) == 1:
            from catalog.services import course_export_zip

            payload, name = course_export_zip(course=courses[0]), f"{courses[0].slug}.zip"
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for course in courses:
                    for rel, content in sorted(course_export_files(course=course).items()):
                        archive.writestr(f"{course.slug}/{rel}", content)
            payload, name = buffer.getvalue(), "courses.zip"
        response = HttpResponse(payload, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class LessonInline(ContentInline):
    model = Lesson
    fields = ("order", "title", "slug", "status")
    ordering = ("order",)


class LabInline(ContentInline):
    model = Lab
    fields = ("order", "title", "slug", "queue", "status")
    ordering = ("order",)


class QuizInline(ContentInline):
    model = Quiz
    fields = ("title", "attempts_allowed", "scoring", "status")


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ("uuid", "course", "title", "slug", "path", "summary", "order", "status")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        add_problems(self, _slug_problems(data.get("slug", ""), "module.yaml"))
        return data


@admin.register(Module)
class ModuleAdmin(ContentAdmin):
    form = ModuleForm
    list_display = ("title", "course", "order", "status", "revision", "archived_at")
    list_filter = ("course", *ContentAdmin.list_filter)
    search_fields = ("title", "slug", "summary")
    inlines = (LessonInline, LabInline, QuizInline)
    ordering = ("course", "order")


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ("uuid", "module", "title", "slug", "path", "summary", "body", "order", "status")
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100, "class": "vLargeTextField"})}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        module = data.get("module")
        lesson = LessonData(
            uuid=str(data.get("uuid") or self.instance.uuid),
            slug=data.get("slug", ""),
            path=data.get("path", ""),
            title=data.get("title", ""),
            summary=data.get("summary", ""),
            body=data.get("body", ""),
            status=data.get("status", "published"),
            order=data.get("order") or 1,
        )
        problems: list[Problem] = []
        text = formats.lesson_text(lesson, derived=lesson.order)
        formats.parse_lesson(
            text, "lesson", problems, slug=lesson.slug, file=lesson.path, derived=lesson.order
        )
        problems += _slug_problems(lesson.slug, "lesson")
        if module is not None:
            files = set(CourseFile.objects.filter(course_id=module.course_id).values_list("path", flat=True))
            problems += figure_problems(
                lesson.body, module_folder=module.folder(), files=files, path="lesson"
            )
        add_problems(self, problems)
        return data


@admin.register(Lesson)
class LessonAdmin(ContentAdmin):
    form = LessonForm
    list_display = ("title", "module", "order", "status", "revision", "updated_at")
    list_filter = ("module__course", "module", *ContentAdmin.list_filter)
    search_fields = ("title", "slug", "summary", "body")
    readonly_fields = (*ContentAdmin.readonly_fields, "preview")
    ordering = ("module__course", "module__order", "order")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "uuid",
                    "module",
                    "title",
                    "slug",
                    "summary",
                    "order",
                    "status",
                    "revision",
                    "archived_at",
                )
            },
        ),
        ("Content", {"fields": ("body", "preview")}),
        ("Files", {"classes": ("collapse",), "fields": ("path",)}),
    )

    @admin.display(description="Preview (as saved)")
    def preview(self, obj: Lesson) -> str:
        if obj is None or obj.pk is None:
            return "Save the lesson to see its preview."
        # lesson_html sanitizes with the allow-list, so it is safe to mark.
        return format_html('<div class="lesson-preview">{}</div>', mark_safe(lesson_html(obj)))  # noqa: S308


class LabForm(forms.ModelForm):
    data = LinesField(label="Data", help_text="Ids from data/MANIFEST.yaml, one per line.")

    class Meta:
        model = Lab
        fields = (
            "uuid",
            "module",
            "title",
            "slug",
            "path",
            "summary",
            "queue",
            "wall_seconds",
            "cpu_seconds",
            "memory_mb",
            "data",
            "starter",
            "solution",
            "checks",
            "order",
            "status",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        problems: list[Problem] = []
        lab = LabData(
            uuid=str(data.get("uuid") or self.instance.uuid),
            slug=data.get("slug", ""),
            path=data.get("path", ""),
            title=data.get("title", ""),
            summary=data.get("summary", ""),
            queue=data.get("queue", "cpu"),
            data=data.get("data") or [],
            wall_seconds=data.get("wall_seconds") or 1,
            cpu_seconds=data.get("cpu_seconds") or 1,
            memory_mb=data.get("memory_mb") or 1,
        )
        formats.parse_lab(
            formats.lab_mapping(lab), "lab.yaml", problems, slug=lab.slug, folder=lab.path, derived=1
        )
        for name in ("starter", "solution", "checks"):
            if data.get(name):
                check_python(data[name], f"{name}.py", problems, need_checks=name == "checks")
        module = data.get("module")
        if module is not None and lab.data:
            problems += _data_problems(module.course_id, lab.data)
        add_problems(self, problems)
        return data


def _data_problems(course_id: int, ids: list[str]) -> list[Problem]:
    row = CourseFile.objects.filter(course_id=course_id, path=MANIFEST).first()
    if row is None:
        return [
            Problem(
                "lab.yaml",
                None,
                f"lab uses data {ids[0]!r} but the course has no {MANIFEST}",
                f"create {MANIFEST} listing {ids[0]!r}",
            )
        ]
    manifest = load_yaml(bytes(row.content).decode("utf-8", "replace"), MANIFEST, [])
    known = (
        {
            str(e.get("id"))
            for key in ("datasets", "models")
            for e in (manifest or {}).get(key) or []
            if isinstance(e, dict)
        }
        if isinstance(manifest, dict)
        else set()
    )
    return [
        Problem(
            "lab.yaml",
            None,
            f"data set {ident!r} is not in {MANIFEST}",
            f"add it to {MANIFEST}, or use one of: {', '.join(sorted(known)) or 'none yet'}",
        )
        for ident in ids
        if ident not in known
    ]


@admin.register(Lab)
class LabAdmin(ContentAdmin):
    form = LabForm
    list_display = ("title", "module", "queue", "order", "status", "revision")
    list_filter = ("queue", "module__course", *ContentAdmin.list_filter)
    search_fields = ("title", "slug", "summary")
    ordering = ("module__course", "module__order", "order")


@admin.register(ContentRevision)
class ContentRevisionAdmin(admin.ModelAdmin):
    """Snapshots are history: readable, never editable."""

    list_display = ("kind", "item_uuid", "revision", "created_at")
    list_filter = ("kind",)
    search_fields = ("item_uuid",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
