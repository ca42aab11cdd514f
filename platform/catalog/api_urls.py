"""API routes of the catalog; include with path("api/", include("catalog.api_urls"))."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from catalog import api

router = SimpleRouter()
router.register("courses", api.CourseViewSet, basename="api-course")
router.register("modules", api.ModuleViewSet, basename="api-module")
router.register("lessons", api.LessonViewSet, basename="api-lesson")

urlpatterns = [
    path("progress/<slug:course_slug>/", api.ProgressApi.as_view(), name="api-progress"),
    path("gradebook/<slug:course_slug>/", api.GradebookApi.as_view(), name="api-gradebook"),
    path("lessons/<str:lesson_uuid>/done/", api.LessonDoneApi.as_view(), name="api-lesson-done"),
    *router.urls,
]
