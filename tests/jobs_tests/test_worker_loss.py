"""A worker killed mid-job: the job ends lost, keeps its points, and is re-run once."""

from __future__ import annotations

import os
import signal
import time

import pytest

from jobs.models import Job, JobMetric, JobStatus
from jobs.services import job_submit, jobs_sweep_lost
from tests.support.servers import celery_worker

SLOW = """
import time
from masterclass import report
for step in range({steps}):
    report(step=step, loss=1.0 / (step + 1))
    time.sleep({pause})
report(w=2.0, b=1.0)
"""

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_killed_worker_leaves_a_lost_job_with_its_points_and_one_rerun(
    student, lab, log_dir, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.JOBS_LOST_AFTER_SECONDS = 3
    with celery_worker(log_dir / "worker-1.log", queues="jobs.cpu", JOBS_HEARTBEAT_SECONDS="1") as worker:
        job = job_submit(user=student, lab=lab, code=SLOW.format(steps=800, pause=0.02))
        wait_for(lambda: JobMetric.objects.filter(job=job).count() >= 20, 120, "the first points")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    stored = JobMetric.objects.filter(job=job).count()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    time.sleep(4)
    assert [j.pk for j in jobs_sweep_lost()] == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.LOST and "not your code" in job.message
    assert JobMetric.objects.filter(job=job).count() >= stored, "points stored before the kill were lost"
    retry = Job.objects.get(retry_of=job)
    with celery_worker(log_dir / "worker-2.log", queues="jobs.cpu"):
        wait_for(lambda: Job.objects.get(pk=retry.pk).status not in ("queued", "running"), 180, "the re-run")
    retry.refresh_from_db()
    assert retry.status == JobStatus.SUCCEEDED, retry.message
    assert retry.metric_points == 801
    assert not Job.objects.filter(retry_of=retry).exists()
