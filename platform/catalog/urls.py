"""Learner pages of the catalog; include with path("", include("catalog.urls"))."""

from __future__ import annotations

from django.urls import path

from catalog import progress_views, views

app_name = "catalog"

# Fixed words come before <module_key>: a module cannot be named "progress", "gradebook" or "credits".
urlpatterns = [
    path("search/", views.search, name="search"),
    path("courses/<slug:course_slug>/", views.course_detail, name="course"),
    path("courses/<slug:course_slug>/progress/", progress_views.progress_page, name="progress"),
    path(
        "courses/<slug:course_slug>/progress/<int:user_id>/",
        progress_views.progress_page,
        name="learner-progress",
    ),
    path("courses/<slug:course_slug>/credits/", views.course_credits, name="credits"),
    path("courses/<slug:course_slug>/gradebook/", progress_views.gradebook_page, name="gradebook"),
    path("courses/<slug:course_slug>/gradebook.csv", progress_views.gradebook_export, name="gradebook-csv"),
    path("courses/<slug:course_slug>/<str:module_key>/", views.module_detail, name="module"),
    path("courses/<slug:course_slug>/<str:module_key>/<str:lesson_key>/", views.lesson_detail, name="lesson"),
    path(
        "courses/<slug:course_slug>/<str:module_key>/<str:lesson_key>/done/",
        views.lesson_done,
        name="lesson-done",
    ),
]
