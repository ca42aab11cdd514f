"""Quiz pages and API; include with path("", include("quizzes.urls"))."""

from __future__ import annotations

from django.urls import path

from quizzes import api, views

app_name = "quizzes"

urlpatterns = [
    path("quizzes/<str:quiz_uuid>/", views.quiz_page, name="quiz"),
    path("quizzes/<str:quiz_uuid>/start/", views.quiz_start, name="start"),
    path("quizzes/<str:quiz_uuid>/statistics/", views.quiz_statistics, name="statistics"),
    path("attempts/<str:attempt_uuid>/", views.attempt_page, name="attempt"),
]

api_urlpatterns = [
    path("quizzes/<str:quiz_uuid>/", api.QuizDetailApi.as_view(), name="api-quiz"),
    path("quizzes/<str:quiz_uuid>/attempts/", api.AttemptStartApi.as_view(), name="api-attempt-start"),
    path("attempts/<str:attempt_uuid>/", api.AttemptDetailApi.as_view(), name="api-attempt"),
    path(
        "attempts/<str:attempt_uuid>/answers/<str:question_uuid>/",
        api.AttemptAnswerApi.as_view(),
        name="api-attempt-answer",
    ),
    path("attempts/<str:attempt_uuid>/submit/", api.AttemptSubmitApi.as_view(), name="api-attempt-submit"),
    path("attempts/<str:attempt_uuid>/results/", api.AttemptResultsApi.as_view(), name="api-attempt-results"),
]
