"""Attempts through the API: start, save, submit, limits, scoring rules, nothing recorded on refusal."""

from __future__ import annotations

import pytest
from django.test import Client

from jobs.models import Job
from quizzes.models import Answer, Attempt, Quiz
from quizzes.services import answer_grade_from_job, attempt_start, attempt_submit
from tests.learning_tests.conftest import (
    Q_CODE,
    Q_MULTIPLE,
    Q_NUMERIC,
    Q_SINGLE,
    Q_TEXT,
    RIGHT,
    WRONG,
)


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def start(client: Client, quiz: Quiz) -> dict:  # type: ignore[type-arg]
    response = client.post(f"/api/quizzes/{quiz.uuid}/attempts/")
    assert response.status_code == 201, response.content
    return response.json()


def submit(client: Client, attempt: str, answers: dict):  # type: ignore[no-untyped-def,type-arg]
    return client.post(
        f"/api/attempts/{attempt}/submit/", {"answers": answers}, content_type="application/json"
    )


def test_a_full_attempt_is_graded_on_the_server(student, quiz, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    attempt = start(client, quiz)
    assert len(attempt["questions"]) == 6
    assert attempt["score"] is None
    response = submit(client, attempt["uuid"], RIGHT)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["submitted"] and body["pending"]
    # Everything but the code question (2 + 1 + 1 + 1 + 1 points of 7) is graded at once.
    assert body["score"] == 6 and body["max_score"] == 7
    verdicts = {q["uuid"]: q["verdict"] for q in body["questions"]}
    assert verdicts[Q_CODE] == "pending" and verdicts[Q_SINGLE] == "correct"
    assert all(q["explanation_html"] for q in body["questions"])
    assert Job.objects.filter(user=student, question__uuid=Q_CODE).count() == 1


def test_code_answer_is_graded_by_its_run(student, quiz, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    attempt = start(client, quiz)
    submit(client, attempt["uuid"], RIGHT)
    answer = Answer.objects.get(attempt__uuid=attempt["uuid"], question__uuid=Q_CODE)
    job = answer.job
    assert job is not None and job.question_id == answer.question_id and job.lab_id is None
    job.status, job.score, job.max_score = "succeeded", 1.0, 1.0
    job.checks = [
        {
            "name": "check_predict",
            "title": "predict gives w * x + b",
            "passed": True,
            "points": 1,
            "message": "",
        }
    ]
    job.save()
    answer_grade_from_job(job=job)
    body = client.get(f"/api/attempts/{attempt['uuid']}/results/").json()
    assert body["score"] == 7 and not body["pending"]
    code = next(q for q in body["questions"] if q["uuid"] == Q_CODE)
    assert code["verdict"] == "correct" and code["feedback"]["checks"][0]["passed"] is True


def test_partial_credit_for_multiple_select(student, quiz, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    attempt = start(client, quiz)
    body = submit(client, attempt["uuid"], {**RIGHT, Q_MULTIPLE: WRONG[Q_MULTIPLE]}).json()
    multiple = next(q for q in body["questions"] if q["uuid"] == Q_MULTIPLE)
    # One right (never negative) and one wrong (accuracy) of three right options: max(0, 1 - 1) / 3.
    assert multiple["score"] == 0 and multiple["verdict"] == "incorrect"
    attempt = start(client, quiz)
    body = submit(
        client,
        attempt["uuid"],
        {**RIGHT, Q_MULTIPLE: {"choices": ["It is never negative", "It is smooth in w and b"]}},
    ).json()
    multiple = next(q for q in body["questions"] if q["uuid"] == Q_MULTIPLE)
    assert multiple["score"] == pytest.approx(2 * 2 / 3, abs=1e-6) and multiple["verdict"] == "partial"


@pytest.mark.parametrize(
    ("question", "response", "message"),
    [
        (Q_NUMERIC, {"value": ""}, "Enter a number"),
        (Q_NUMERIC, {"value": "four"}, "is not a number"),
        (Q_NUMERIC, {"value": "nan"}, "finite"),
        (Q_SINGLE, {"choice": ""}, "Choose one option"),
        (Q_SINGLE, {"choice": "Something else"}, "not one of the options"),
        (Q_SINGLE, "The slope", "malformed"),
        (Q_MULTIPLE, {"choices": []}, "at least one"),
        (Q_MULTIPLE, {"choices": "It is never negative"}, "list"),
        (Q_TEXT, {"text": "   "}, "Write an answer"),
        (Q_TEXT, {"text": "x" * 501}, "limit is 500"),
        (Q_CODE, {"code": ""}, "Write your code"),
    ],
)
def test_invalid_answers_are_refused_and_consume_nothing(  # type: ignore[no-untyped-def]
    student, quiz, no_enqueue, question, response, message
) -> None:
    client = client_for(student)
    attempt = start(client, quiz)
    refused = submit(client, attempt["uuid"], {**RIGHT, question: response})
    assert refused.status_code == 400
    assert message in refused.json()["errors"][question]
    row = Attempt.objects.get(uuid=attempt["uuid"])
    assert row.submitted_at is None and row.score is None
    assert not Answer.objects.filter(attempt=row, score__isnull=False).exists()
    assert not Job.objects.exists()
    # The attempt is still open and takes valid answers.
    assert submit(client, attempt["uuid"], RIGHT).status_code == 200


def test_saving_one_answer_validates_it(student, quiz) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    attempt = start(client, quiz)
    url = f"/api/attempts/{attempt['uuid']}/answers/{Q_NUMERIC}/"
    bad = client.put(url, {"response": {"value": "1,5"}}, content_type="application/json")
    assert bad.status_code == 400 and "not a number" in bad.json()["errors"][Q_NUMERIC]
    good = client.put(url, {"response": {"value": "4"}}, content_type="application/json")
    assert good.status_code == 200 and good.json()["response"] == {"value": "4"}
    again = client.get(f"/api/attempts/{attempt['uuid']}/").json()
    assert next(q for q in again["questions"] if q["uuid"] == Q_NUMERIC)["response"] == {"value": "4"}


def test_attempts_limit_refuses_and_records_nothing(student, quiz, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    for _ in range(quiz.attempts_allowed):
        attempt = start(client, quiz)
        assert submit(client, attempt["uuid"], WRONG).status_code == 200
    refused = client.post(f"/api/quizzes/{quiz.uuid}/attempts/")
    assert refused.status_code == 409 and "all 3 attempt" in refused.json()["detail"]
    # An attempt opened before the limit was reached (say, in another tab) cannot be submitted either.
    stale = Attempt.objects.create(
        user=student, quiz=quiz, quiz_revision=Attempt.objects.first().quiz_revision
    )
    before = (Attempt.objects.count(), Answer.objects.count(), Job.objects.count())
    late = submit(client, str(stale.uuid), RIGHT)
    assert late.status_code == 409
    stale.refresh_from_db()
    assert stale.submitted_at is None and stale.score is None
    assert (Attempt.objects.count(), Answer.objects.count(), Job.objects.count()) == before
    # Submitting a submitted attempt again is refused too.
    done = Attempt.objects.filter(user=student, submitted_at__isnull=False).first()
    assert submit(client, str(done.uuid), RIGHT).status_code == 409
    assert client.get(f"/api/quizzes/{quiz.uuid}/").json()["attempts_left"] == 0


def test_best_and_last_scoring(student, quiz, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    from quizzes.selectors import quiz_scores

    first = attempt_start(user=student, quiz=quiz)
    attempt_submit(attempt=first, responses=RIGHT)
    second = attempt_start(user=student, quiz=quiz)
    attempt_submit(attempt=second, responses=WRONG)
    assert quiz_scores([quiz])[(student.pk, quiz.pk)] == pytest.approx(6 / 7)
    quiz.scoring = "last"
    quiz.save()
    assert quiz_scores([quiz])[(student.pk, quiz.pk)] == 0


def test_options_are_shuffled_per_attempt_with_a_stored_seed(student, quiz, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    client = client_for(student)
    orders = set()
    for _ in range(3):
        attempt = start(client, quiz)
        again = client.get(f"/api/attempts/{attempt['uuid']}/").json()
        assert again["questions"] == attempt["questions"]  # the same attempt shows the same order
        ordering = next(q for q in attempt["questions"] if q["type"] == "ordering")
        assert ordering["options"] != RIGHT["c711bbc5-1d0e-4354-92c3-40ef322c9447"]["order"]
        orders.add(tuple(q for x in attempt["questions"] for q in x["options"]))
        submit(client, attempt["uuid"], WRONG)
    assert Attempt.objects.values("seed").distinct().count() == 3
