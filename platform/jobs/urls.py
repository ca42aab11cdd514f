from __future__ import annotations

from django.urls import path

from jobs import api, views

app_name = "jobs"

urlpatterns = [
    path("labs/<str:lab_uuid>/", views.lab_page, name="lab"),
    path("jobs/<str:job_uuid>/", views.job_page, name="job"),
]

api_urlpatterns = [
    path("jobs/", api.JobListCreateApi.as_view(), name="api-jobs"),
    path("jobs/<str:job_uuid>/", api.JobDetailApi.as_view(), name="api-job"),
    path("jobs/<str:job_uuid>/metrics/", api.JobMetricsApi.as_view(), name="api-job-metrics"),
    path("jobs/<str:job_uuid>/logs/", api.JobLogsApi.as_view(), name="api-job-logs"),
    path("jobs/<str:job_uuid>/artifacts/", api.JobArtifactsApi.as_view(), name="api-job-artifacts"),
    path(
        "jobs/<str:job_uuid>/artifacts/<str:name>",
        api.JobArtifactDownloadApi.as_view(),
        name="api-job-artifact",
    ),
    path("jobs/<str:job_uuid>/cancel/", api.JobCancelApi.as_view(), name="api-job-cancel"),
    path("labs/<str:lab_uuid>/draft/", api.LabDraftApi.as_view(), name="api-lab-draft"),
    path("labs/<str:lab_uuid>/runs/", api.LabRunsApi.as_view(), name="api-lab-runs"),
]
