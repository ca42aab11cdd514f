"""Writes of the job pipeline: submit, execute (on a worker), cancel, sweep lost runs."""

from __future__ import annotations

import logging
import tempfile
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from catalog.models import Lab
from catalog.services import revision_current
from common.events import group_send, send_event_on_commit
from jobs.models import ACTIVE, Job, JobArtifact, JobStatus, LabDraft
from jobs.runner import course_data_dir, sandbox_backend
from jobs.stream import MetricStream
from sandbox import EndReason, Limits, RunResult, RunSpec

log = logging.getLogger(__name__)

STATUS_FOR_REASON = {
    EndReason.SUCCEEDED: JobStatus.SUCCEEDED,
    EndReason.FAILED: JobStatus.FAILED,
    EndReason.TIMED_OUT: JobStatus.TIMED_OUT,
    EndReason.CPU_LIMIT: JobStatus.TIMED_OUT,
    EndReason.OUT_OF_MEMORY: JobStatus.OUT_OF_MEMORY,
    EndReason.OUTPUT_LIMIT: JobStatus.FAILED,
    EndReason.CANCELLED: JobStatus.CANCELLED,
    EndReason.LOST: JobStatus.LOST,
}
# Quiz code questions are small functions: they get tighter limits than labs.
QUESTION_LIMITS = Limits(wall_seconds=60, cpu_seconds=60, memory_mb=1024)
LOST_MESSAGE = (
    "The worker running your program stopped unexpectedly (not your code's fault). "
    "Everything it reported before is kept below."
)


class JobRejected(Exception):
    """A submission the learner must change or retry later; the message says why."""


def job_status_payload(job: Job) -> dict[str, Any]:
    """Return the small status message watchers of a job receive."""
    elapsed = job.elapsed_seconds()
    return {
        "type": "job.status",
        "status": job.status,
        "label": job.get_status_display(),
        "message": job.message,
        "score": job.score,
        "max_score": job.max_score,
        "checks": job.checks,
        "elapsed": None if elapsed is None else round(elapsed, 1),
        "retry": str(job.retry.uuid) if hasattr(job, "retry") and job.retry else None,
    }


def _enqueue(job: Job, wall_seconds: int) -> None:
    from workers.tasks import job_run_cpu, job_run_gpu

    task = job_run_gpu if job.queue == "jobs.gpu" else job_run_cpu
    # Hard limits just above the sandbox's own wall limit: the sandbox ends the run first.
    task.apply_async(args=[job.pk], soft_time_limit=wall_seconds + 30, time_limit=wall_seconds + 60)


def job_code_problem(code: str) -> str | None:
    """Return why a piece of learner code cannot be run, or None when it can."""
    if not code.strip():
        return "There is no code to run: write your program first."
    size = len(code.encode())
    if size > settings.JOBS_MAX_CODE_BYTES:
        return f"Your code is {size:,} bytes; the limit is {settings.JOBS_MAX_CODE_BYTES:,}."
    if "\x00" in code:
        return "Your code contains a NUL character; remove it and try again."
    return None


def _check_quota(user: Any) -> None:
    """Raise JobRejected when the user has too many runs going or used today's quota."""
    # The caller holds a transaction: lock the user's row so two quick clicks cannot both pass.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    active = Job.objects.filter(user=user, status__in=ACTIVE).count()
    if active >= settings.JOBS_MAX_ACTIVE_PER_USER:
        raise JobRejected(
            f"You already have {active} run(s) in progress (the limit is "
            f"{settings.JOBS_MAX_ACTIVE_PER_USER}). Wait for one to finish or cancel it."
        )
    since = timezone.now() - timedelta(days=1)
    if Job.objects.filter(user=user, created_at__gte=since).count() >= settings.JOBS_DAILY_QUOTA:
        raise JobRejected(
            f"You have used your {settings.JOBS_DAILY_QUOTA} runs for today. Try again tomorrow."
        )


def job_submit(*, user: Any, lab: Lab, code: str, mode: str = "full") -> Job:
    """Validate and queue a run of a learner's code for a lab."""
    if mode not in ("full", "smoke"):
        raise JobRejected("mode must be 'full' or 'smoke'")
    problem = job_code_problem(code)
    if problem:
        raise JobRejected(problem)
    with transaction.atomic():
        _check_quota(user)
        job = Job.objects.create(
            user=user,
            lab=lab,
            lab_revision=revision_current(lab),
            code=code,
            mode=mode,
            queue="jobs.gpu" if lab.queue == "gpu" else "jobs.cpu",
        )
        LabDraft.objects.update_or_create(user=user, lab=lab, defaults={"code": code})
        transaction.on_commit(lambda: _enqueue(job, lab.wall_seconds))
    return job


def job_submit_for_question(*, user: Any, question: Any, code: str) -> Job:
    """Validate and queue a run of a learner's answer to a quiz code question (graded by its checks)."""
    problem = job_code_problem(code)
    if problem:
        raise JobRejected(problem)
    with transaction.atomic():
        _check_quota(user)
        job = Job.objects.create(user=user, question=question, code=code, mode="full", queue="jobs.cpu")
        transaction.on_commit(lambda: _enqueue(job, int(QUESTION_LIMITS.wall_seconds)))
    return job


def _wall_seconds(job: Job) -> int:
    return job.lab.wall_seconds if job.lab is not None else int(QUESTION_LIMITS.wall_seconds)


