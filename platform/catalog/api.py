"""REST API of the catalog: courses, modules, lessons (drafts for authors), progress and the gradebook."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.access import course_get_for_user, courses_for_user, lessons_for_user, modules_for_user
from catalog.gradebook import gradebook_build, gradebook_dict
from catalog.models import Course, Lesson, Module
from catalog.progress import course_progress
from catalog.progress_views import learner_get_for_user, staff_course_get
from catalog.selectors import lesson_html
from catalog.services import progress_mark_lesson_done


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


class ModuleProgressSerializer(serializers.Serializer):
    module = serializers.UUIDField()
    title = serializers.CharField()
    lessons_total = serializers.IntegerField()
    lessons_done = serializers.IntegerField()
    done_lessons = serializers.ListField(child=serializers.UUIDField())
    quiz_percent = serializers.FloatField(allow_null=True, help_text="kept quiz score; null before any")
    labs_total = serializers.IntegerField()
    labs_passed = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    course = serializers.CharField()
    user = serializers.IntegerField()
    percent = serializers.IntegerField()
    modules = ModuleProgressSerializer(many=True)


def progress_dict(progress: Any, learner: Any) -> dict[str, Any]:
    """Return a learner's course progress as plain JSON values."""
    return {
        "course": progress.course.slug,
        "user": learner.pk,
        "percent": progress.percent,
        "modules": [
            {
                "module": m.module.uuid,
                "title": m.module.title,
                "lessons_total": len(m.lessons),
                "lessons_done": m.lessons_done,
                "done_lessons": [lesson.uuid for lesson, done in m.lessons if done],
                "quiz_percent": m.quiz_percent,
                "labs_total": len(m.labs),
                "labs_passed": m.labs_passed,
            }
            for m in progress.modules
        ],
    }


class ProgressApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("user", int, description="another learner's id (course staff only)")],
        responses=ProgressSerializer,
    )
    def get(self, request: Request, course_slug: str) -> Response:
        """Return the caller's progress in a course (instructors: any learner's, with ?user=)."""
        course = course_get_for_user(request.user, course_slug)
        learner = learner_get_for_user(request.user, request.query_params.get("user"))
        return Response(
            ProgressSerializer(progress_dict(course_progress(request.user, learner, course), learner)).data
        )


class LessonDoneApi(APIView):
    def _lesson(self, request: Request, lesson_uuid: str) -> Lesson:
        try:
            key = uuid.UUID(lesson_uuid)
        except ValueError:
            raise Http404("no such lesson") from None
        lesson = lessons_for_user(request.user).filter(uuid=key).first()
        if lesson is None:
            raise Http404("no such lesson")
        return lesson

    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request, lesson_uuid: str) -> Response:
        """Mark a lesson as done."""
        lesson = self._lesson(request, lesson_uuid)
        return Response(
            {"lesson": lesson.uuid, "done": progress_mark_lesson_done(user=request.user, lesson=lesson)}
        )

    @extend_schema(request=None, responses={200: dict})
    def delete(self, request: Request, lesson_uuid: str) -> Response:
        """Mark a lesson as not done."""
        lesson = self._lesson(request, lesson_uuid)
        done = progress_mark_lesson_done(user=request.user, lesson=lesson, done=False)
        return Response({"lesson": lesson.uuid, "done": done})


class GradebookApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("module", str, description="module slug")], responses={200: dict}
    )
    def get(self, request: Request, course_slug: str) -> Response:
        """Return the gradebook of a course (course staff only): learners x items in percent."""
        course = staff_course_get(request.user, course_slug)
        key = request.query_params.get("module")
        module = Module.objects.live().filter(course=course, slug=key).first() if key else None
        if key and module is None:
            raise Http404("no such module")
        return Response(gradebook_dict(gradebook_build(course=course, module=module)))
