"""Upsert a parsed course into the database by uuid; archive what left the files."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from catalog.content.items import CourseData
from catalog.content.problems import Problem
from catalog.models import ContentItem, Course, CourseFile, Lab, Lesson, Module


@dataclass
class SyncCounts:
    """What an import did, item by item (files are counted apart)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    files_written: int = 0
    files_removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived or self.files_written or self.files_removed)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def db_problems(course: CourseData) -> list[Problem]:
    """Return the problems only the database can reveal (a slug taken by another course)."""
    other = Course.objects.filter(slug=course.slug).exclude(uuid=course.uuid).first()
    if other is not None:
        return [
            Problem(
                "course.yaml",
                None,
                f"slug {course.slug!r} is already used by course {other.title!r} (uuid {other.uuid})",
                "choose another slug, or use that course's uuid",
            )
        ]
    return []


class _Upserter:
    def __init__(self) -> None:
        self.counts = SyncCounts()
        self.now = timezone.now()

    def upsert(
        self, model: type[ContentItem], rows: list[dict[str, Any]], scope: QuerySet[Any]
    ) -> dict[str, int]:
        """Create, update or leave each row; archive rows of scope that are not in rows."""
        uuids = {row["uuid"] for row in rows}
        existing = {
            str(o.uuid): o for o in model.objects.filter(Q(uuid__in=uuids) | Q(pk__in=scope.values("pk")))
        }
        to_create: list[Model] = []
        to_update: list[ContentItem] = []
        fields = sorted({key for row in rows for key in row} - {"uuid"})
        for row in rows:
            digest = model.fingerprint(row)
            obj = existing.get(row["uuid"])
            if obj is None:
                to_create.append(model(**row, revision=1, content_hash=digest))
                continue
            changed = obj.archived_at is not None or any(getattr(obj, f) != row[f] for f in fields)
            if not changed:
                self.counts.unchanged += 1
                continue
            if digest != obj.content_hash:
                obj.revision += 1 if obj.content_hash else 0
                obj.content_hash = digest
            for f in fields:
                setattr(obj, f, row[f])
            obj.archived_at = None
            obj.updated_at = self.now
            to_update.append(obj)
        if to_create:
            model.objects.bulk_create(to_create)
        if to_update:
            model.objects.bulk_update(
                to_update, [*fields, "revision", "content_hash", "archived_at", "updated_at"]
            )
        gone = [o.pk for u, o in existing.items() if u not in uuids and o.archived_at is None]
        if gone:
            model.objects.filter(pk__in=gone).update(archived_at=self.now, updated_at=self.now)
        self.counts.created += len(to_create)
        self.counts.updated += len(to_update)
        self.counts.archived += len(gone)
        return {str(u): pk for u, pk in model.objects.filter(uuid__in=uuids).values_list("uuid", "pk")}

    def files(self, course: Course, files: dict[str, bytes]) -> None:
        existing = {f.path: f for f in CourseFile.objects.filter(course=course).only("path", "sha256")}
        create, update = [], []
        for path, content in files.items():
            digest = hashlib.sha256(content).hexdigest()
            row = existing.get(path)
            if row is None:
                create.append(
                    CourseFile(course=course, path=path, content=content, sha256=digest, size=len(content))
                )
            elif row.sha256 != digest:
                row.content, row.sha256, row.size = content, digest, len(content)
                row.updated_at = self.now
                update.append(row)
        CourseFile.objects.bulk_create(create)
        CourseFile.objects.bulk_update(update, ["content", "sha256", "size", "updated_at"])
        removed = [row.pk for path, row in existing.items() if path not in files]
        CourseFile.objects.filter(pk__in=removed).delete()
        self.counts.files_written += len(create) + len(update)
        self.counts.files_removed += len(removed)


def _fields(item: Any, *names: str) -> dict[str, Any]:
    return {
        "order": getattr(item, "order", 1),
        **{name: getattr(item, name) for name in ("uuid", "status", *names)},
    }


def sync_course(data: CourseData) -> tuple[Course, SyncCounts]:
    """Write a validated course into the database in one transaction."""
    from capstones.models import Capstone
    from quizzes.models import Question, Quiz
    from reviews.models import Criterion, Level, Rubric

    up = _Upserter()
    with transaction.atomic():
        course_row = {
            "uuid": data.uuid,
            "slug": data.slug,
            "title": data.title,
            "summary": data.summary,
            "status": data.status,
            "order": 1,
        }
        up.upsert(Course, [course_row], Course.objects.none())
        course = Course.objects.get(uuid=data.uuid)
        modules = up.upsert(
            Module,
            [
                {**_fields(m, "slug", "path", "title", "summary"), "course_id": course.pk}
                for m in data.modules
            ],
            Module.objects.filter(course=course),
        )
        up.upsert(
            Lesson,
            [
                {**_fields(x, "slug", "path", "title", "summary", "body"), "module_id": modules[m.uuid]}
                for m in data.modules
                for x in m.lessons
            ],
            Lesson.objects.filter(module__course=course),
        )
        up.upsert(
            Lab,
            [
                {
                    **_fields(
                        x,
                        "slug",
                        "path",
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
                    ),
                    "module_id": modules[m.uuid],
                }
                for m in data.modules
                for x in m.labs
            ],
            Lab.objects.filter(module__course=course),
        )
        quizzes = up.upsert(
            Quiz,
            [
                {**_fields(m.quiz, "title", "attempts_allowed", "scoring"), "module_id": modules[m.uuid]}
                for m in data.modules
                if m.quiz is not None
            ],
            Quiz.objects.filter(module__course=course),
        )
        up.upsert(
            Question,
            [
                {**_fields(q, *Question.CONTENT_FIELDS), "quiz_id": quizzes[m.quiz.uuid]}
                for m in data.modules
                if m.quiz is not None
                for q in m.quiz.questions
            ],
            Question.objects.filter(quiz__module__course=course),
        )
        cap = data.capstone
        capstones = up.upsert(
            Capstone,
            [{**_fields(cap, "title", "brief"), "order": 1, "course_id": course.pk}] if cap else [],
            Capstone.objects.filter(course=course),
        )
        rubric = cap.rubric if cap else None
        rubrics = up.upsert(
            Rubric,
            [{"uuid": rubric.uuid, "status": rubric.status, "order": 1, "capstone_id": capstones[cap.uuid]}]
            if cap and rubric
            else [],
            Rubric.objects.filter(capstone__course=course),
        )
        criteria = up.upsert(
            Criterion,
            [
                {**_fields(c, "title", "description"), "rubric_id": rubrics[rubric.uuid]}
                for c in rubric.criteria
            ]
            if rubric
            else [],
            Criterion.objects.filter(rubric__capstone__course=course),
        )
        up.upsert(
            Level,
            [
                {**_fields(lv, "title", "points", "description"), "criterion_id": criteria[c.uuid]}
                for c in rubric.criteria
                for lv in c.levels
            ]
            if rubric
            else [],
            Level.objects.filter(criterion__rubric__capstone__course=course),
        )
        up.files(course, data.files)
    return course, up.counts
