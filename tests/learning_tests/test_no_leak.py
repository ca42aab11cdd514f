"""Before submission neither the quiz pages nor the API carry right answers or explanations."""

from __future__ import annotations

import json

from django.test import Client

from quizzes.models import Question
from tests.learning_tests.conftest import Q_ORDERING, RIGHT

# Keys of the question model that hold answers, and the texts only answers and explanations contain.
SECRET_KEYS = (
    "answers",
    "numeric_answer",
    "tolerance",
    "accepted",
    "pattern",
    "checks",
    "explanation",
    "explanation_html",
    "feedback",
    "verdict",
    "right",
)


def secrets(quiz) -> list[str]:  # type: ignore[no-untyped-def]
    """Return texts only answers and explanations hold (not also in a prompt, option or starter)."""
    questions = list(Question.objects.filter(quiz=quiz))
    visible = " ".join(q.prompt + " ".join(q.options) + q.starter for q in questions).lower()
    found = []
    for q in questions:
        found.append(q.explanation[:40])
        found += [a for a in q.accepted]
        if q.pattern:
            found.append(q.pattern)
        if q.checks:
            found.append("check_predict")
            found.append("predict(2, 3, 1) should be")
    return [f for f in found if f.lower() not in visible]


def walk_keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in walk_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in walk_keys(v)}
    return set()


def test_nothing_secret_before_submission(student, quiz, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(student)
    quiz_page = client.get(f"/quizzes/{quiz.uuid}/").content.decode()
    start = client.post(f"/quizzes/{quiz.uuid}/start/")
    assert start.status_code == 302
    attempt_url = start["Location"]
    attempt_page = client.get(attempt_url).content.decode()
    attempt_uuid = attempt_url.rstrip("/").rsplit("/", 1)[-1]
    api_attempt = client.get(f"/api/attempts/{attempt_uuid}/").json()
    api_start = client.post(f"/api/quizzes/{quiz.uuid}/attempts/").json()
    api_quiz = client.get(f"/api/quizzes/{quiz.uuid}/").json()
    api_results = client.get(f"/api/attempts/{attempt_uuid}/results/")
    assert api_results.status_code == 409
    assert 'name="q-' in attempt_page and len(api_attempt["questions"]) == 6

    assert "steepest descent" in secrets(quiz)
    for name, text in [
        ("quiz page", quiz_page),
        ("attempt page", attempt_page),
        ("api", json.dumps([api_attempt, api_start, api_quiz, api_results.json()])),
    ]:
        for secret in secrets(quiz):
            assert secret not in text, f"{secret!r} leaked in the {name}"
    for payload in (api_attempt, api_start):
        assert not walk_keys(payload) & set(SECRET_KEYS)
        ordering = next(q for q in payload["questions"] if q["uuid"] == Q_ORDERING)
        assert ordering["options"] != RIGHT[Q_ORDERING]["order"]
    # The ordering items appear in the page in the shuffled order, never the right one.
    positions = [attempt_page.index(f'value="{item}"') for item in RIGHT[Q_ORDERING]["order"]]
    assert positions != sorted(positions)

    # After submission the same attempt shows explanations and right answers.
    client.post(f"/api/attempts/{attempt_uuid}/submit/", {"answers": RIGHT}, content_type="application/json")
    after = client.get(attempt_url).content.decode()
    assert "Right answer" in after and 'data-testid="explanation"' in after
