"""Learner pages of the catalog; include with path("", include("catalog.urls"))."""

from __future__ import annotations

from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("courses/<slug:course_slug>/<str:module_key>/<str:lesson_key>/", views.lesson_detail, name="lesson"),
]
