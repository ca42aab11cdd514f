"""Thin Celery tasks: load rows by id and call services."""

from __future__ import annotations

import socket
from typing import Any

from celery import shared_task


@shared_task(name="workers.tasks.ping")
def ping(payload: str = "pong") -> dict[str, str]:
    """Answer with the payload and the worker's host name (a round-trip health check)."""
    return {"payload": payload, "worker": socket.gethostname()}


def _job_run(task: Any, job_id: int) -> str | None:
    from jobs.services import job_execute

    job = job_execute(job_id=job_id, worker=task.request.hostname or socket.gethostname())
    return None if job is None else job.status


@shared_task(name="workers.tasks.job_run_cpu", bind=True, acks_late=True, reject_on_worker_lost=True)
def job_run_cpu(self: Any, job_id: int) -> str | None:
    """Run a queued job on a CPU worker."""
    return _job_run(self, job_id)


@shared_task(name="workers.tasks.job_run_gpu", bind=True, acks_late=True, reject_on_worker_lost=True)
def job_run_gpu(self: Any, job_id: int) -> str | None:
    """Run a queued job on a GPU worker."""
    return _job_run(self, job_id)


@shared_task(name="workers.tasks.jobs_sweep_lost")
def jobs_sweep_lost() -> int:
    """Mark jobs whose worker died as lost (and re-run each once)."""
    from jobs.services import jobs_sweep_lost as sweep

    return len(sweep())
