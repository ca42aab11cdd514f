"""API routes of the catalog; include with path("api/", include("catalog.api_urls"))."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from catalog import api

router = SimpleRouter()
router.register("courses", api.CourseViewSet, basename="api-course")
router.register("modules", api.ModuleViewSet, basename="api-module")
router.register("lessons", api.LessonViewSet, basename="api-lesson")

urlpatterns = router.urls
