"""Read-only REST API for published courses, modules and lessons (drafts for authors)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from catalog.access import courses_for_user, lessons_for_user, modules_for_user
from catalog.models import Course, Lesson, Module
from catalog.selectors import lesson_html


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ("uuid", "slug", "title", "summary", "status", "revision")


class ModuleSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Module
        fields = ("uuid", "course", "slug", "title", "summary", "order", "status", "revision")


class LessonSerializer(serializers.ModelSerializer):
    module = serializers.UUIDField(source="module.uuid", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Lesson
        fields = ("uuid", "module", "slug", "title", "summary", "order", "status", "revision", "url")

    @extend_schema_field(serializers.CharField())
    def get_url(self, lesson: Lesson) -> str:
        return f"/courses/{lesson.module.course.slug}/{lesson.module.slug}/{lesson.slug}/"


class LessonDetailSerializer(LessonSerializer):
    html = serializers.SerializerMethodField()

    class Meta(LessonSerializer.Meta):
        fields = (*LessonSerializer.Meta.fields, "body", "html")  # type: ignore[assignment]

    @extend_schema_field(serializers.CharField())
    def get_html(self, lesson: Lesson) -> str:
        return lesson_html(lesson)


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """Courses the user may read, by slug."""

    serializer_class = CourseSerializer
    permission_classes = (IsAuthenticated,)
    lookup_field = "slug"

    def get_queryset(self) -> Any:
        return courses_for_user(self.request.user).order_by("title")


class ModuleViewSet(viewsets.ReadOnlyModelViewSet):
    """Modules the user may read, by uuid; filter with ?course=<slug>."""

    serializer_class = ModuleSerializer
    permission_classes = (IsAuthenticated,)
    lookup_field = "uuid"

    def get_queryset(self) -> Any:
        qs = modules_for_user(self.request.user).order_by("course__title", "order")
        course = self.request.query_params.get("course")
        return qs.filter(course__slug=course) if course else qs


class LessonViewSet(viewsets.ReadOnlyModelViewSet):
    """Lessons the user may read, by uuid; filter with ?module=<uuid>; detail includes rendered HTML."""

    permission_classes = (IsAuthenticated,)
    lookup_field = "uuid"

    def get_serializer_class(self) -> Any:
        return LessonDetailSerializer if self.action == "retrieve" else LessonSerializer

    def get_queryset(self) -> Any:
        qs = lessons_for_user(self.request.user).order_by("module__order", "order")
        module = self.request.query_params.get("module")
        return qs.filter(module__uuid=module) if module else qs