def _run_spec(job: Job) -> RunSpec:
    if job.lab is None:
        # A quiz code question: small limits, no course data, graded by the question's checks.
        return RunSpec(
            files={"main.py": job.code},
            limits=QUESTION_LIMITS,
            mode="full",  # type: ignore[arg-type]
            data_dir=None,
            checks=job.question.checks if job.question else None,
        )
    lab = job.lab
    limits = Limits(wall_seconds=lab.wall_seconds, cpu_seconds=lab.cpu_seconds, memory_mb=lab.memory_mb)
    data_dir = course_data_dir(lab.module.course.slug)
    return RunSpec(
        files={"main.py": job.code},
        limits=limits,
        mode=job.mode,  # type: ignore[arg-type]
        data_dir=data_dir,
        checks=lab.checks or None,
    )


def job_execute(*, job_id: int, worker: str = "") -> Job | None:
    """Run a queued job in the sandbox (on a worker); return None when another worker has it."""
    now = timezone.now()
    won = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker=worker[:200]
    )
    if not won:
        return None
    job = Job.objects.select_related("lab__module__course", "question").get(pk=job_id)
    group_send(job.group, job_status_payload(job))
    cancel = threading.Event()
    if job.cancel_requested:
        cancel.set()
    stream = MetricStream(job, cancel)
    result: RunResult | None = None
    with tempfile.TemporaryDirectory(prefix="job-artifacts-") as tmp:
        stream.start()
        try:
            result = sandbox_backend().run(
                _run_spec(job), on_event=stream.put, cancel=cancel, artifacts_dir=Path(tmp)
            )
        except Exception:  # noqa: BLE001 - the learner gets "lost", the operator the traceback
            log.exception("sandbox run of job %s failed", job.uuid)
        finally:
            stream.stop()
        if result is not None:
            _store_artifacts(job, Path(tmp), result.artifacts)
    return job_finish(job=job, result=result)


def _store_artifacts(job: Job, folder: Path, names: tuple[str, ...]) -> None:
    for name in names:
        path = folder / name
        if path.is_symlink() or not path.is_file():
            continue
        size = path.stat().st_size
        if size > settings.JOBS_ARTIFACT_MAX_BYTES:
            continue
        with path.open("rb") as handle:
            artifact = JobArtifact(job=job, name=name[:200], size=size)
            artifact.file.save(Path(name).name, File(handle), save=True)


def job_finish(*, job: Job, result: RunResult | None) -> Job:
    """Record how a running job ended (compare-and-set from running) and tell its watchers."""
    if result is None:
        fields: dict[str, Any] = {
            "status": JobStatus.LOST,
            "message": EndReason.LOST.message(Limits()),
            "end_reason": EndReason.LOST.value,
        }
    else:
        grade = dict(result.grade or {})
        fields = {
            "status": STATUS_FOR_REASON[result.reason],
            "message": result.message,
            "end_reason": result.reason.value,
            "exit_code": result.exit_code,
            "log_tail": result.log_tail,
            "warm_start": result.warm,
            "score": grade.get("score"),
            "max_score": grade.get("max_score"),
            "checks": list(grade.get("checks") or []),
        }
        if grade.get("error"):
            fields["checks"] = [
                {
                    "name": "grader",
                    "title": "Grading",
                    "passed": False,
                    "points": 0,
                    "message": str(grade["error"])[:2000],
                }
            ]
    fields["finished_at"] = timezone.now()
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**fields)
    job.refresh_from_db()
    if job.question_id is not None:
        from quizzes.services import answer_grade_from_job

        answer_grade_from_job(job=job)
    group_send(job.group, job_status_payload(job))
    return job


def job_cancel(*, job: Job) -> Job:
    """Cancel a job: a queued one at once, a running one by asking its worker to stop it."""
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED,
        cancel_requested=True,
        finished_at=timezone.now(),
        message=EndReason.CANCELLED.message(Limits()),
        end_reason=EndReason.CANCELLED.value,
    )
    if not updated:
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    if updated:
        send_event_on_commit(job.group, job_status_payload(job))
    return job


def jobs_sweep_lost() -> list[Job]:
    """Mark running jobs whose worker stopped beating as lost, and re-run each once."""
    cutoff = timezone.now() - timedelta(seconds=settings.JOBS_LOST_AFTER_SECONDS)
    swept = []
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).select_related(
        "lab", "question"
    ):
        won = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).update(
            status=JobStatus.LOST,
            message=LOST_MESSAGE,
            end_reason=EndReason.LOST.value,
            finished_at=timezone.now(),
        )
        if not won:
            continue
        if job.retry_of_id is None and not job.cancel_requested:
            with transaction.atomic():
                retry = Job.objects.create(
                    user=job.user,
                    lab=job.lab,
                    question=job.question,
                    lab_revision=job.lab_revision,
                    code=job.code,
                    mode=job.mode,
                    queue=job.queue,
                    retry_of=job,
                )
                transaction.on_commit(lambda retry=retry: _enqueue(retry, _wall_seconds(retry)))
        job.refresh_from_db()
        group_send(job.group, job_status_payload(job))
        swept.append(job)
    return swept


def lab_draft_save(*, user: Any, lab: Lab, code: str) -> LabDraft:
    """Keep the learner's latest code for a lab."""
    size = len(code.encode())
    if size > settings.JOBS_MAX_CODE_BYTES:
        raise JobRejected(f"Your code is {size:,} bytes; the limit is {settings.JOBS_MAX_CODE_BYTES:,}.")
    draft, _ = LabDraft.objects.update_or_create(user=user, lab=lab, defaults={"code": code})
    return draft
