"""Courses, modules, lessons and labs; immutable revision snapshots of everything learners see."""

from __future__ import annotations

import hashlib
import json
import re
import uuid as uuid_lib
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

DEFAULT_LIMITS = {"wall_seconds": 300, "cpu_seconds": 600, "memory_mb": 2048}
PREFIX = re.compile(r"^(\d+)-")


class Status(models.TextChoices):
    PUBLISHED = "published", "Published"
    DRAFT = "draft", "Draft"


class ContentItemQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def live(self) -> ContentItemQuerySet:
        """Items still in the course files (archived ones are kept only for history)."""
        return self.filter(archived_at__isnull=True)

    def published(self) -> ContentItemQuerySet:
        return self.live().filter(status=Status.PUBLISHED)


class ContentItem(models.Model):
    """What every piece of course content has: identity, order, state and a revision."""

    KIND: ClassVar[str] = ""
    # Fields whose change is a change of content (bumps the revision); order and state are not.
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Fields kept out of the learner-visible snapshot.
    PRIVATE_FIELDS: ClassVar[tuple[str, ...]] = ()

    uuid = models.UUIDField(unique=True, default=uuid_lib.uuid4)
    order = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    revision = models.PositiveIntegerField(default=1, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the item left the course files; history is kept.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering: ClassVar[list[str]] = ["order", "id"]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED and self.archived_at is None

    def content_values(self) -> dict[str, Any]:
        """Return the content fields as plain JSON values."""
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    @classmethod
    def fingerprint(cls, values: dict[str, Any]) -> str:
        """Hash content values, so an unchanged save keeps its revision."""
        text = json.dumps({k: values[k] for k in cls.CONTENT_FIELDS}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def snapshot(self) -> dict[str, Any]:
        """Return the learner-visible content of this revision (stored in ContentRevision)."""
        values = {k: v for k, v in self.content_values().items() if k not in self.PRIVATE_FIELDS}
        return {"kind": self.KIND, "uuid": str(self.uuid), **values}

    def save(self, *args: Any, **kwargs: Any) -> None:
        digest = self.fingerprint(self.content_values())
        if digest != self.content_hash:
            if self.content_hash:
                self.revision += 1
            self.content_hash = digest
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision", "content_hash"}
        super().save(*args, **kwargs)


def derived_order(name: str, index: int) -> int:
    """Return the order a file or folder name implies: its numeric prefix, else its position."""
    match = PREFIX.match(name)
    return int(match.group(1)) if match else index


def slug_of(name: str) -> str:
    """Return a file or folder name without numeric prefix and extension."""
    stem = name[:-3] if name.endswith(".md") else name
    return PREFIX.sub("", stem)


class Course(ContentItem):
    KIND = "course"
    CONTENT_FIELDS = ("slug", "title", "summary")

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta(ContentItem.Meta):
        ordering: ClassVar[list[str]] = ["title"]

    def __str__(self) -> str:
        return self.title


class Module(ContentItem):
    KIND = "module"
    CONTENT_FIELDS = ("title", "summary")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="modules")
    slug = models.SlugField(max_length=80)
    path = models.CharField(
        max_length=200,
        blank=True,
        help_text="Folder in the course files, for example modules/01-intro-to-ml.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title

    def folder(self) -> str:
        """Return the module's folder relative to the course (made up for new modules)."""
        return self.path or f"modules/{self.order:02d}-{self.slug}"


class Lesson(ContentItem):
    KIND = "lesson"
    CONTENT_FIELDS = ("title", "summary", "body")

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="lessons")
    slug = models.SlugField(max_length=80)
    path = models.CharField(
        max_length=200,
        blank=True,
        help_text="File in the module folder, for example lessons/01-what-is-ml.md.",
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(
        blank=True, help_text="Markdown with $math$, admonitions, code and plotly blocks."
    )

    def __str__(self) -> str:
        return self.title

    def file(self) -> str:
        return self.path or f"lessons/{self.order:02d}-{self.slug}.md"


class Queue(models.TextChoices):
    CPU = "cpu", "CPU"
    GPU = "gpu", "GPU"


class Lab(ContentItem):
    KIND = "lab"
    CONTENT_FIELDS = (
        "title",
        "summary",
        "queue",
        "wall_seconds",
        "cpu_seconds",
        "memory_mb",
        "data",
        "starter",
        "solution",
        "checks",
    )
    PRIVATE_FIELDS = ("solution",)

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="labs")
    slug = models.SlugField(max_length=80)
    path = models.CharField(
        max_length=200,
        blank=True,
        help_text="Folder in the module folder, for example labs/linear-regression.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    queue = models.CharField(max_length=8, choices=Queue.choices, default=Queue.CPU)
    wall_seconds = models.PositiveIntegerField(default=DEFAULT_LIMITS["wall_seconds"])
    cpu_seconds = models.PositiveIntegerField(default=DEFAULT_LIMITS["cpu_seconds"])
    memory_mb = models.PositiveIntegerField(default=DEFAULT_LIMITS["memory_mb"])
    data = models.JSONField(default=list, blank=True, help_text="Ids from data/MANIFEST.yaml.")
    starter = models.TextField(help_text="starter.py: what the learner edits.")
    solution = models.TextField(help_text="solution.py: the reference, never shown to learners.")
    checks = models.TextField(help_text="checks.py: check_* functions that grade a run.")

    def __str__(self) -> str:
        return self.title

    def folder(self) -> str:
        return self.path or f"labs/{self.slug}"


class CourseFile(models.Model):
    """A file of the course that is not a content item: figures, lab helpers, data, tools."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=300, help_text="Relative to the course folder.")
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["path"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["course", "path"], name="coursefile_unique_path")
        ]

    def __str__(self) -> str:
        return self.path


class ContentRevision(models.Model):
    """An immutable snapshot of what learners saw of one item at one revision."""

    kind = models.CharField(max_length=20)
    item_uuid = models.UUIDField(db_index=True)
    revision = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["item_uuid", "revision"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["item_uuid", "revision"], name="contentrevision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_uuid} r{self.revision}"


class Enrollment(models.Model):
    """A learner in a course: made on the first visit of a published course; remembers where they were."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    last_lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_seen_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-last_seen_at"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["user", "course"], name="enrollment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.course}"


class LessonCompletion(models.Model):
    """A lesson a learner marked as done."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lessons_done")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["completed_at"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lessoncompletion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} finished {self.lesson}"
