"""job_submit, job_execute, job_cancel and the lost-job sweeper, with a scripted sandbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import Job, JobMetric, JobStatus
from jobs.selectors import bucket_min_max, job_metric_points
from jobs.services import JobRejected, job_cancel, job_execute, job_submit, jobs_sweep_lost
from sandbox import EndReason

pytestmark = pytest.mark.django_db(transaction=True)


def metric(step: int, **values: float) -> dict:
    return {"type": "metric", "step": step, "values": values, "t": timezone.now().timestamp()}


def test_submit_queues_a_job_with_the_lab_revision(student, lab, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    job = job_submit(user=student, lab=lab, code="print('hi')")
    assert job.status == JobStatus.QUEUED and job.queue == "jobs.cpu"
    assert job.lab_revision.revision == lab.revision and "solution" not in job.lab_revision.snapshot
    assert no_enqueue == [job.pk]
    assert student.lab_drafts.get(lab=lab).code == "print('hi')"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("   \n", "no code"), ("x" * 100_001, "limit is 100,000"), ("a\x00b", "NUL")],
)
def test_submit_rejects_bad_code_and_records_nothing(student, lab, no_enqueue, code, fragment) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(JobRejected, match=fragment):
        job_submit(user=student, lab=lab, code=code)
    assert not Job.objects.exists() and no_enqueue == []


def test_submit_enforces_concurrency_and_daily_quota(student, lab, no_enqueue, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOBS_MAX_ACTIVE_PER_USER = 2
    job_submit(user=student, lab=lab, code="1")
    job_submit(user=student, lab=lab, code="2")
    with pytest.raises(JobRejected, match="2 run"):
        job_submit(user=student, lab=lab, code="3")
    Job.objects.update(status=JobStatus.SUCCEEDED)
    settings.JOBS_DAILY_QUOTA = 3
    job_submit(user=student, lab=lab, code="3")
    Job.objects.update(status=JobStatus.SUCCEEDED)
    with pytest.raises(JobRejected, match="today"):
        job_submit(user=student, lab=lab, code="4")
    assert Job.objects.count() == 3


def test_execute_stores_every_point_and_grades(student, lab, no_enqueue, fake_sandbox) -> None:  # type: ignore[no-untyped-def]
    events = [metric(i, loss=1 / (i + 1), val_loss=1.2 / (i + 1)) for i in range(120)]
    events.append({"type": "log", "message": "epoch done"})
    grade = {
        "score": 3.0,
        "max_score": 3.0,
        "checks": [{"name": "check_x", "title": "X", "passed": True, "points": 3.0, "message": ""}],
    }
    backend = fake_sandbox(events=events, grade=grade)
    job = job_submit(user=student, lab=lab, code="train()")
    done = job_execute(job_id=job.pk, worker="w1")
    assert done is not None and done.status == JobStatus.SUCCEEDED
    assert done.message == "Your program finished successfully."
    assert (done.score, done.max_score) == (3.0, 3.0) and done.passed
    assert JobMetric.objects.filter(job=job).count() == 240
    assert done.last_seq == 120 and done.metric_points == 120
    spec = backend.specs[0]
    assert spec.files["main.py"] == "train()" and spec.checks == lab.checks
    assert spec.limits.wall_seconds == lab.wall_seconds and spec.limits.memory_mb == lab.memory_mb


def test_a_job_runs_once_even_when_two_workers_race(student, lab, no_enqueue, fake_sandbox) -> None:  # type: ignore[no-untyped-def]
    backend = fake_sandbox(events=[metric(0, loss=1.0)])
    job = job_submit(user=student, lab=lab, code="x")
    assert job_execute(job_id=job.pk, worker="a") is not None
    assert job_execute(job_id=job.pk, worker="b") is None
    assert len(backend.specs) == 1


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        (EndReason.FAILED, JobStatus.FAILED),
        (EndReason.TIMED_OUT, JobStatus.TIMED_OUT),
        (EndReason.CPU_LIMIT, JobStatus.TIMED_OUT),
        (EndReason.OUT_OF_MEMORY, JobStatus.OUT_OF_MEMORY),
        (EndReason.OUTPUT_LIMIT, JobStatus.FAILED),
        (EndReason.CANCELLED, JobStatus.CANCELLED),
    ],
)
def test_every_ending_has_a_status_and_a_message(
    student, lab, no_enqueue, fake_sandbox, reason, status
) -> None:  # type: ignore[no-untyped-def]
    fake_sandbox(reason=reason, exit_code=1)
    job = job_execute(job_id=job_submit(user=student, lab=lab, code="x").pk)
    assert job.status == status and len(job.message) > 20


def test_cancel_a_queued_job_at_once(student, lab, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    job = job_cancel(job=job_submit(user=student, lab=lab, code="x"))
    assert job.status == JobStatus.CANCELLED
    assert job_execute(job_id=job.pk) is None


def test_sweeper_marks_dead_runs_lost_keeps_metrics_and_reruns_once(
    student, lab, no_enqueue, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.JOBS_LOST_AFTER_SECONDS = 30
    job = job_submit(user=student, lab=lab, code="x")
    stale = timezone.now() - timedelta(seconds=60)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=stale, heartbeat_at=stale)
    JobMetric.objects.create(job=job, seq=1, step=0, name="loss", value=2.0, t=0.1)
    swept = jobs_sweep_lost()
    assert [j.pk for j in swept] == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.LOST and "not your code" in job.message
    assert job.metrics.count() == 1
    retry = job.retry
    assert retry.status == JobStatus.QUEUED and no_enqueue[-1] == retry.pk
    Job.objects.filter(pk=retry.pk).update(status=JobStatus.RUNNING, heartbeat_at=stale)
    jobs_sweep_lost()
    retry.refresh_from_db()
    assert retry.status == JobStatus.LOST and not Job.objects.filter(retry_of=retry).exists()


def test_min_max_bucketing_keeps_spikes() -> None:
    series = [(i, 1.0) for i in range(10_000)]
    series[7777] = (7777, 50.0)
    series[1234] = (1234, -9.0)
    kept = bucket_min_max(series, 400)
    assert len(kept) <= 400
    values = [v for _, v in kept]
    assert 50.0 in values and -9.0 in values
    assert [s for s, _ in kept] == sorted(s for s, _ in kept)


def test_backlog_is_bucketed_per_metric_and_resumes_after_a_seq(student, lab, no_enqueue) -> None:  # type: ignore[no-untyped-def]
    job = job_submit(user=student, lab=lab, code="x")
    JobMetric.objects.bulk_create(
        [JobMetric(job=job, seq=i, step=i, name="loss", value=float(i % 7), t=i / 10) for i in range(1, 6001)]
    )
    full = job_metric_points(job, max_points=1000)
    assert full["downsampled"] and len(full["points"]) <= 1000 and full["seq"] == 6000
    tail = job_metric_points(job, after=5990)
    assert [p["seq"] for p in tail["points"]] == list(range(5991, 6001))


def test_metric_names_that_are_not_plain_identifiers_are_dropped(
    student, lab, no_enqueue, fake_sandbox
) -> None:  # type: ignore[no-untyped-def]
    fake_sandbox(events=[metric(0, loss=1.0, **{"<img src=x onerror=alert(1)>": 2.0, "val/acc": 0.5})])
    job = job_execute(job_id=job_submit(user=student, lab=lab, code="x").pk)
    assert set(JobMetric.objects.filter(job=job).values_list("name", flat=True)) == {"loss", "val/acc"}
