"""Only the owner and course staff see a job: pages, API and websocket alike."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from jobs.models import JobMetric
from jobs.services import job_submit


@pytest.fixture
def job(student, lab, no_enqueue):  # type: ignore[no-untyped-def]
    job = job_submit(user=student, lab=lab, code="print(1)")
    JobMetric.objects.create(job=job, seq=1, step=0, name="loss", value=1.5, t=0.0)
    return job


JOB_URLS = [
    "/jobs/{}/",
    "/api/jobs/{}/",
    "/api/jobs/{}/metrics/",
    "/api/jobs/{}/logs/",
    "/api/jobs/{}/artifacts/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", JOB_URLS)
def test_owner_and_staff_see_a_job_others_get_404(client, job, other_student, instructor, url) -> None:  # type: ignore[no-untyped-def]
    target = url.format(job.uuid)
    client.force_login(job.user)
    assert client.get(target).status_code == 200
    client.force_login(instructor)
    assert client.get(target).status_code == 200
    client.force_login(other_student)
    assert client.get(target).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", JOB_URLS)
def test_anonymous_users_see_no_job(client, job, url) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url.format(job.uuid))
    assert response.status_code in (302, 403)
    assert str(job.uuid) not in response.content.decode() or response.status_code == 302


@pytest.mark.django_db
def test_another_student_cannot_cancel(client, job, other_student) -> None:  # type: ignore[no-untyped-def]
    client.force_login(other_student)
    assert client.post(f"/api/jobs/{job.uuid}/cancel/").status_code == 404
    job.refresh_from_db()
    assert job.status == "queued"


@pytest.mark.django_db
def test_api_submit_validates_and_explains(client, student, lab, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    client.force_login(student)
    ok = client.post(
        "/api/jobs/", {"lab": str(lab.uuid), "code": "print(2)"}, content_type="application/json"
    )
    assert ok.status_code == 201 and ok.json()["status"] == "queued"
    empty = client.post("/api/jobs/", {"lab": str(lab.uuid), "code": "  "}, content_type="application/json")
    assert empty.status_code == 400 and "no code" in empty.json()["detail"]
    missing = client.post("/api/jobs/", {"lab": "not-a-uuid", "code": "x"}, content_type="application/json")
    assert missing.status_code == 400 and "lab" in missing.json()


@pytest.mark.django_db
def test_lab_page_shows_starter_or_draft_and_never_the_solution(client, student, lab) -> None:  # type: ignore[no-untyped-def]
    client.force_login(student)
    page = client.get(f"/labs/{lab.uuid}/").content.decode()
    assert "def fit(" in page
    assert lab.solution not in page
    client.put(f"/api/labs/{lab.uuid}/draft/", {"code": "# my draft"}, content_type="application/json")
    assert "# my draft" in client.get(f"/labs/{lab.uuid}/").content.decode()


async def _connect(user, job):  # type: ignore[no-untyped-def]
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if user is not None:
        client = Client()
        await sync_to_async(client.force_login)(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    communicator = WebsocketCommunicator(application, f"/ws/jobs/{job.uuid}/", headers=headers)
    return communicator, await communicator.connect()


@pytest.mark.django_db(transaction=True)
async def test_websocket_admits_owner_and_staff_refuses_others(job, other_student, instructor) -> None:  # type: ignore[no-untyped-def]
    owner = await sync_to_async(lambda: job.user)()
    for user in (owner, instructor):
        communicator, (connected, _) = await _connect(user, job)
        assert connected
        backlog = await communicator.receive_json_from()
        assert backlog["type"] == "backlog" and backlog["points"][0]["values"] == {"loss": 1.5}
        status = await communicator.receive_json_from()
        assert status["type"] == "job.status" and status["status"] == "queued"
        await communicator.disconnect()
    for user in (other_student, None):
        communicator, (connected, code) = await _connect(user, job)
        assert not connected and code == 4404
