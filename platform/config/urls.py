"""URL routes of the site."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from common import views as common_views
from jobs.urls import api_urlpatterns as jobs_api
from quizzes.urls import api_urlpatterns as quizzes_api

admin.site.site_header = "LLM Masterclass authoring"
admin.site.site_title = "LLM Masterclass"

urlpatterns = [
    path("", common_views.home, name="home"),
    path("dashboard/", common_views.dashboard, name="dashboard"),
    path("healthz", common_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("catalog.urls")),
    path("api/", include("catalog.api_urls")),
    path("", include("jobs.urls")),
    path("api/", include((jobs_api, "jobs-api"))),
    path("", include("quizzes.urls")),
    path("api/", include((quizzes_api, "quizzes-api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
]
