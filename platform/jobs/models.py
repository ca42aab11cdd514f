"""Training jobs: one row per run of a learner's code, with every metric point it reported."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    TIMED_OUT = "timed_out", "Timed out"
    OUT_OF_MEMORY = "out_of_memory", "Out of memory"
    LOST = "lost", "Lost"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """A learner's run of a lab (or of a quiz code question): code, queue, state machine, outcome and grade."""

    uuid = models.UUIDField(unique=True, default=uuid_lib.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    lab = models.ForeignKey(
        "catalog.Lab",
        on_delete=models.PROTECT,
        related_name="jobs",
        null=True,
        blank=True,
        help_text="The lab run; empty for a quiz code question's run.",
    )
    question = models.ForeignKey(
        "quizzes.Question",
        on_delete=models.PROTECT,
        related_name="jobs",
        null=True,
        blank=True,
        help_text="The quiz code question this run grades.",
    )
    lab_revision = models.ForeignKey(
        "catalog.ContentRevision",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        help_text="The lab as it was when the run was made.",
    )
    code = models.TextField()
    mode = models.CharField(max_length=8, default="full")
    queue = models.CharField(max_length=16, default="jobs.cpu")
    status = models.CharField(
        max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    message = models.TextField(blank=True, help_text="What happened, in words a learner understands.")
    exit_code = models.IntegerField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, blank=True, help_text="The sandbox's own end reason.")
    log_tail = models.TextField(blank=True)
    worker = models.CharField(max_length=200, blank=True)
    warm_start = models.BooleanField(default=False)
    cancel_requested = models.BooleanField(default=False)
    retry_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="retry"
    )
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    checks = models.JSONField(default=list, blank=True)
    last_seq = models.PositiveIntegerField(default=0, help_text="Sequence number of the last stored batch.")
    metric_points = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[Any]] = [
            models.Index(fields=["user", "status"]),
            models.Index(fields=["lab", "user"]),
        ]

    def __str__(self) -> str:
        return f"job {self.uuid} ({self.status})"

    @property
    def group(self) -> str:
        """The Channels group that watchers of this job join."""
        return f"job-{self.uuid}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def passed(self) -> bool:
        return (
            self.score is not None
            and self.max_score is not None
            and self.max_score > 0
            and self.score >= self.max_score
        )

    def elapsed_seconds(self) -> float | None:
        if self.started_at is None:
            return None
        from django.utils import timezone

        end = self.finished_at or timezone.now()
        return (end - self.started_at).total_seconds()


class JobMetric(models.Model):
    """One value of one metric at one point of a run (a row per name)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="metrics")
    seq = models.PositiveIntegerField(help_text="The sandbox event sequence number of the point.")
    step = models.IntegerField(null=True)
    name = models.CharField(max_length=64)
    value = models.FloatField(null=True, help_text="Null marks a diverged (non-finite) value.")
    t = models.FloatField(help_text="Seconds since the run started.")

    class Meta:
        ordering: ClassVar[list[str]] = ["seq", "name"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["job", "seq", "name"], name="jobmetric_unique_point")
        ]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["job", "name", "seq"])]


def artifact_path(instance: JobArtifact, filename: str) -> str:
    return f"jobs/{instance.job.uuid}/{filename}"


class JobArtifact(models.Model):
    """A file a run saved with save_artifact(), kept in Django storage."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="artifacts")
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to=artifact_path, max_length=300)
    size = models.PositiveIntegerField()

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["job", "name"], name="jobartifact_unique_name")
        ]


class LabDraft(models.Model):
    """The learner's latest unsubmitted code for a lab."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_drafts")
    lab = models.ForeignKey("catalog.Lab", on_delete=models.CASCADE, related_name="drafts")
    code = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["user", "lab"], name="labdraft_unique")
        ]
